# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fulfilment documents Amazon sends us: ConfirmationRequest, ShipNoticeRequest."""

from ..exceptions import CXMLParseError
from ..model import (
    ConfirmationItem,
    ConfirmationRequest,
    ConfirmationStatus,
    ShipControl,
    ShipNoticeItem,
    ShipNoticePortion,
    ShipNoticeRequest,
)
from .common import (
    child_text,
    children,
    comments,
    decimal,
    extrinsics,
    integer,
    money_in,
    order_reference,
    text,
    timestamp,
)

# === CONFIRMATION === #


def _confirmation_status(el, what, warnings):
    price, tax, shipping = el.find("UnitPrice"), el.find("Tax"), el.find("Shipping")
    item_in = el.find("ItemIn")
    if item_in is not None:
        # a changed line may come as a whole ItemIn: its values as fallback
        if price is None:
            price = item_in.find("ItemDetail/UnitPrice")
        if tax is None:
            tax = item_in.find("Tax")
        if shipping is None:
            shipping = item_in.find("Shipping")
    notes = [
        (child.get("type") or "", text(child)) for child in children(el, "Comments")
    ]
    return ConfirmationStatus(
        type=el.get("type") or "unknown",
        quantity=decimal(el.get("quantity"), f"{what} quantity", warnings),
        unit_of_measure=child_text(el, "UnitOfMeasure") or None,
        unit_price=money_in(price, f"{what} UnitPrice", warnings),
        shipment_date=timestamp(
            el.get("shipmentDate"), f"{what} shipmentDate", warnings
        ),
        delivery_date=timestamp(
            el.get("deliveryDate"), f"{what} deliveryDate", warnings
        ),
        comments=tuple(value for _type, value in notes if value),
        comment_types=tuple((kind, value) for kind, value in notes if value),
        tax=money_in(tax, f"{what} Tax", warnings),
        shipping=money_in(shipping, f"{what} Shipping", warnings),
        extrinsics=extrinsics(children(el, "Extrinsic")),
    )


def _confirmation_item(el, index, warnings):
    what = f"ConfirmationItem {index}"
    return ConfirmationItem(
        line_number=integer(el.get("lineNumber"), f"{what} lineNumber", warnings),
        quantity=decimal(el.get("quantity"), f"{what} quantity", warnings),
        unit_of_measure=child_text(el, "UnitOfMeasure") or None,
        statuses=tuple(
            _confirmation_status(status, f"{what} status {number}", warnings)
            for number, status in enumerate(el.iterchildren("ConfirmationStatus"), 1)
        ),
    )


def confirmation_request(el, warnings):
    header = el.find("ConfirmationHeader")
    if header is None:
        raise CXMLParseError("ConfirmationRequest without ConfirmationHeader")
    order_id, order_date, order_payload_id = order_reference(el.find("OrderReference"))
    return ConfirmationRequest(
        confirm_id=header.get("confirmID") or None,
        type=header.get("type") or "",
        operation=header.get("operation") or "new",
        notice_date=timestamp(header.get("noticeDate"), "noticeDate", warnings),
        order_id=order_id,
        order_date=timestamp(order_date, "orderDate", warnings),
        order_payload_id=order_payload_id,
        total=money_in(header.find("Total"), "Total", warnings),
        shipping=money_in(header.find("Shipping"), "Shipping", warnings),
        tax=money_in(header.find("Tax"), "Tax", warnings),
        comments=comments(header),
        items=tuple(
            _confirmation_item(item, index, warnings)
            for index, item in enumerate(el.iterchildren("ConfirmationItem"), 1)
        ),
        invoice_id=header.get("invoiceID") or None,
        extrinsics=extrinsics(children(header, "Extrinsic")),
    )


# === SHIP NOTICE === #


def _ship_control(el, warnings):
    carriers = tuple(
        ((c.get("domain") or "").strip(), text(c) or "")
        for c in el.iterchildren("CarrierIdentifier")
    )
    # the company name reads best; else the first identifier given
    carrier = next(
        (
            value
            for domain, value in carriers
            if value and domain.lower() == "companyname"
        ),
        next((value for _domain, value in carriers if value), ""),
    )
    shipments = children(el, "ShipmentIdentifier")
    first = shipments[0] if shipments else None
    package = el.find("PackageIdentification")
    return ShipControl(
        carrier=carrier,
        tracking_number=text(first) or "",
        tracking_url=first.get("trackingURL") or None if first is not None else None,
        carrier_domain=carriers[0][0] if carriers else None,
        carriers=carriers,
        tracking_numbers=tuple(text(s) or "" for s in shipments),
        tracking_number_date=timestamp(
            first.get("trackingNumberDate") if first is not None else None,
            "trackingNumberDate",
            warnings,
        ),
        package_range=(package.get("rangeBegin") or "", package.get("rangeEnd") or "")
        if package is not None
        else None,
    )


def _ship_notice_item(el, index, warnings):
    what = f"ShipNoticeItem {index}"
    item_id = el.find("ItemID")
    return ShipNoticeItem(
        line_number=integer(el.get("lineNumber"), f"{what} lineNumber", warnings),
        quantity=decimal(el.get("quantity"), f"{what} quantity", warnings),
        unit_of_measure=child_text(el, "UnitOfMeasure") or None,
        supplier_part_id=child_text(item_id, "SupplierPartID"),
        supplier_part_auxiliary_id=child_text(item_id, "SupplierPartAuxiliaryID"),
    )


def _ship_notice_portion(el, warnings):
    order_id, order_date, order_payload_id = order_reference(el.find("OrderReference"))
    return ShipNoticePortion(
        order_id=order_id,
        order_payload_id=order_payload_id,
        items=tuple(
            _ship_notice_item(item, index, warnings)
            for index, item in enumerate(el.iterchildren("ShipNoticeItem"), 1)
        ),
        order_date=timestamp(order_date, "orderDate", warnings),
    )


def ship_notice_request(el, warnings):
    header = el.find("ShipNoticeHeader")
    if header is None:
        raise CXMLParseError("ShipNoticeRequest without ShipNoticeHeader")
    controls = children(header, "ShipControl")
    if controls:
        warnings.append("ShipControl inside ShipNoticeHeader (accepted)")
    controls += children(el, "ShipControl")
    return ShipNoticeRequest(
        shipment_id=header.get("shipmentID"),
        operation=header.get("operation") or "new",
        notice_date=timestamp(header.get("noticeDate"), "noticeDate", warnings),
        shipment_date=timestamp(header.get("shipmentDate"), "shipmentDate", warnings),
        delivery_date=timestamp(header.get("deliveryDate"), "deliveryDate", warnings),
        shipment_type=header.get("shipmentType"),
        fulfillment_type=header.get("fulfillmentType"),
        carriers=tuple(_ship_control(control, warnings) for control in controls),
        portions=tuple(
            _ship_notice_portion(portion, warnings)
            for portion in el.iterchildren("ShipNoticePortion")
        ),
        comments=comments(header),
    )
