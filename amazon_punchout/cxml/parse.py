# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hardened, lenient cXML parsing: bytes -> dataclasses + warnings.

Rules (doc §4.4, §7; style rule 5): our own lxml parser that never loads a
DTD, never touches the network and never expands entities; documents with an
internal DTD subset (ENTITY declarations: billion laughs, XXE) are refused; a
size cap applies before parsing and a depth bound after. Parsing is lenient
about what real senders do (no DOCTYPE, odd timestamps, missing UoM, ...)
and reports it as warnings. Any malformed or hostile input raises a
:class:`~.exceptions.CXMLError` subclass, never another exception.
"""

import re
import threading
from dataclasses import replace
from datetime import date

from lxml import etree

from .const import DTD_CXML, DTD_FAMILY, MAX_DEPTH, MAX_SIZE
from .exceptions import CXMLError, CXMLParseError, CXMLSizeError, CXMLUnsupportedError
from .model import (
    Address,
    ConfirmationItem,
    ConfirmationRequest,
    ConfirmationStatus,
    Credential,
    CXMLDocument,
    Header,
    InvoiceDetailItem,
    InvoiceDetailOrder,
    InvoiceDetailRequest,
    ItemIn,
    ItemOut,
    Money,
    OrderRequest,
    PunchOutOrderMessage,
    PunchOutSetupRequest,
    PunchOutSetupResponse,
    Response,
    ShipControl,
    ShipNoticeItem,
    ShipNoticePortion,
    ShipNoticeRequest,
    Status,
    TaxDetail,
)
from .values import _DECIMAL_CACHE, exact_divide, parse_decimal, parse_timestamp

_WS = " \t\r\n"
_local = threading.local()


_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "recover": False,
    # do not pass collect_ids=False: with lxml 5.2 / libxml2 2.12 it
    # makes libxml2 read the DOCTYPE's external subset (file://)
}


def _parser():
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.XMLParser(**_PARSER_OPTIONS)
    return parser


_DEPTH_XPATH = {}
_ENTITY = b"<!ENTITY"
_ENTITY_MESSAGE = "cXML document declares entities (internal DTD subset): refused"


_SUBSET_RE = re.compile(rb"<!DOCTYPE[^>\[]*\[")


def _too_deep(root, max_depth):
    finder = _DEPTH_XPATH.get(max_depth)
    if finder is None:
        finder = _DEPTH_XPATH[max_depth] = etree.XPath(
            "boolean(/*" + "/*" * max_depth + ")"
        )
    return bool(finder(root))


def dtd_family(name):
    """DTD file of a document type (or of a parsed ``cXML`` root element)."""
    if name is not None and not isinstance(name, str):
        root = name
        name = None
        for envelope in root:
            if envelope.tag in ("Request", "Message", "Response"):
                for child in envelope:
                    if isinstance(child.tag, str) and child.tag != "Status":
                        name = child.tag
                        break
                break
    return DTD_FAMILY.get(name or "", DTD_CXML)


# === SAFE XML LOADING === #


def _checked_bytes(data, max_size):
    """The checks made before any parsing; return the input as bytes."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    elif isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise CXMLParseError("cXML input must be bytes")
    if max_size and len(data) > max_size:
        raise CXMLSizeError(
            f"cXML document of {len(data)} bytes exceeds the limit of {max_size} bytes"
        )
    if not data or data.isspace():  # i.e. not data.strip(), without a copy
        raise CXMLParseError("Empty cXML document")
    if _ENTITY in data or _SUBSET_RE.search(data, 0, 65536):
        raise CXMLParseError(_ENTITY_MESSAGE)
    return data


def _check_tree(root, max_depth):
    """The checks made after parsing (internal DTD subset, depth bound)."""
    if root is None:
        raise CXMLParseError("Empty cXML document")
    subset = root.getroottree().docinfo.internalDTD
    if subset is not None and (
        any(True for _ in subset.iterelements())
        or any(True for _ in subset.iterentities())
    ):
        raise CXMLParseError("cXML document has an internal DTD subset: refused")
    if max_depth and _too_deep(root, max_depth):
        raise CXMLParseError(f"cXML document nested deeper than {max_depth} levels")
    return root


def load_xml(data, *, max_size=MAX_SIZE, max_depth=MAX_DEPTH):
    """Parse bytes with the hardened parser; return the root element."""
    data = _checked_bytes(data, max_size)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg if getattr(exc, "msg", None) else exc)[:200]
        raise CXMLParseError(f"Malformed XML: {message}") from None
    except (ValueError, TypeError, LookupError, MemoryError, etree.LxmlError) as exc:
        raise CXMLParseError(f"Unreadable XML: {type(exc).__name__}") from None
    return _check_tree(root, max_depth)


# === SMALL HELPERS === #


_object_new = object.__new__
_MONEY_CACHE = {}


def _new_money(amount, currency):
    """``Money(amount, currency)`` without the frozen dataclass __setattr__
    round trip (Money is created several times per cart line)."""
    money = _object_new(Money)
    money.__dict__.update(amount=amount, currency=currency)
    return money


def _fast(cls, **fields):
    """``cls(**fields)`` for a frozen dataclass, skipping its per-field
    ``object.__setattr__`` (hot path: one per cart line); every field must be
    given."""
    obj = _object_new(cls)
    obj.__dict__.update(fields)
    return obj


def _find(el, tag):
    """First child called ``tag`` (a plain loop beats ElementPath's find())."""
    for child in el:
        if child.tag == tag:
            return child
    return None


def _children(el, tag):
    """Children called ``tag``, in document order."""
    return [child for child in el if child.tag == tag]


def _text(el):
    """All text of an element, outer whitespace trimmed; None if absent."""
    if el is None:
        return None
    if len(el):
        return "".join(el.itertext()).strip(_WS)
    return (el.text or "").strip(_WS)


def _child_text(el, tag):
    return _text(_find(el, tag)) if el is not None else None


