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
    comment_details,
    decimal,
    extrinsics,
    integer,
    money_description,
    money_in,
    order_reference,
    reason_and_error_code,
    text,
    timestamp,
)

# === CONFIRMATION === #

#: confirmation types that accept what they cover: their Comments are no reason
_ACCEPTING = ("accept", "allDetail", "detail", "requestToPay")


def _reason(kind, notes):
    """(reason, error code) of a status that does not accept (doc §6.2)."""
    if kind in _ACCEPTING:
        return None, None
    return reason_and_error_code(notes)


def _confirmation_status(el, what, warnings):
    price, tax, shipping = el.find("UnitPrice"), el.find("Tax"), el.find("Shipping")
    item_in = el.find("ItemIn")
    item_id = item_in.find("ItemID") if item_in is not None else None
    if item_in is not None:
        # a changed line may come as a whole ItemIn: its values as fallback
        if price is None:
            price = item_in.find("ItemDetail/UnitPrice")
        if tax is None:
            tax = item_in.find("Tax")
        if shipping is None:
            shipping = item_in.find("Shipping")
    notes = comment_details(el)
    kind = el.get("type") or "unknown"
    reason, error_code = _reason(kind, notes)
    return ConfirmationStatus(
        type=kind,
        quantity=decimal(el.get("quantity"), f"{what} quantity", warnings),
        unit_of_measure=child_text(el, "UnitOfMeasure") or None,
        unit_price=money_in(price, f"{what} UnitPrice", warnings),
        shipment_date=timestamp(
            el.get("shipmentDate"), f"{what} shipmentDate", warnings
        ),
        delivery_date=timestamp(
            el.get("deliveryDate"), f"{what} deliveryDate", warnings
        ),
        comments=tuple(note.text for note in notes),
        comment_types=tuple((note.type or "", note.text) for note in notes),
        comment_details=notes,
        confirm_id=next(
            (note.text for note in notes if (note.type or "").lower() == "confirmid"),
            None,
        ),
        reason=reason,
        error_code=error_code,
        supplier_part_id=child_text(item_id, "SupplierPartID"),
        supplier_part_auxiliary_id=child_text(item_id, "SupplierPartAuxiliaryID"),
        tax=money_in(tax, f"{what} Tax", warnings),
        tax_description=money_description(tax),
        shipping=money_in(shipping, f"{what} Shipping", warnings),
        shipping_description=money_description(shipping),
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
    kind = header.get("type") or ""
    notes = comment_details(header)
    reason, error_code = _reason(kind, notes)
    shipping, tax = header.find("Shipping"), header.find("Tax")
    return ConfirmationRequest(
        confirm_id=header.get("confirmID") or None,
        type=kind,
        operation=header.get("operation") or "new",
        notice_date=timestamp(header.get("noticeDate"), "noticeDate", warnings),
        order_id=order_id,
        order_date=timestamp(order_date, "orderDate", warnings),
        order_payload_id=order_payload_id,
        total=money_in(header.find("Total"), "Total", warnings),
        shipping=money_in(shipping, "Shipping", warnings),
        shipping_description=money_description(shipping),
        tax=money_in(tax, "Tax", warnings),
        tax_description=money_description(tax),
        comments=tuple(note.text for note in notes),
        comment_details=notes,
        reason=reason,
        error_code=error_code,
        items=tuple(
            _confirmation_item(item, index, warnings)
            for index, item in enumerate(el.iterchildren("ConfirmationItem"), 1)
        ),
        invoice_id=header.get("invoiceID") or None,
        extrinsics=extrinsics(children(header, "Extrinsic")),
    )


# === SHIP NOTICE === #


def _ship_control(el, placement, warnings):
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
        shipment_identifiers=tuple(
            ((s.get("domain") or "").strip(), text(s) or "") for s in shipments
        ),
        placement=placement,
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


def _ship_controls(el, placement, warnings):
    """ShipControls of ``el``; outside the request they are not where the DTD
    puts them, but Amazon-like senders do it (doc §6.3): kept, with a warning."""
    controls = children(el, "ShipControl")
    if controls and placement != "request":
        warnings.append(f"ShipControl inside {el.tag} (accepted)")
    return tuple(_ship_control(control, placement, warnings) for control in controls)


def _ship_notice_portion(el, warnings):
    order_id, order_date, order_payload_id = order_reference(el.find("OrderReference"))
    notes = comment_details(el)
    return ShipNoticePortion(
        order_id=order_id,
        order_payload_id=order_payload_id,
        items=tuple(
            _ship_notice_item(item, index, warnings)
            for index, item in enumerate(el.iterchildren("ShipNoticeItem"), 1)
        ),
        order_date=timestamp(order_date, "orderDate", warnings),
        ship_controls=_ship_controls(el, "portion", warnings),
        comments=tuple(note.text for note in notes),
        comment_details=notes,
    )


def ship_notice_request(el, warnings):
    header = el.find("ShipNoticeHeader")
    if header is None:
        raise CXMLParseError("ShipNoticeRequest without ShipNoticeHeader")
    portions = tuple(
        _ship_notice_portion(portion, warnings)
        for portion in el.iterchildren("ShipNoticePortion")
    )
    # every ShipControl of the notice, wherever it is; a portion's also on it
    controls = (
        _ship_controls(header, "header", warnings)
        + _ship_controls(el, "request", warnings)
        + tuple(control for portion in portions for control in portion.ship_controls)
    )
    notes = comment_details(header)
    return ShipNoticeRequest(
        shipment_id=header.get("shipmentID"),
        operation=header.get("operation") or "new",
        notice_date=timestamp(header.get("noticeDate"), "noticeDate", warnings),
        shipment_date=timestamp(header.get("shipmentDate"), "shipmentDate", warnings),
        delivery_date=timestamp(header.get("deliveryDate"), "deliveryDate", warnings),
        shipment_type=header.get("shipmentType"),
        fulfillment_type=header.get("fulfillmentType"),
        carriers=controls,
        portions=portions,
        comments=tuple(note.text for note in notes),
        comment_details=notes,
    )
