# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Small reading steps shared by the document parsers.

Every step takes the element (or ``None`` when it is absent) and returns a
plain value; problems a person should know about go to ``warnings``,
problems that make the document unusable raise :class:`CXMLParseError`.
"""

from datetime import date

from ..exceptions import CXMLParseError
from ..model import Credential, Header, Money, Status, TaxDetail
from ..values import parse_decimal, parse_timestamp

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def text(el):
    """All text of an element, outer whitespace trimmed; None if absent."""
    if el is None:
        return None
    if len(el):
        return "".join(el.itertext()).strip()
    return (el.text or "").strip()


def child(el, tag):
    """The first child ``tag`` of ``el``; None if either is absent."""
    return el.find(tag) if el is not None else None


def child_text(el, tag):
    """Text of the first child ``tag`` of ``el``; None if either is absent."""
    return text(child(el, tag))


def children(el, tag):
    """The children ``tag`` of ``el`` (none when ``el`` is absent)."""
    return el.findall(tag) if el is not None else []


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
    return tuple(
        TaxDetail(
            category=(detail.get("category") or "").strip(),
            percentage_rate=decimal(
                detail.get("percentageRate"), "TaxDetail@percentageRate", warnings
            ),
            purpose=detail.get("purpose"),
            taxable_amount=money_in(
                child(detail, "TaxableAmount"),
                "TaxDetail/TaxableAmount",
                warnings,
                currency=currency,
            ),
            tax_amount=money_in(
                child(detail, "TaxAmount"),
                "TaxDetail/TaxAmount",
                warnings,
                currency=currency,
            ),
            description=child_text(detail, "Description"),
        )
        for detail in elements
    )


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