def _int(value, what, warnings):
    if value is None or value.strip(_WS) == "":
        return None
    try:
        number = int(value.strip(_WS))
    except ValueError:
        warnings.append(f"{what}: {value[:32]!r} is not an integer, ignored")
        return None
    if abs(number) > 10**12:
        warnings.append(f"{what}: {value[:32]!r} out of range, ignored")
        return None
    return number


def _w(what):
    """Label of a field in messages; ``what`` may be a lazy (prefix, part) pair."""
    return what if isinstance(what, str) else " ".join(what)


def _decimal(value, what, warnings, required=False):
    number = parse_decimal(value) if value else None
    if number is None:
        return _bad_number(value, what, warnings, required)
    return number


def _bad_number(value, what, warnings, required):
    if value is None or value.strip(_WS) == "":
        if required:
            raise CXMLParseError(f"{_w(what)} is missing")
        return
    if required:
        raise CXMLParseError(f"{_w(what)}: {value[:32]!r} is not a number")
    warnings.append(f"{_w(what)}: {value[:32]!r} is not a number, ignored")
    return


def _date(value, what, warnings):
    if value is None or value.strip(_WS) == "":
        return None
    result, warning = parse_timestamp(value)
    if warning:
        warnings.append(f"{what}: {warning}")
    return result


def _plain_day(value):
    """The date of a plain ``YYYY-MM-DD`` value, else None."""
    if value is None:
        return None
    value = value.strip(_WS)
    if len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _day(value, what, warnings):
    """A ``%date`` attribute: plain ``YYYY-MM-DD`` is normal, no warning."""
    plain = _plain_day(value)
    if plain is not None:
        return plain
    result = _date(value, what, warnings)
    return result.date() if result is not None else None


def _money(money_el, what, warnings, required=False, currency=None):
    """Money from a ``<Money>`` element."""
    if money_el is None:
        if required:
            raise CXMLParseError(f"{_w(what)}: Money is missing")
        return None
    text = money_el.text
    code = money_el.get("currency")
    # Money is immutable: identical (amount text, currency) pairs share one
    key = (text, code)
    money = _MONEY_CACHE.get(key)
    if money is not None:
        return money
    amount = parse_decimal(text) if text else None
    if amount is None:
        return _bad_number(text, what, warnings, required)
    if code:
        code = code.strip(_WS).upper()
    if code and code.isalpha() and len(code) == 3:
        if len(_MONEY_CACHE) > 4096:
            _MONEY_CACHE.clear()
        money = _MONEY_CACHE[key] = _new_money(amount, code)
        return money
    if not code:
        if currency:
            warnings.append(f"{_w(what)}: currency missing, {currency} assumed")
            code = currency
        elif required:
            raise CXMLParseError(f"{_w(what)}: currency is missing")
        else:
            warnings.append(f"{_w(what)}: currency missing")
            code = ""
    return _new_money(amount, code)


def _money_in(container, what, warnings, required=False, currency=None):
    """Money of a container such as Total, Shipping, Tax, SubtotalAmount."""
    if container is None:
        if required:
            raise CXMLParseError(f"{_w(what)} is missing")
        return None
    return _money(
        _find(container, "Money"), what, warnings, required=required, currency=currency
    )


def _extrinsics(elements):
    return tuple(
        ((el.get("name") or "").strip(_WS), _text(el) or "") for el in elements
    )


def _comments(el):
    return tuple(text for text in (_text(c) for c in _children(el, "Comments")) if text)


def _tax_details(tax_el, warnings, currency=None):
    """TaxDetails of a Tax element."""
    if tax_el is None:
        return ()
    return _tax_details_of(
        [detail for detail in tax_el if detail.tag == "TaxDetail"], warnings, currency
    )


def _tax_detail_parts(detail):
    """(TaxableAmount, TaxAmount, Description) children of a TaxDetail, in one pass."""
    taxable = amount = description = None
    for child in detail:
        tag = child.tag
        if tag == "TaxAmount":
            amount = child
        elif tag == "TaxableAmount":
            taxable = child
        elif tag == "Description":
            description = child
    return taxable, amount, description


def _tax_details_of(elements, warnings, currency):
    details = []
    for detail in elements:
        taxable, amount, description = _tax_detail_parts(detail)
        rate = detail.get("percentageRate")
        if rate:
            percentage = _DECIMAL_CACHE.get(rate)
            if percentage is None:
                percentage = _decimal(rate, "TaxDetail@percentageRate", warnings)
        else:
            percentage = None
        obj = _object_new(TaxDetail)
        obj.__dict__.update(
            category=(detail.get("category") or "").strip(_WS),
            percentage_rate=percentage,
            purpose=detail.get("purpose"),
            taxable_amount=_money_of(
                taxable, "TaxDetail/TaxableAmount", warnings, currency
            )
            if taxable is not None
            else None,
            tax_amount=_money_of(amount, "TaxDetail/TaxAmount", warnings, currency)
            if amount is not None
            else None,
            description=_text(description) if description is not None else None,
        )
        details.append(obj)
    return tuple(details)


def _description(el):
    """(text without ShortName, ShortName, xml:lang) of a Description."""
    if el is None:
        return "", None, None
    lang = el.get(_XML_LANG)
    count = len(el)
    if not count:
        return (el.text or "").strip(_WS), None, lang
    if count == 1:  # the usual <ShortName/> + text: same result as below
        child = el[0]
        if child.tag == "ShortName":
            text = ((el.text or "") + (child.tail or "")).strip(_WS)
            return text, _text(child), lang
    short = None
    parts = [el.text or ""]
    for child in el:
        if child.tag == "ShortName":
            short = _text(child)
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts).strip(_WS), short, lang


def _credentials(el):
    if el is None:
        return ()
    return tuple(
        Credential(
            domain=(cred.get("domain") or "").strip(_WS),
            identity=_child_text(cred, "Identity") or "",
            shared_secret=_child_text(cred, "SharedSecret"),
        )
        for cred in _children(el, "Credential")
    )


