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
from .render import render_document
from .values import (
    format_date,
    format_decimal,
    format_money,
    format_timestamp,
)

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
    return render_document(value, templates.PunchOutSetupRequestDocument, DTD_CXML)


def _item_out(item, lang, currency):
    """ItemOut value of one line; its price in the document's currency."""
    if not isinstance(item.quantity, Decimal):
        raise TypeError("quantities must be Decimal")
    price = _money(item.unit_price)
    if price["currency"] != currency:
        raise ValueError("all lines of an OrderRequest need the same currency")
    requested = item.requested_delivery_date
    return {
        "quantity": format_decimal(item.quantity),
        "lineNumber": str(item.line_number),
        "requestedDeliveryDate": format_date(requested) if requested else None,
        "ItemID": {
            "SupplierPartID": item.supplier_part_id,
            # echoed verbatim (doc §5)
            "SupplierPartAuxiliaryID": item.supplier_part_auxiliary_id,
        },
        "ItemDetail": {
            "UnitPrice": {"Money": price},
            "Description": {
                "xml:lang": item.description_lang or lang,
                "_text": item.description,
            },
            "UnitOfMeasure": item.unit_of_measure or "EA",
            "Classification": [
                {"domain": domain, "_text": value}
                for domain, value in item.classifications or (("UNSPSC", ""),)
            ],
            "ManufacturerPartID": item.manufacturer_part_id,
            "ManufacturerName": item.manufacturer_name,
            "Extrinsic": _extrinsics(item.extrinsics),
        },
    }


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
    lines_total, currency = order_total(doc)
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
        "ItemOut": [_item_out(item, lang, currency) for item in doc.items],
    }
    value = _envelope(doc, "OrderRequest", request, lang)
    return render_document(value, templates.OrderRequestDocument, DTD_CXML)


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
    return render_document(value, templates.ResponseDocument, DTD_CXML)
