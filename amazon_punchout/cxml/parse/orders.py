# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Our own requests read back: PunchOutSetupRequest and OrderRequest.

Used by the round-trip tests, the inspector and the sandbox-facing tests.
"""

from ..exceptions import CXMLParseError
from ..model import Address, ItemOut, OrderRequest, PunchOutSetupRequest
from .common import (
    child_text,
    children,
    comments,
    day,
    decimal,
    description,
    extrinsics,
    integer,
    money_in,
    text,
    timestamp,
)


def _phone(el):
    number = el.find("Phone/TelephoneNumber") if el is not None else None
    if number is None:
        return None
    parts = [child_text(number, "AreaOrCityCode"), child_text(number, "Number")]
    phone = " ".join(part for part in parts if part)
    dial = child_text(number, "CountryCode")
    return (f"+{dial} {phone}" if dial else phone) or None


def address(el):
    if el is None:
        return None
    postal = el.find("PostalAddress")
    country = postal.find("Country") if postal is not None else None
    return Address(
        name=child_text(el, "Name") or "",
        address_id=el.get("addressID"),
        deliver_to=tuple(map(text, children(postal, "DeliverTo"))),
        street=tuple(map(text, children(postal, "Street"))),
        city=child_text(postal, "City") or "",
        state=child_text(postal, "State"),
        postal_code=child_text(postal, "PostalCode"),
        country_code=country.get("isoCountryCode") or "" if country is not None else "",
        country_name=text(country),
        email=child_text(el, "Email"),
        phone=_phone(el),
    )


def punchout_setup_request(el, warnings, envelope):
    pairs = extrinsics(children(el, "Extrinsic"))
    user_email = next(
        (
            value
            for name, value in pairs
            if name.lower() in ("useremail", "email") and value
        ),
        None,
    )
    user_name = ""
    for contact in el.iterchildren("Contact"):
        user_email = user_email or child_text(contact, "Email")
        user_name = user_name or child_text(contact, "Name") or ""
    return PunchOutSetupRequest(
        header=envelope["header"],
        buyer_cookie=child_text(el, "BuyerCookie") or "",
        browser_form_post_url=child_text(el.find("BrowserFormPost"), "URL") or "",
        user_email=user_email or "",
        user_name=user_name,
        deployment_mode=envelope["deployment_mode"],
        extrinsics=tuple(pair for pair in pairs if pair[0] != "UserEmail"),
        ship_to=address(el.find("ShipTo/Address")),
        operation=el.get("operation") or "create",
        payload_id=envelope["payload_id"],
        timestamp=envelope["timestamp"],
    )


def _item_out(el, index, warnings):
    what = f"ItemOut {index}"
    item_id = el.find("ItemID")
    detail = el.find("ItemDetail")
    description_text, _short, lang = description(
        detail.find("Description") if detail is not None else None
    )
    return ItemOut(
        line_number=integer(el.get("lineNumber"), f"{what} lineNumber", warnings),
        quantity=decimal(el.get("quantity"), f"{what} quantity", warnings, True),
        supplier_part_id=child_text(item_id, "SupplierPartID") or "",
        supplier_part_auxiliary_id=child_text(item_id, "SupplierPartAuxiliaryID"),
        unit_price=money_in(
            detail.find("UnitPrice") if detail is not None else None,
            f"{what} UnitPrice",
            warnings,
        ),
        description=description_text,
        unit_of_measure=child_text(detail, "UnitOfMeasure"),
        classifications=tuple(
            (c.get("domain") or "", text(c)) for c in children(detail, "Classification")
        ),
        manufacturer_part_id=child_text(detail, "ManufacturerPartID"),
        manufacturer_name=child_text(detail, "ManufacturerName"),
        requested_delivery_date=day(
            el.get("requestedDeliveryDate"), f"{what} requestedDeliveryDate", warnings
        ),
        extrinsics=extrinsics(children(detail, "Extrinsic")),
        description_lang=lang or "en-US",
    )


def order_request(el, warnings, envelope):
    header = el.find("OrderRequestHeader")
    if header is None:
        raise CXMLParseError("OrderRequest without OrderRequestHeader")
    contact = header.find("Contact")
    notes = comments(header)
    return OrderRequest(
        header=envelope["header"],
        order_id=header.get("orderID") or "",
        order_date=timestamp(header.get("orderDate"), "orderDate", warnings),
        items=tuple(
            _item_out(item, index, warnings)
            for index, item in enumerate(el.iterchildren("ItemOut"), 1)
        ),
        ship_to=address(header.find("ShipTo/Address")),
        bill_to=address(header.find("BillTo/Address")),
        deployment_mode=envelope["deployment_mode"],
        order_type=header.get("type") or "new",
        total=money_in(header.find("Total"), "Total", warnings),
        shipping=money_in(header.find("Shipping"), "Shipping", warnings),
        tax=money_in(header.find("Tax"), "Tax", warnings),
        contact_name=child_text(contact, "Name"),
        contact_email=child_text(contact, "Email"),
        comments="\n".join(notes) if notes else None,
        extrinsics=extrinsics(children(header, "Extrinsic")),
        payload_id=envelope["payload_id"],
        timestamp=envelope["timestamp"],
    )