def _header(el, warnings):
    if el is None:
        return None
    sender_el = _find(el, "Sender")
    senders = _credentials(sender_el)
    if not senders:
        warnings.append("Header without Sender credential")
    return Header(
        from_credentials=_credentials(_find(el, "From")),
        to_credentials=_credentials(_find(el, "To")),
        sender=senders[0] if senders else Credential("", ""),
        user_agent=_child_text(sender_el, "UserAgent") or "",
    )


def _status(el, warnings):
    if el is None:
        return None
    code = _int(el.get("code"), "Status@code", warnings)
    if code is None:
        raise CXMLParseError("Status without a valid code")
    text = el.get("text")
    if text is None:
        warnings.append("Status without text")
        text = ""
    return Status(code=code, text=text, body=(el.text or "").strip(_WS))


def _order_reference(el):
    """(orderID, orderDate raw, DocumentReference@payloadID)."""
    if el is None:
        return None, None, None
    doc_ref = _find(el, "DocumentReference")
    return (
        el.get("orderID"),
        el.get("orderDate"),
        doc_ref.get("payloadID") if doc_ref is not None else None,
    )


# === CART === #

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _money_of(container, what, warnings, currency=None):
    """``_money_in`` of a present container: its first ``Money`` child, not
    required; a cache hit skips ``_money`` (same result: only valid currency
    codes are cached, whatever ``currency`` or ``required`` say)."""
    money_el = _first_money(container)
    if money_el is None:
        return None
    money = _MONEY_CACHE.get((money_el.text, money_el.get("currency")))
    if money is None:
        money = _money(money_el, what, warnings, False, currency)
    return money


def _first_money(container):
    """``_find(container, "Money")``, with a fast path for the usual case
    (Money is the first child)."""
    if len(container):
        first = container[0]
        if first.tag == "Money":
            return first
        for child in container:
            if child.tag == "Money":
                return child
    return None


_TAX_DETAIL_CACHE = {}
_PAIRS = {}


def _item_tax(tax_el, what, warnings, currency):
    """``(_money_in(Tax), _tax_details(Tax))`` of an ItemIn, in one pass over
    the children of Tax (same results and warnings, in the same order)."""
    money_el = None
    details = None
    for child in tax_el:
        tag = child.tag
        if tag == "Money":
            if money_el is None:
                money_el = child
        elif tag == "TaxDetail":
            if details is None:
                details = [child]
            else:
                details.append(child)
    money = None
    if money_el is not None:
        money = _MONEY_CACHE.get((money_el.text, money_el.get("currency")))
        if money is None:
            money = _money(money_el, (what, "Tax"), warnings, False, currency)
    if details is None:
        return money, ()
    if len(details) == 1:
        return money, _tax_detail(details[0], warnings, currency)
    return money, sum(
        (_tax_detail(detail, warnings, currency) for detail in details), ()
    )


def _tax_detail(detail, warnings, currency):
    """``(TaxDetail,)`` of one element, as ``_tax_details`` builds it;
    identical TaxDetails (the usual case: one VAT rate per cart) share one
    immutable object (and one tuple: fewer objects for the GC to track)."""
    taxable, amount, description = _tax_detail_parts(detail)
    if description is None:
        taxable_el = _first_money(taxable) if taxable is not None else None
        amount_el = _first_money(amount) if amount is not None else None
        # every input of the result; the fallback currency only ever
        # matters with a warning, and results with warnings are not cached
        key = (
            detail.get("category"),
            detail.get("percentageRate"),
            detail.get("purpose"),
            None if taxable_el is None else taxable_el.text,
            None if taxable_el is None else taxable_el.get("currency"),
            None if amount_el is None else amount_el.text,
            None if amount_el is None else amount_el.get("currency"),
        )
        cached = _TAX_DETAIL_CACHE.get(key)
        if cached is not None:
            return cached
    found = []
    result = _tax_details_of((detail,), found, currency)
    if found:
        warnings += found
    elif description is None:
        if len(_TAX_DETAIL_CACHE) > 4096:
            _TAX_DETAIL_CACHE.clear()
        _TAX_DETAIL_CACHE[key] = result
    return result


def _unit_price(raw_price, pbq_el, what, warnings):
    """(unit price, raw price per basis, PriceBasisQuantity) (doc §4.4 item 4)."""
    pbq = _decimal(pbq_el.get("quantity"), (what, "PriceBasisQuantity"), warnings)
    if pbq is None:
        return raw_price, raw_price, None
    if pbq <= 0:
        warnings.append(f"{what}: PriceBasisQuantity {pbq} ignored")
        return raw_price, raw_price, None
    amount, exact = exact_divide(raw_price.amount, pbq)
    if not exact:
        warnings.append(f"{what}: unit price / PriceBasisQuantity is inexact")
    return Money(amount, raw_price.currency), raw_price, pbq


_TAX_CACHE = {}
_TAX_KEY_MAX = 2048
_tostring = etree.tostring


def _line_tax(tax_el, index, warnings, currency):
    """``_item_tax`` of an ItemIn's Tax, shared between identical Tax elements
    (the usual case: every line of a cart has the same tax): the serialized
    subtree is the key, so equal keys mean equal inputs; only results without
    warnings are kept (``currency`` only matters with a warning)."""
    key = _tostring(tax_el, with_tail=False)
    result = _TAX_CACHE.get(key)
    if result is None:
        found = []
        result = _item_tax(tax_el, f"ItemIn {index}", found, currency)
        if found:
            warnings += found
        elif len(key) <= _TAX_KEY_MAX:
            if len(_TAX_CACHE) > 1024:
                _TAX_CACHE.clear()
            _TAX_CACHE[key] = result
    return result


