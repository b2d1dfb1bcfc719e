# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dataclasses -> cXML bytes, strictly in DTD order (doc §3, §5, §7)."""

import re
from datetime import datetime, timezone
from decimal import Decimal

from . import templates
from .auth import new_payload_id
from .const import CXML_VERSION, DEPLOYMENT_MODES, DTD_CXML, STATUS_TEXT
from .model import Money
from .render import render_document, render_repeated
from .values import (
    format_date,
    format_decimal,
    format_money,
    format_timestamp,
    quantize_money,
)

#: callables receiving ``(doc_type, bytes)`` after each build (tests use it to
#: DTD-validate every document built during a session)
_observers = []


def add_build_observer(callback):
    """Register ``callback(doc_type, data)``, called after each build."""
    _observers.append(callback)


def remove_build_observer(callback):
    if callback in _observers:
        _observers.remove(callback)


def _emit(doc_type, value, template, dtd_file=DTD_CXML):
    data = render_document(value, template, dtd_file)
    for callback in tuple(_observers):
        callback(doc_type, data)
    return data


# === PARTS === #


def _money(money):
    if money is None:
        return None
    if not isinstance(money.amount, Decimal):
        raise TypeError("money amounts must be Decimal")
    currency = money.currency.strip().upper()
    return {"currency": currency, "_text": format_money(money.amount, currency)}


def _credential(credential, with_secret=False):
    value = {"domain": credential.domain, "Identity": credential.identity}
    if with_secret and credential.shared_secret:
        value["SharedSecret"] = credential.shared_secret
    return value


def _header(header):
    if not header.from_credentials or not header.to_credentials:
        raise ValueError("Header needs From and To credentials")
    return {
        "From": {"Credential": [_credential(c) for c in header.from_credentials]},
        "To": {"Credential": [_credential(c) for c in header.to_credentials]},
        "Sender": {
            # SharedSecret only under Sender (doc §2.3)
            "Credential": [_credential(header.sender, with_secret=True)],
            "UserAgent": header.user_agent or "amazon_punchout",
        },
    }


_PHONE_RE = re.compile(r"^\s*\+(\d{1,3})[\s./-]*(.*)$")


def _phone(phone, country_code):
    if not phone:
        return None
    match = _PHONE_RE.match(phone)
    dial, number = (match.group(1), match.group(2)) if match else ("", phone.strip())
    return {
        "TelephoneNumber": {
            "CountryCode": {"isoCountryCode": country_code or "US", "_text": dial},
            "AreaOrCityCode": "",
            "Number": number or phone.strip(),
        }
    }


def _address(address, lang):
    value = {
        "addressID": address.address_id,
        "Name": {"xml:lang": lang, "_text": address.name},
    }
    if address.street or address.city or address.country_code:
        if not address.street or not address.city or not address.country_code:
            raise ValueError(
                f"address {address.name!r} needs street, city and country code"
            )
        value["PostalAddress"] = {
            "DeliverTo": list(address.deliver_to),
            "Street": list(address.street),
            "City": address.city,
            "State": address.state or None,
            "PostalCode": address.postal_code or None,
            "Country": {
                "isoCountryCode": address.country_code.upper(),
                "_text": address.country_name or address.country_code.upper(),
            },
        }
    if address.email:
        value["Email"] = address.email
    if address.phone:
        value["Phone"] = _phone(address.phone, address.country_code.upper())
    return value


def _extrinsics(pairs):
    return [{"name": name, "_text": str(text)} for name, text in pairs]


def _envelope(doc, request_tag, request_value, lang="en-US"):
    if doc.deployment_mode not in DEPLOYMENT_MODES:
        raise ValueError(f"deploymentMode must be one of {DEPLOYMENT_MODES}")
    return {
        "version": CXML_VERSION,
        "payloadID": doc.payload_id or new_payload_id(),
        "timestamp": format_timestamp(doc.timestamp or datetime.now(timezone.utc)),
        "xml:lang": lang,
        "Header": _header(doc.header),
        "Request": {
            "deploymentMode": doc.deployment_mode,
            request_tag: request_value,
        },
    }


# === DOCUMENTS === #


