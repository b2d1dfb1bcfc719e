# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Small reading steps shared by the document parsers.

Every step takes the element (or ``None`` when it is absent) and returns a
plain value; problems a person should know about go to ``warnings``,
problems that make the document unusable raise :class:`CXMLParseError`.
"""

import re
from datetime import date
from decimal import localcontext

from ..exceptions import CXMLParseError
from ..model import Comment, Credential, Header, Money, PriceBasis, Status, TaxDetail
from ..values import exact_divide, parse_decimal, parse_timestamp

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Amazon ends rejection texts with "[Error code: 000-001]" (doc §6.2, S5)
_ERROR_CODE = re.compile(
    r"\[?\s*error\s*code\s*:\s*([0-9a-z][0-9a-z_-]*)\s*\]?", re.IGNORECASE
)


def text(el):
    """All text of an element, outer whitespace trimmed; None if absent."""
    if el is None:
        return None
    if len(el):
        return "".join(el.itertext()).strip()
    return (el.text or "").strip()


def child(el, tag):
    """The first child ``tag`` of ``el``; None if either is absent.

    ``tag`` is a name, not a path. The children are few (a Money in its
    container, a Credential's Identity), so comparing their tags costs less
    than ``find`` (lxml's ElementPath) or ``iterchildren(tag)``, which both
    prepare a tag matcher first (measured on the 1,000-line cart).
    """
    for element in el if el is not None else ():
        if element.tag == tag:
            return element
    return None


def child_text(el, tag):
    """Text of the first child ``tag`` of ``el``; None if either is absent."""
    return text(child(el, tag))


def children(el, tag):
    """The children ``tag`` (a name) of ``el``; none when ``el`` is absent."""
    return list(el.iterchildren(tag)) if el is not None else []


def children_by_tag(el):
    """The children of ``el`` (if any) grouped by tag, in document order.

    One pass instead of one search per tag, where elements are many (a cart
    line has about twenty children to read).
    """
    groups = {}
    for element in el if el is not None else ():
        groups.setdefault(element.tag, []).append(element)
    return groups


def first(groups, tag):
    """The first element of ``tag`` in ``children_by_tag`` groups, or None."""
    found = groups.get(tag)
    return found[0] if found else None


def integer(value, what, warnings):
    if value is None or not value.strip():
        return None
    try:
        number = int(value.strip())
    except ValueError:
        warnings.append(f"{what}: {value[:32]!r} is not an integer, ignored")
        return None
    if abs(number) > 10**12:
        warnings.append(f"{what}: {value[:32]!r} out of range, ignored")
        return None
    return number


def decimal(value, what, warnings, required=False):
    """A Decimal attribute or text; a bad value warns, or raises if required."""
    number = parse_decimal(value)
    if number is not None:
        return number
    if value is None or not value.strip():
        if required:
            raise CXMLParseError(f"{what} is missing")
    elif required:
        raise CXMLParseError(f"{what}: {value[:32]!r} is not a number")
    else:
        warnings.append(f"{what}: {value[:32]!r} is not a number, ignored")
    return None


def timestamp(value, what, warnings):
    """A ``%datetime.tz`` value; unparseable ones warn (doc §2.2)."""
    if value is None or not value.strip():
        return None
    result, warning = parse_timestamp(value)
    if warning:
        warnings.append(f"{what}: {warning}")
    return result


def day(value, what, warnings):
    """A ``%date`` value: plain ``YYYY-MM-DD`` is normal, no warning."""
    plain = (value or "").strip()
    if len(plain) == 10:
        try:
            return date.fromisoformat(plain)
        except ValueError:
            warnings.append(f"{what}: {plain!r} is not a date, ignored")
            return None
    result = timestamp(value, what, warnings)
    return result.date() if result is not None else None


def yes(value):
    return (value or "").strip().lower() == "yes"


def money(money_el, what, warnings, required=False, currency=None):
    """Money of a ``<Money>`` element; ``currency`` is assumed when missing."""
    if money_el is None:
        if required:
            raise CXMLParseError(f"{what}: Money is missing")
        return None
    amount = decimal(money_el.text, what, warnings, required=required)
    if amount is None:
        return None
    code = (money_el.get("currency") or "").strip().upper()
    if not code:
        if currency:
            warnings.append(f"{what}: currency missing, {currency} assumed")
            code = currency
        elif required:
            raise CXMLParseError(f"{what}: currency is missing")
        else:
            warnings.append(f"{what}: currency missing")
    return Money(amount, code)


def money_in(container, what, warnings, required=False, currency=None):
    """Money of a container such as Total, Shipping, Tax or SubtotalAmount."""
    if container is None:
        if required:
            raise CXMLParseError(f"{what} is missing")
        return None
    return money(child(container, "Money"), what, warnings, required, currency)


def extrinsics(elements):
    """``(name, value)`` pairs of Extrinsic elements."""
    return tuple(
        ((element.get("name") or "").strip(), text(element) or "")
        for element in elements
    )


def comments(el):
    """Texts of the non-empty Comments children of ``el``."""
    return tuple(value for value in map(text, children(el, "Comments")) if value)


def comment_details(el):
    """The non-empty Comments children of ``el``, with ``type`` and ``xml:lang``."""
    found = (
        Comment(
            text=text(comment), type=comment.get("type"), lang=comment.get(XML_LANG)
        )
        for comment in children(el, "Comments")
    )
    return tuple(comment for comment in found if comment.text)


def reason_and_error_code(notes):
    """(reason, error code) written in Comments (doc §6.2).

    The reason is the text of the comments that are not an Amazon order
    number (``type="confirmID"``), without the ``[Error code: …]`` mark; the
    error code is the first such mark.
    """
    texts = [note.text for note in notes if (note.type or "").lower() != "confirmid"]
    error_code = None
    for value in texts:
        found = _ERROR_CODE.search(value)
        if found:
            error_code = found.group(1)
            break
    reason = "\n".join(
        cleaned
        for cleaned in (_ERROR_CODE.sub("", value).strip() for value in texts)
        if cleaned
    )
    return reason or None, error_code


def money_description(container):
    """Text of the Description of a Shipping, Tax, … element; None if absent."""
    return description_text(child(container, "Description"))


def description_text(el):
    """Text of a Description element, ShortName left out; None if absent."""
    if el is not None and not len(el):
        return text(el) or None  # plain text, the usual case
    return description(el)[0] or None


def description(el):
    """(text without ShortName, ShortName, xml:lang) of a Description."""
    if el is None:
        return "", None, None
    short = None
    parts = [el.text or ""]
    for element in el:
        if element.tag == "ShortName":
            short = text(element)
        else:
            parts.append("".join(element.itertext()))
        parts.append(element.tail or "")
    return "".join(parts).strip(), short, el.get(XML_LANG)


def tax_details(elements, warnings, currency=None):
    """TaxDetails of TaxDetail elements."""
    return tuple(_tax_detail(detail, warnings, currency) for detail in elements)


def _tax_detail(el, warnings, currency):
    parts = children_by_tag(el)
    return TaxDetail(
        category=(el.get("category") or "").strip(),
        percentage_rate=decimal(
            el.get("percentageRate"), "TaxDetail@percentageRate", warnings
        ),
        purpose=el.get("purpose"),
        taxable_amount=money_in(
            first(parts, "TaxableAmount"),
            "TaxDetail/TaxableAmount",
            warnings,
            currency=currency,
        ),
        tax_amount=money_in(
            first(parts, "TaxAmount"),
            "TaxDetail/TaxAmount",
            warnings,
            currency=currency,
        ),
        description=text(first(parts, "Description")),
        location=text(first(parts, "TaxLocation")),
    )


def price_basis(el, what, warnings):
    """PriceBasis of a PriceBasisQuantity element; None if absent or unusable."""
    if el is None:
        return None
    quantity = decimal(el.get("quantity"), f"{what} PriceBasisQuantity", warnings)
    if quantity is None:
        return None
    factor = decimal(
        el.get("conversionFactor"),
        f"{what} PriceBasisQuantity@conversionFactor",
        warnings,
    )
    return PriceBasis(
        quantity=quantity,
        conversion_factor=factor,
        unit_of_measure=child_text(el, "UnitOfMeasure") or None,
        description=money_description(el),
    )


def price_per_unit(price, basis, what, warnings):
    """The price of one unit of the line's UnitOfMeasure (doc §4.4 item 4).

    ``price`` is quoted for ``basis.quantity`` units of the basis unit of
    measure. The DTD defines ``conversionFactor`` as "the conversion ratio
    from the unit of measure of the order to the unit of measure of the
    PriceBasisQuantity": one order unit is ``conversionFactor`` basis units
    (the public cxml-php sample: order unit EA, basis unit BOX,
    conversionFactor 0.5, "1 Box is 2 EA"). So one order unit costs
    ``price / quantity * conversionFactor``, the formula SAP Ariba uses for
    "price unit quantity" and "unit conversion"; with conversionFactor 1 (all
    we expect from Amazon) it is ``price / quantity``. A missing or
    non-positive factor is taken as 1, with a warning.
    """
    if price is None or basis is None:
        return price
    if basis.quantity <= 0:
        warnings.append(f"{what}: PriceBasisQuantity {basis.quantity} ignored")
        return price
    factor = basis.conversion_factor
    if factor is None or factor <= 0:
        warnings.append(
            f"{what}: PriceBasisQuantity conversionFactor {factor} taken as 1"
        )
        factor = 1
    with localcontext(prec=60):
        numerator = price.amount * factor
    amount, exact = exact_divide(numerator, basis.quantity)
    if not exact:
        warnings.append(f"{what}: unit price / PriceBasisQuantity is inexact")
    return Money(amount, price.currency)


def credentials(el):
    return tuple(
        Credential(
            domain=(credential.get("domain") or "").strip(),
            identity=child_text(credential, "Identity") or "",
            shared_secret=child_text(credential, "SharedSecret"),
        )
        for credential in children(el, "Credential")
    )


def header(el, warnings):
    if el is None:
        return None
    sender = el.find("Sender")
    senders = credentials(sender)
    if not senders:
        warnings.append("Header without Sender credential")
    return Header(
        from_credentials=credentials(el.find("From")),
        to_credentials=credentials(el.find("To")),
        sender=senders[0] if senders else Credential("", ""),
        user_agent=child_text(sender, "UserAgent") or "",
        sender_credentials=senders,
    )


def status(el, warnings):
    if el is None:
        return None
    code = integer(el.get("code"), "Status@code", warnings)
    if code is None:
        raise CXMLParseError("Status without a valid code")
    status_text = el.get("text")
    if status_text is None:
        warnings.append("Status without text")
        status_text = ""
    return Status(code=code, text=status_text, body=(el.text or "").strip())


def order_reference(el):
    """(orderID, orderDate as written, DocumentReference@payloadID)."""
    if el is None:
        return None, None, None
    document = child(el, "DocumentReference")
    return (
        el.get("orderID"),
        el.get("orderDate"),
        document.get("payloadID") if document is not None else None,
    )