def _item_in(el, index, warnings):  # noqa: C901 - one pass per element, on purpose
    """One ItemIn: each child list is walked once, dispatching on the tag,
    with the text, Money and Description look-ups inlined (hot path: one
    call per cart line; same results as the helpers they replace). The label
    of the line in messages is only built when a message needs it."""
    quantity = el.get("quantity")
    number = _DECIMAL_CACHE.get(quantity)
    if number is None:
        number = _decimal(quantity, (f"ItemIn {index}", "quantity"), warnings, True)
    line = el.get("lineNumber")
    line_number = _int(line, f"ItemIn {index} lineNumber", warnings) if line else None
    supplier_part_id = aux_id = buyer_part_id = None
    detail = shipping = tax = None
    extrinsics = []
    for child in el:
        tag = child.tag
        if tag == "ItemDetail":
            detail = child
        elif tag == "ItemID":
            for sub in child:
                sub_tag = sub.tag
                if sub_tag == "SupplierPartID":
                    supplier_part_id = (
                        text.strip(_WS)
                        if (text := sub.text) is not None and not len(sub)
                        else _text(sub)
                    )
                elif sub_tag == "SupplierPartAuxiliaryID":
                    # opaque: outer whitespace trimmed, inside kept byte for byte
                    aux_id = (
                        text.strip(_WS)
                        if (text := sub.text) is not None and not len(sub)
                        else _text(sub)
                    )
                elif sub_tag == "BuyerPartID":
                    buyer_part_id = _text(sub)
        elif tag == "Tax":
            tax = child
        elif tag == "Shipping":
            shipping = child
        elif tag == "Extrinsic":
            extrinsics.append(
                ((child.get("name") or "").strip(_WS), _text(child) or "")
            )
    if not supplier_part_id:
        raise CXMLParseError(f"ItemIn {index}: SupplierPartID is missing")
    if detail is None:
        raise CXMLParseError(f"ItemIn {index}: ItemDetail is missing")
    price_el = description_el = pbq_el = None
    uom = manufacturer_part_id = manufacturer_name = url = None
    classifications = []
    # equal (name, value) pairs and classification tuples are shared: they
    # are immutable, and fewer new objects means less work for the GC
    if len(_PAIRS) > 4096:
        _PAIRS.clear()
    setdefault = _PAIRS.setdefault
    for child in detail:
        tag = child.tag
        if tag == "Extrinsic":
            pair = (
                (child.get("name") or "").strip(_WS),
                (
                    text.strip(_WS)
                    if (text := child.text) is not None and not len(child)
                    else _text(child)
                )
                or "",
            )
            extrinsics.append(setdefault(pair, pair))
        elif tag == "UnitPrice":
            # the last UnitPrice counts, even without Money; its first Money
            price_el = _first_money(child)
        elif tag == "Description":
            if description_el is None:
                description_el = child
        elif tag == "UnitOfMeasure":
            uom = (
                text.strip(_WS)
                if (text := child.text) is not None and not len(child)
                else _text(child)
            ) or None
        elif tag == "Classification":
            pair = (
                (child.get("domain") or "").strip(_WS),
                text.strip(_WS)
                if (text := child.text) is not None and not len(child)
                else _text(child),
            )
            classifications.append(setdefault(pair, pair))
        elif tag == "ManufacturerPartID":
            manufacturer_part_id = (
                text.strip(_WS)
                if (text := child.text) is not None and not len(child)
                else _text(child)
            ) or None
        elif tag == "ManufacturerName":
            manufacturer_name = (
                text.strip(_WS)
                if (text := child.text) is not None and not len(child)
                else _text(child)
            ) or None
        elif tag == "URL":
            url = _text(child) or None
        elif tag == "PriceBasisQuantity" and pbq_el is None:
            pbq_el = child  # the first PriceBasisQuantity counts
    # unit price only from ItemDetail/UnitPrice/Money, never Tax/Shipping Money
    raw_price = (
        _MONEY_CACHE.get((price_el.text, price_el.get("currency")))
        if price_el is not None
        else None
    )
    if raw_price is None:
        raw_price = _money(
            price_el, (f"ItemIn {index}", "UnitPrice"), warnings, required=True
        )
    if pbq_el is None:
        unit_price = raw_price
        pbq = None
    else:
        unit_price, raw_price, pbq = _unit_price(
            raw_price, pbq_el, f"ItemIn {index}", warnings
        )
    if uom is None:
        warnings.append(f"ItemIn {index} ({supplier_part_id}): UnitOfMeasure missing")
    if not classifications:
        warnings.append(f"ItemIn {index} ({supplier_part_id}): Classification missing")
    if description_el is None:
        description = ""
        short_name = lang = None
    else:
        # _description(), with its usual case (ShortName + text) inlined
        lang = description_el.get(_XML_LANG)
        count = len(description_el)
        if count == 1 and (short_el := description_el[0]).tag == "ShortName":
            description = ((description_el.text or "") + (short_el.tail or "")).strip(
                _WS
            )
            short_name = (
                text.strip(_WS)
                if (text := short_el.text) is not None and not len(short_el)
                else _text(short_el)
            )
        elif not count:
            description = (description_el.text or "").strip(_WS)
            short_name = None
        else:
            description, short_name, lang = _description(description_el)
    currency = raw_price.currency
    if shipping is not None:
        money_el = _first_money(shipping)
        if money_el is not None:
            shipping = _MONEY_CACHE.get(
                (money_el.text, money_el.get("currency"))
            ) or _money(
                money_el, (f"ItemIn {index}", "Shipping"), warnings, False, currency
            )
        else:
            shipping = None
    if tax is None:
        tax_details = ()
    else:
        tax, tax_details = _line_tax(tax, index, warnings, currency)
    item = _object_new(ItemIn)
    item.__dict__.update(
        line_number=line_number,
        quantity=number,
        supplier_part_id=supplier_part_id,
        supplier_part_auxiliary_id=aux_id or None,
        unit_price=unit_price,
        description=description,
        short_name=short_name,
        unit_of_measure=uom,
        classifications=setdefault(classifications, classifications)
        if (classifications := tuple(classifications))
        else (),
        manufacturer_part_id=manufacturer_part_id,
        manufacturer_name=manufacturer_name,
        url=url,
        extrinsics=tuple(extrinsics),
        shipping=shipping,
        tax=tax,
        tax_details=tax_details,
        price_basis_quantity=pbq,
        unit_price_per_basis=raw_price,
        buyer_part_id=buyer_part_id,
        description_lang=lang,
    )
    return item


