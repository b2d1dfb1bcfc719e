# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""InvoiceDetailRequest: Amazon's invoices and credit memos (doc §8)."""

from ..exceptions import CXMLParseError
from ..model import InvoiceDetailItem, InvoiceDetailOrder, InvoiceDetailRequest
from .common import (
    child_text,
    children,
    comments,
    decimal,
    description,
    extrinsics,
    integer,
    money_in,
    order_reference,
    tax_details,
    timestamp,
    yes,
)

_ITEMS = {
    "InvoiceDetailItem": "InvoiceDetailItemReference",
    "InvoiceDetailServiceItem": "InvoiceDetailServiceItemReference",
}


def _invoice_item(el, warnings):
    what = f"InvoiceDetailItem {el.get('invoiceLineNumber')!r}"
    reference = el.find(_ITEMS[el.tag])
    item_id = reference.find("ItemID") if reference is not None else None
    tax = el.find("Tax")
    return InvoiceDetailItem(
        invoice_line_number=integer(
            el.get("invoiceLineNumber"), f"{what} invoiceLineNumber", warnings
        ),
        line_number=integer(
            reference.get("lineNumber") if reference is not None else None,
            f"{what} lineNumber",
            warnings,
        ),
        quantity=decimal(el.get("quantity"), f"{what} quantity", warnings),
        unit_of_measure=child_text(el, "UnitOfMeasure") or None,
        unit_price=money_in(el.find("UnitPrice"), f"{what} UnitPrice", warnings),
        supplier_part_id=child_text(item_id, "SupplierPartID"),
        supplier_part_auxiliary_id=child_text(item_id, "SupplierPartAuxiliaryID"),
        description=description(reference.find("Description"))[0] or None
        if reference is not None
        else None,
        subtotal_amount=money_in(
            el.find("SubtotalAmount"), f"{what} SubtotalAmount", warnings
        ),
        tax=money_in(tax, f"{what} Tax", warnings),
        tax_details=tax_details(children(tax, "TaxDetail"), warnings),
        shipping=money_in(
            el.find("InvoiceDetailLineShipping"), f"{what} Shipping", warnings
        ),
        net_amount=money_in(el.find("NetAmount"), f"{what} NetAmount", warnings),
        gross_amount=money_in(el.find("GrossAmount"), f"{what} GrossAmount", warnings),
    )


def _order_info(info):
    """(orderID, orderDate, payloadID, supplier orderID) of InvoiceDetailOrderInfo."""
    if info is None:
        return None, None, None, None
    reference = info.find("OrderReference")
    if reference is not None:
        order_id, order_date, payload_id = order_reference(reference)
    else:
        id_info = info.find("OrderIDInfo")
        order_id = id_info.get("orderID") if id_info is not None else None
        order_date = id_info.get("orderDate") if id_info is not None else None
        payload_id = None
    supplier = info.find("SupplierOrderInfo")
    supplier_order_id = supplier.get("orderID") if supplier is not None else None
    return order_id, order_date, payload_id, supplier_order_id


def _invoice_order(el, warnings):
    order_id, order_date, payload_id, supplier_order_id = _order_info(
        el.find("InvoiceDetailOrderInfo")
    )
    if el.tag == "InvoiceDetailHeaderOrder":
        warnings.append("InvoiceDetailHeaderOrder: order-level invoice without lines")
        items = ()
    else:
        items = tuple(
            _invoice_item(child, warnings) for child in el if child.tag in _ITEMS
        )
    return InvoiceDetailOrder(
        order_id=order_id,
        order_date=timestamp(order_date, "orderDate", warnings),
        order_payload_id=payload_id,
        supplier_order_id=supplier_order_id,
        items=items,
    )


def invoice_detail_request(el, warnings):
    header = el.find("InvoiceDetailRequestHeader")
    if header is None:
        raise CXMLParseError("InvoiceDetailRequest without InvoiceDetailRequestHeader")
    indicator = header.find("InvoiceDetailLineIndicator")
    orders = tuple(
        _invoice_order(child, warnings)
        for child in el
        if child.tag in ("InvoiceDetailOrder", "InvoiceDetailHeaderOrder")
    )
    summary = el.find("InvoiceDetailSummary")
    if summary is None:
        warnings.append("InvoiceDetailSummary missing")

    def amount(tag):
        found = summary.find(tag) if summary is not None else None
        return money_in(found, tag, warnings)

    tax = summary.find("Tax") if summary is not None else None
    raw_date = header.get("invoiceDate")
    return InvoiceDetailRequest(
        invoice_id=header.get("invoiceID"),
        invoice_date=timestamp(raw_date, "invoiceDate", warnings),
        purpose=header.get("purpose") or "standard",
        operation=header.get("operation") or "new",
        is_information_only=yes(header.get("isInformationOnly")),
        is_tax_in_line=indicator is not None and yes(indicator.get("isTaxInLine")),
        is_shipping_in_line=indicator is not None
        and yes(indicator.get("isShippingInLine")),
        orders=orders,
        subtotal_amount=amount("SubtotalAmount"),
        tax=money_in(tax, "Tax", warnings),
        tax_details=tax_details(children(tax, "TaxDetail"), warnings),
        shipping_amount=amount("ShippingAmount"),
        special_handling_amount=amount("SpecialHandlingAmount"),
        gross_amount=amount("GrossAmount"),
        net_amount=amount("NetAmount"),
        due_amount=amount("DueAmount"),
        invoice_date_raw=raw_date,
        comments=comments(header),
        extrinsics=extrinsics(children(header, "Extrinsic")),
    )