def build_punchout_setup_request(doc):
    """PunchOutSetupRequest bytes (doc §3): UserEmail extrinsic + endUser."""
    lang = doc.user_lang or "en-US"
    extrinsics = [("UserEmail", doc.user_email)] if doc.user_email else []
    extrinsics += [
        (name, value) for name, value in doc.extrinsics if name != "UserEmail"
    ]
    contact = None
    if doc.user_name or doc.user_email:
        contact = {
            "role": "endUser",
            "Name": {"xml:lang": lang, "_text": doc.user_name or doc.user_email},
            "Email": doc.user_email or None,
        }
    request = {
        "operation": doc.operation,
        "BuyerCookie": doc.buyer_cookie,
        "Extrinsic": _extrinsics(extrinsics),
        "BrowserFormPost": {"URL": doc.browser_form_post_url},
        "Contact": contact,
        "ShipTo": {"Address": _address(doc.ship_to, lang)} if doc.ship_to else None,
    }
    value = _envelope(doc, "PunchOutSetupRequest", request, lang)
    return _emit("PunchOutSetupRequest", value, templates.PunchOutSetupRequestDocument)


# ItemOut lines are the bulk of an order. Each line is reduced to a flat list
# of leaf strings plus a *shape* (which optional parts are present); the
# ordered template is rendered once per shape with placeholder leaves (so the
# template stays the single source of element order), and every line of that
# shape is then filled in with its escaped leaves. A 1,000-line order builds
# within a small factor of serialising an lxml tree.

# Leaves (present ones only) in document order: quantity, lineNumber,
# requestedDeliveryDate?, SupplierPartID, SupplierPartAuxiliaryID?, currency,
# unit price, xml:lang, description, UnitOfMeasure, classification pairs,
# ManufacturerPartID?, ManufacturerName?, extrinsic pairs.


def _item_out_leaves(item, lang):
    """(shape, leaves, unit price as emitted) of one ItemOut."""
    quantity = item.quantity
    if type(quantity) is not Decimal:
        raise TypeError("quantities must be Decimal")
    price = item.unit_price
    if type(price.amount) is not Decimal:
        raise TypeError("money amounts must be Decimal")
    currency = price.currency.strip().upper()
    unit = quantize_money(price.amount, currency)
    requested = item.requested_delivery_date
    aux = item.supplier_part_auxiliary_id
    mpid = item.manufacturer_part_id
    mname = item.manufacturer_name
    classifications = item.classifications or (("UNSPSC", ""),)
    extrinsics = item.extrinsics
    leaves = [format_decimal(quantity), str(item.line_number)]
    if requested:
        leaves.append(format_date(requested))
    leaves.append(item.supplier_part_id)
    if aux:
        leaves.append(aux)
    leaves += (
        currency,
        str(unit),
        item.description_lang or lang,
        item.description,
        item.unit_of_measure or "EA",
    )
    for pair in classifications:
        leaves += pair
    if mpid:
        leaves.append(mpid)
    if mname:
        leaves.append(mname)
    for name, text in extrinsics:
        leaves += (name, str(text))
    shape = (
        bool(requested),
        bool(aux),
        bool(mpid),
        bool(mname),
        len(classifications),
        len(extrinsics),
    )
    return shape, leaves, unit


def _item_out_value(shape, leaves):
    """The ItemOut value dict of a shape and its leaves (real or placeholders)."""
    has_date, has_aux, has_mpid, has_mname, n_class, n_ext = shape
    nxt = iter(leaves).__next__
    quantity, line = nxt(), nxt()
    requested = nxt() if has_date else None
    part = nxt()
    aux = nxt() if has_aux else None
    currency, unit, lang, text, uom = nxt(), nxt(), nxt(), nxt(), nxt()
    classes = [{"domain": nxt(), "_text": nxt()} for _ in range(n_class)]
    mpid = nxt() if has_mpid else None
    mname = nxt() if has_mname else None
    extrinsics = [{"name": nxt(), "_text": nxt()} for _ in range(n_ext)]
    return {
        "quantity": quantity,
        "lineNumber": line,
        "requestedDeliveryDate": requested,
        "ItemID": {
            "SupplierPartID": part,
            # echoed verbatim (doc §5)
            "SupplierPartAuxiliaryID": aux,
        },
        "ItemDetail": {
            "UnitPrice": {"Money": {"currency": currency, "_text": unit}},
            "Description": {"xml:lang": lang, "_text": text},
            "UnitOfMeasure": uom,
            "Classification": classes,
            "ManufacturerPartID": mpid,
            "ManufacturerName": mname,
            "Extrinsic": extrinsics,
        },
    }