def _punchout_order_message(el, warnings):
    header = _find(el, "PunchOutOrderMessageHeader")
    if header is None:
        warnings.append("PunchOutOrderMessageHeader missing")
        operation_allowed = "create"
        total = shipping = tax = None
        tax_details = ()
    else:
        operation_allowed = header.get("operationAllowed") or "create"
        total = _money_in(_find(header, "Total"), "Total", warnings)
        currency = total.currency if total else None
        shipping = _money_in(
            _find(header, "Shipping"), "Shipping", warnings, currency=currency
        )
        tax_el = _find(header, "Tax")
        tax = _money_in(tax_el, "Tax", warnings, currency=currency)
        tax_details = _tax_details(tax_el, warnings, currency)
    items = tuple(
        _item_in(item, index, warnings)
        for index, item in enumerate(_children(el, "ItemIn"), 1)
    )
    if not items:
        warnings.append("empty cart (no ItemIn)")
    return PunchOutOrderMessage(
        buyer_cookie=_child_text(el, "BuyerCookie") or "",
        operation_allowed=operation_allowed,
        total=total,
        shipping=shipping,
        tax=tax,
        items=items,
        tax_details=tax_details,
    )


# === SETUP AND ORDER REQUESTS (our own documents, read back) === #


def _address(el, warnings):
    if el is None:
        return None
    postal = _find(el, "PostalAddress")
    country = _find(postal, "Country") if postal is not None else None
    phone = _find(el, "Phone")
    phone_text = None
    if phone is not None:
        number = _find(phone, "TelephoneNumber")
        if number is not None:
            dial = _child_text(number, "CountryCode")
            parts = [
                _child_text(number, "AreaOrCityCode"),
                _child_text(number, "Number"),
            ]
            phone_text = " ".join(p for p in parts if p)
            if dial:
                phone_text = f"+{dial} {phone_text}"
    return Address(
        name=_child_text(el, "Name") or "",
        address_id=el.get("addressID"),
        deliver_to=tuple(_text(d) for d in _children(postal, "DeliverTo"))
        if postal is not None
        else (),
        street=tuple(_text(d) for d in _children(postal, "Street"))
        if postal is not None
        else (),
        city=_child_text(postal, "City") or "" if postal is not None else "",
        state=_child_text(postal, "State") if postal is not None else None,
        postal_code=_child_text(postal, "PostalCode") if postal is not None else None,
        country_code=(country.get("isoCountryCode") or "")
        if country is not None
        else "",
        country_name=_text(country) if country is not None else None,
        email=_child_text(el, "Email"),
        phone=phone_text or None,
    )


def _punchout_setup_request(el, warnings, envelope=None):
    extrinsics = _extrinsics(_children(el, "Extrinsic"))
    user_email = None
    user_name = ""
    for name, value in extrinsics:
        if name.lower() in ("useremail", "email") and value:
            user_email = value
            break
    for contact in _children(el, "Contact"):
        if user_email is None:
            user_email = _child_text(contact, "Email")
        if not user_name:
            user_name = _child_text(contact, "Name") or ""
    ship_to = _find(el, "ShipTo")
    return PunchOutSetupRequest(
        header=envelope["header"],
        buyer_cookie=_child_text(el, "BuyerCookie") or "",
        browser_form_post_url=_child_text(_find(el, "BrowserFormPost"), "URL") or "",
        user_email=user_email or "",
        user_name=user_name,
        deployment_mode=envelope["deployment_mode"],
        extrinsics=tuple(p for p in extrinsics if p[0] != "UserEmail"),
        ship_to=_address(_find(ship_to, "Address"), warnings)
        if ship_to is not None
        else None,
        operation=el.get("operation") or "create",
        payload_id=envelope["payload_id"],
        timestamp=envelope["timestamp"],
    )


def _item_out(el, index, warnings):
    what = f"ItemOut {index}"
    item_id = _find(el, "ItemID")
    detail = _find(el, "ItemDetail")
    description, _short, lang = _description(
        _find(detail, "Description") if detail is not None else None
    )
    return ItemOut(
        line_number=_int(el.get("lineNumber"), f"{what} lineNumber", warnings),
        quantity=_decimal(el.get("quantity"), f"{what} quantity", warnings, True),
        supplier_part_id=_child_text(item_id, "SupplierPartID") or "",
        supplier_part_auxiliary_id=_child_text(item_id, "SupplierPartAuxiliaryID"),
        unit_price=_money_in(
            _find(detail, "UnitPrice") if detail is not None else None,
            f"{what} UnitPrice",
            warnings,
        ),
        description=description,
        unit_of_measure=_child_text(detail, "UnitOfMeasure"),
        classifications=tuple(
            ((c.get("domain") or ""), _text(c))
            for c in _children(detail, "Classification")
        )
        if detail is not None
        else (),
        manufacturer_part_id=_child_text(detail, "ManufacturerPartID"),
        manufacturer_name=_child_text(detail, "ManufacturerName"),
        requested_delivery_date=_day(
            el.get("requestedDeliveryDate"), f"{what} requestedDeliveryDate", warnings
        ),
        extrinsics=_extrinsics(_children(detail, "Extrinsic"))
        if detail is not None
        else (),
        description_lang=lang or "en-US",
    )


def _order_request(el, warnings, envelope=None):
    header = _find(el, "OrderRequestHeader")
    if header is None:
        raise CXMLParseError("OrderRequest without OrderRequestHeader")
    ship_to = _find(header, "ShipTo")
    bill_to = _find(header, "BillTo")
    contact = _find(header, "Contact")
    comments = _comments(header)
    requested = []
    items = []
    for index, item in enumerate(_children(el, "ItemOut"), 1):
        parsed = _item_out(item, index, warnings)
        if parsed.requested_delivery_date is not None:
            requested.append(parsed)
        items.append(parsed)
    return OrderRequest(
        header=envelope["header"],
        order_id=header.get("orderID") or "",
        order_date=_date(header.get("orderDate"), "orderDate", warnings),
        items=tuple(items),
        ship_to=_address(_find(ship_to, "Address"), warnings)
        if ship_to is not None
        else None,
        bill_to=_address(_find(bill_to, "Address"), warnings)
        if bill_to is not None
        else None,
        deployment_mode=envelope["deployment_mode"],
        order_type=header.get("type") or "new",
        total=_money_in(_find(header, "Total"), "Total", warnings),
        shipping=_money_in(_find(header, "Shipping"), "Shipping", warnings),
        tax=_money_in(_find(header, "Tax"), "Tax", warnings),
        contact_name=_child_text(contact, "Name") if contact is not None else None,
        contact_email=_child_text(contact, "Email") if contact is not None else None,
        comments="\n".join(comments) if comments else None,
        extrinsics=_extrinsics(_children(header, "Extrinsic")),
        payload_id=envelope["payload_id"],
        timestamp=envelope["timestamp"],
    )


# === CONFIRMATION === #


def _confirmation_status(el, what, warnings):
    price = _find(el, "UnitPrice")
    tax = _find(el, "Tax")
    shipping = _find(el, "Shipping")
    item_in = _find(el, "ItemIn")
    if item_in is not None:
        detail = _find(item_in, "ItemDetail")
        if price is None and detail is not None:
            price = _find(detail, "UnitPrice")
        tax = tax if tax is not None else _find(item_in, "Tax")
        shipping = shipping if shipping is not None else _find(item_in, "Shipping")
    comments = _children(el, "Comments")
    return ConfirmationStatus(
        type=el.get("type") or "unknown",
        quantity=_decimal(el.get("quantity"), f"{what} quantity", warnings),
        unit_of_measure=_child_text(el, "UnitOfMeasure") or None,
        unit_price=_money_in(price, f"{what} UnitPrice", warnings),
        shipment_date=_date(el.get("shipmentDate"), f"{what} shipmentDate", warnings),
        delivery_date=_date(el.get("deliveryDate"), f"{what} deliveryDate", warnings),
        comments=tuple(t for t in (_text(c) for c in comments) if t),
        tax=_money_in(tax, f"{what} Tax", warnings),
        shipping=_money_in(shipping, f"{what} Shipping", warnings),
        extrinsics=_extrinsics(_children(el, "Extrinsic")),
        comment_types=tuple(
            (c.get("type") or "", _text(c) or "") for c in comments if _text(c)
        ),
    )


def _confirmation_request(el, warnings):
    header = _find(el, "ConfirmationHeader")
    if header is None:
        raise CXMLParseError("ConfirmationRequest without ConfirmationHeader")
    order_id, order_date, order_payload_id = _order_reference(
        _find(el, "OrderReference")
    )
    items = []
    for index, item in enumerate(_children(el, "ConfirmationItem"), 1):
        what = f"ConfirmationItem {index}"
        items.append(
            ConfirmationItem(
                line_number=_int(
                    item.get("lineNumber"), f"{what} lineNumber", warnings
                ),
                quantity=_decimal(item.get("quantity"), f"{what} quantity", warnings),
                unit_of_measure=_child_text(item, "UnitOfMeasure") or None,
                statuses=tuple(
                    _confirmation_status(status, f"{what} status {n}", warnings)
                    for n, status in enumerate(_children(item, "ConfirmationStatus"), 1)
                ),
            )
        )
    return ConfirmationRequest(
        confirm_id=header.get("confirmID") or None,
        type=header.get("type") or "",
        operation=header.get("operation") or "new",
        notice_date=_date(header.get("noticeDate"), "noticeDate", warnings),
        order_id=order_id,
        order_date=_date(order_date, "orderDate", warnings),
        order_payload_id=order_payload_id,
        total=_money_in(_find(header, "Total"), "Total", warnings),
        shipping=_money_in(_find(header, "Shipping"), "Shipping", warnings),
        tax=_money_in(_find(header, "Tax"), "Tax", warnings),
        comments=_comments(header),
        items=tuple(items),
        invoice_id=header.get("invoiceID") or None,
        extrinsics=_extrinsics(_children(header, "Extrinsic")),
    )


# === SHIP NOTICE === #


def _ship_control(el, warnings):
    carriers = tuple(
        ((c.get("domain") or "").strip(_WS), _text(c) or "")
        for c in _children(el, "CarrierIdentifier")
    )
    carrier = ""
    for domain, text in carriers:
        if text and domain.lower() == "companyname":
            carrier = text
            break
    if not carrier:
        carrier = next((text for _domain, text in carriers if text), "")
    identifiers = _children(el, "ShipmentIdentifier")
    numbers = tuple(_text(i) or "" for i in identifiers)
    first = identifiers[0] if identifiers else None
    package = _find(el, "PackageIdentification")
    return ShipControl(
        carrier=carrier,
        tracking_number=numbers[0] if numbers else "",
        tracking_url=(first.get("trackingURL") or None) if first is not None else None,
        carrier_domain=carriers[0][0] if carriers else None,
        carriers=carriers,
        tracking_numbers=numbers,
        tracking_number_date=(
            _date(first.get("trackingNumberDate"), "trackingNumberDate", warnings)
            if first is not None
            else None
        ),
        package_range=(
            (package.get("rangeBegin") or "", package.get("rangeEnd") or "")
            if package is not None
            else None
        ),
    )