def _item_out(item, lang):
    """ItemOut value dict of one line (generic renderer path)."""
    shape, leaves, _unit = _item_out_leaves(item, lang)
    return _item_out_value(shape, leaves)


def _render_items(items, lang, currency):
    """Render all ItemOut lines; return (RawXML, exact total of the lines)."""
    rows = []
    total = Decimal(0)
    first_raw = items[0].unit_price.currency
    for item in items:
        raw = item.unit_price.currency
        if raw != first_raw and raw.strip().upper() != currency:
            raise ValueError("all lines of an OrderRequest need the same currency")
        shape, leaves, unit = _item_out_leaves(item, lang)
        line = unit * item.quantity
        if "." in leaves[0] or "E" in leaves[0]:
            # fractional quantity: round the line to the currency's minor units
            line = quantize_money(line, currency)
        total += line
        rows.append((shape, leaves))
    return render_repeated(rows, _item_out_value, templates.ItemOut), total


def order_total(doc):
    """Exact sum of the lines as emitted: unit prices in minor units times
    quantity, each line rounded to the currency's minor units."""
    if not doc.items:
        raise ValueError("an OrderRequest needs at least one item")
    currency = doc.items[0].unit_price.currency.strip().upper()
    total = Decimal(0)
    for item in doc.items:
        if item.unit_price.currency.strip().upper() != currency:
            raise ValueError("all lines of an OrderRequest need the same currency")
        unit = Decimal(format_money(item.unit_price.amount, currency))
        total += Decimal(format_money(unit * item.quantity, currency))
    return total, currency


def _shipping_or_tax(money, text, lang):
    if money is None:
        return None
    return {"Money": _money(money), "Description": {"xml:lang": lang, "_text": text}}


def build_order_request(doc):
    """OrderRequest bytes (doc §5); Total = exact sum of the lines if not given."""
    lang = doc.lang or "en-US"
    if doc.order_type not in ("new", "update", "delete"):
        raise ValueError("order_type must be new, update or delete")
    if not doc.items:
        raise ValueError("an OrderRequest needs at least one item")
    currency = doc.items[0].unit_price.currency.strip().upper()
    items_xml, lines_total = _render_items(doc.items, lang, currency)
    total = doc.total if doc.total is not None else Money(lines_total, currency)
    contact = None
    if doc.contact_name or doc.contact_email:
        contact = {
            "role": "buyer",
            "Name": {"xml:lang": lang, "_text": doc.contact_name or doc.contact_email},
            "Email": doc.contact_email or None,
        }
    header = {
        "orderID": doc.order_id,
        "orderDate": format_timestamp(doc.order_date),
        "type": doc.order_type,
        "Total": {"Money": _money(total)},
        "ShipTo": {"Address": _address(doc.ship_to, lang)},
        "BillTo": {"Address": _address(doc.bill_to, lang)},
        "Shipping": _shipping_or_tax(doc.shipping, "Shipping", lang),
        "Tax": _shipping_or_tax(doc.tax, "Tax", lang),
        "Contact": contact,
        "Comments": (
            {"xml:lang": lang, "_text": doc.comments} if doc.comments else None
        ),
        "Extrinsic": _extrinsics(doc.extrinsics),
    }
    request = {
        "OrderRequestHeader": header,
        "ItemOut": items_xml,
    }
    value = _envelope(doc, "OrderRequest", request, lang)
    return _emit("OrderRequest", value, templates.OrderRequestDocument)


def build_response(code, text=None, payload_id=None, timestamp=None, lang="en-US"):
    """Our cXML answer to an inbound document: ``Response/Status`` only."""
    code = int(code)
    text = text or STATUS_TEXT.get(code) or str(code)
    value = {
        "version": CXML_VERSION,
        "payloadID": payload_id or new_payload_id(),
        "timestamp": format_timestamp(timestamp or datetime.now(timezone.utc)),
        "xml:lang": lang,
        "Response": {"Status": {"code": str(code), "text": text, "xml:lang": lang}},
    }
    return _emit("Response", value, templates.ResponseDocument)