def _ship_notice_request(el, warnings):
    header = _find(el, "ShipNoticeHeader")
    if header is None:
        raise CXMLParseError("ShipNoticeRequest without ShipNoticeHeader")
    controls = list(_children(header, "ShipControl"))
    if controls:
        warnings.append("ShipControl inside ShipNoticeHeader (accepted)")
    controls += _children(el, "ShipControl")
    # Some senders put it in the portion: read it wherever it is.
    for portion in _children(el, "ShipNoticePortion"):
        controls += _children(portion, "ShipControl")
    portions = []
    for portion in _children(el, "ShipNoticePortion"):
        order_id, order_date, order_payload_id = _order_reference(
            _find(portion, "OrderReference")
        )
        items = []
        for index, item in enumerate(_children(portion, "ShipNoticeItem"), 1):
            what = f"ShipNoticeItem {index}"
            item_id = _find(item, "ItemID")
            items.append(
                ShipNoticeItem(
                    line_number=_int(
                        item.get("lineNumber"), f"{what} lineNumber", warnings
                    ),
                    quantity=_decimal(
                        item.get("quantity"), f"{what} quantity", warnings
                    ),
                    unit_of_measure=_child_text(item, "UnitOfMeasure") or None,
                    supplier_part_id=_child_text(item_id, "SupplierPartID"),
                    supplier_part_auxiliary_id=_child_text(
                        item_id, "SupplierPartAuxiliaryID"
                    ),
                )
            )
        portions.append(
            ShipNoticePortion(
                order_id=order_id,
                order_payload_id=order_payload_id,
                items=tuple(items),
                order_date=_date(order_date, "orderDate", warnings),
            )
        )
    return ShipNoticeRequest(
        shipment_id=header.get("shipmentID"),
        operation=header.get("operation") or "new",
        notice_date=_date(header.get("noticeDate"), "noticeDate", warnings),
        shipment_date=_date(header.get("shipmentDate"), "shipmentDate", warnings),
        delivery_date=_date(header.get("deliveryDate"), "deliveryDate", warnings),
        shipment_type=header.get("shipmentType"),
        fulfillment_type=header.get("fulfillmentType"),
        carriers=tuple(_ship_control(c, warnings) for c in controls),
        portions=tuple(portions),
        comments=_comments(header),
    )


# === INVOICE === #


def _yes(value):
    return (value or "").strip(_WS).lower() == "yes"


def _invoice_item(el, warnings, service=False):
    what = f"InvoiceDetailItem {el.get('invoiceLineNumber')!r}"
    ref = el.find(
        "InvoiceDetailServiceItemReference" if service else "InvoiceDetailItemReference"
    )
    item_id = _find(ref, "ItemID") if ref is not None else None
    tax_el = _find(el, "Tax")
    line_shipping = _find(el, "InvoiceDetailLineShipping")
    return InvoiceDetailItem(
        invoice_line_number=_int(
            el.get("invoiceLineNumber"), f"{what} invoiceLineNumber", warnings
        ),
        line_number=(
            _int(ref.get("lineNumber"), f"{what} lineNumber", warnings)
            if ref is not None
            else None
        ),
        quantity=_decimal(el.get("quantity"), f"{what} quantity", warnings),
        unit_of_measure=_child_text(el, "UnitOfMeasure") or None,
        unit_price=_money_in(_find(el, "UnitPrice"), f"{what} UnitPrice", warnings),
        supplier_part_id=_child_text(item_id, "SupplierPartID"),
        supplier_part_auxiliary_id=_child_text(item_id, "SupplierPartAuxiliaryID"),
        description=_description(_find(ref, "Description"))[0] or None
        if ref is not None
        else None,
        subtotal_amount=_money_in(
            _find(el, "SubtotalAmount"), f"{what} SubtotalAmount", warnings
        ),
        tax=_money_in(tax_el, f"{what} Tax", warnings),
        tax_details=_tax_details(tax_el, warnings),
        shipping=_money_in(line_shipping, f"{what} Shipping", warnings),
        net_amount=_money_in(_find(el, "NetAmount"), f"{what} NetAmount", warnings),
        gross_amount=_money_in(
            _find(el, "GrossAmount"), f"{what} GrossAmount", warnings
        ),
    )


def _invoice_order(el, warnings, header_order=False):
    info = _find(el, "InvoiceDetailOrderInfo")
    order_id = order_date = order_payload_id = supplier_order_id = None
    if info is not None:
        reference = _find(info, "OrderReference")
        if reference is not None:
            order_id, order_date, order_payload_id = _order_reference(reference)
        else:
            id_info = _find(info, "OrderIDInfo")
            if id_info is not None:
                order_id, order_date = id_info.get("orderID"), id_info.get("orderDate")
        supplier = _find(info, "SupplierOrderInfo")
        if supplier is not None:
            supplier_order_id = supplier.get("orderID")
    items = []
    if header_order:
        warnings.append("InvoiceDetailHeaderOrder: order-level invoice without lines")
    else:
        for child in el:
            if child.tag == "InvoiceDetailItem":
                items.append(_invoice_item(child, warnings))
            elif child.tag == "InvoiceDetailServiceItem":
                items.append(_invoice_item(child, warnings, service=True))
    return InvoiceDetailOrder(
        order_id=order_id,
        order_date=_date(order_date, "orderDate", warnings),
        order_payload_id=order_payload_id,
        supplier_order_id=supplier_order_id,
        items=tuple(items),
    )


def _invoice_detail_request(el, warnings):
    header = _find(el, "InvoiceDetailRequestHeader")
    if header is None:
        raise CXMLParseError("InvoiceDetailRequest without InvoiceDetailRequestHeader")
    indicator = _find(header, "InvoiceDetailLineIndicator")
    orders = []
    for child in el:
        if child.tag == "InvoiceDetailOrder":
            orders.append(_invoice_order(child, warnings))
        elif child.tag == "InvoiceDetailHeaderOrder":
            orders.append(_invoice_order(child, warnings, header_order=True))
    summary = _find(el, "InvoiceDetailSummary")
    if summary is None:
        warnings.append("InvoiceDetailSummary missing")

    def amount(tag):
        return _money_in(
            _find(summary, tag) if summary is not None else None, tag, warnings
        )

    tax_el = _find(summary, "Tax") if summary is not None else None
    raw_date = header.get("invoiceDate")
    return InvoiceDetailRequest(
        invoice_id=header.get("invoiceID"),
        invoice_date=_date(raw_date, "invoiceDate", warnings),
        purpose=header.get("purpose") or "standard",
        operation=header.get("operation") or "new",
        is_information_only=_yes(header.get("isInformationOnly")),
        is_tax_in_line=_yes(indicator.get("isTaxInLine"))
        if indicator is not None
        else False,
        is_shipping_in_line=_yes(indicator.get("isShippingInLine"))
        if indicator is not None
        else False,
        orders=tuple(orders),
        subtotal_amount=amount("SubtotalAmount"),
        tax=_money_in(tax_el, "Tax", warnings),
        tax_details=_tax_details(tax_el, warnings),
        shipping_amount=amount("ShippingAmount"),
        special_handling_amount=amount("SpecialHandlingAmount"),
        gross_amount=amount("GrossAmount"),
        net_amount=amount("NetAmount"),
        due_amount=amount("DueAmount"),
        invoice_date_raw=raw_date,
        comments=_comments(header),
        extrinsics=_extrinsics(_children(header, "Extrinsic")),
    )


# === ENVELOPE === #

_OWN_PARSERS = {
    "PunchOutSetupRequest": _punchout_setup_request,
    "OrderRequest": _order_request,
}

_REQUEST_PARSERS = {
    "ConfirmationRequest": _confirmation_request,
    "ShipNoticeRequest": _ship_notice_request,
    "InvoiceDetailRequest": _invoice_detail_request,
}


def _first_element(el):
    for child in el:
        if isinstance(child.tag, str):
            return child
    return None


def _response(envelope, warnings):
    status = _status(_find(envelope, "Status"), warnings)
    if status is None:
        raise CXMLParseError("Response without Status")
    specific = None
    for child in envelope:
        if child.tag != "Status":
            specific = child
            break
    if specific is not None and specific.tag == "PunchOutSetupResponse":
        body = PunchOutSetupResponse(
            status=status,
            start_page_url=_child_text(_find(specific, "StartPage"), "URL") or None,
        )
        return "PunchOutSetupResponse", status, body
    body = Response(
        status=status, body_type=specific.tag if specific is not None else None
    )
    return "Response", status, body


def _parse_root(root, warnings):
    tag = root.tag
    if not isinstance(tag, str) or tag != "cXML":
        shown = str(tag)[:60]
        if isinstance(tag, str) and tag.lower() == "cxml":
            raise CXMLParseError(
                f"Root element is <{shown}>, expected <cXML> "
                "(XML element names are case-sensitive)"
            )
        raise CXMLParseError(f"Root element is <{shown}>, expected <cXML>")
    timestamp_raw = root.get("timestamp")
    timestamp = _date(timestamp_raw, "timestamp", warnings)
    payload_id = root.get("payloadID")
    if not payload_id:
        warnings.append("payloadID missing")
    header = _header(_find(root, "Header"), warnings)
    deployment_mode = None
    status = None
    body = None
    doc_type = None
    envelope = None
    for child in root:
        if child.tag in ("Request", "Message", "Response"):
            envelope = child
            break
    if envelope is None:
        raise CXMLParseError("cXML document without Request, Message or Response")
    inner = _first_element(envelope)
    if envelope.tag == "Response":
        doc_type, status, body = _response(envelope, warnings)
    else:
        if header is None:
            warnings.append(f"{envelope.tag} without Header")
        deployment_mode = envelope.get("deploymentMode") or "production"
        if inner is None:
            raise CXMLParseError(f"empty <{envelope.tag}>")
        doc_type = inner.tag
        if doc_type == "PunchOutOrderMessage":
            body = _punchout_order_message(inner, warnings)
        elif doc_type in _REQUEST_PARSERS:
            body = _REQUEST_PARSERS[doc_type](inner, warnings)
        elif doc_type in _OWN_PARSERS:
            envelope_info = {
                "header": header,
                "deployment_mode": deployment_mode,
                "payload_id": payload_id,
                "timestamp": timestamp,
            }
            body = _OWN_PARSERS[doc_type](inner, warnings, envelope_info)
        else:
            warnings.append(f"{doc_type}: document type not mapped, body omitted")
    return CXMLDocument(
        doc_type=doc_type,
        payload_id=payload_id,
        timestamp=timestamp,
        timestamp_raw=timestamp_raw,
        version=root.get("version"),
        deployment_mode=deployment_mode,
        header=header,
        status=status,
        body=body,
        warnings=tuple(warnings),
        lang=root.get("{http://www.w3.org/XML/1998/namespace}lang"),
    )


def parse(data, *, max_size=MAX_SIZE, max_depth=MAX_DEPTH):
    """Parse any cXML document into a :class:`CXMLDocument`.

    :raise CXMLParseError: malformed, hostile or oversized input (cXML 400)
    """
    root = load_xml(data, max_size=max_size, max_depth=max_depth)
    warnings = []
    docinfo = root.getroottree().docinfo
    system_url = docinfo.system_url
    if not docinfo.doctype:
        warnings.append("no DOCTYPE")
    elif system_url and not system_url.lower().startswith(
        ("http://xml.cxml.org/", "https://xml.cxml.org/")
    ):
        warnings.append("DOCTYPE names a non-cXML DTD (not loaded)")
    try:
        document = _parse_root(root, warnings)
    except CXMLError:
        raise
    except Exception as exc:  # noqa: BLE001 - defensive: only CXMLError leaves
        raise CXMLParseError(f"Unusable cXML document ({type(exc).__name__})") from None
    if system_url:
        document = _replace_doctype(document, system_url)
    return document


def _replace_doctype(document, system_url):
    return replace(document, doctype_system_url=system_url)


def parse_cart(data, **kwargs):
    """Parse a PunchOutOrderMessage; other document types are refused."""
    document = parse(data, **kwargs)
    if document.doc_type != "PunchOutOrderMessage":
        raise CXMLUnsupportedError(
            f"expected a PunchOutOrderMessage, got {document.doc_type}", 406
        )
    return document
