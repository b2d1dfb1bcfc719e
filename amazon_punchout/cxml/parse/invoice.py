# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""InvoiceDetailRequest: Amazon's invoices and credit memos (doc §8)."""

from ..exceptions import CXMLParseError
from ..model import (
    InvoiceDetailItem,
    InvoiceDetailOrder,
    InvoiceDetailOrderSummary,
    InvoiceDetailRequest,
    InvoiceDiscount,
    PaymentTerm,
)
from .common import (
    child,
    child_text,
    children,
    comment_details,
    decimal,
    description,
    extrinsics,
    integer,
    money_description,
    money_in,
    order_reference,
    price_basis,
    price_per_unit,
    tax_details,
    timestamp,
    yes,
)

_ITEMS = {
    "InvoiceDetailItem": "InvoiceDetailItemReference",
    "InvoiceDetailServiceItem": "InvoiceDetailServiceItemReference",
}


def _discount(el, what, warnings):
    """InvoiceDetailDiscount: its Money and percentageRate; None if absent."""
    if el is None:
        return None
    return InvoiceDiscount(
        amount=money_in(el, f"{what} InvoiceDetailDiscount", warnings),
        percentage_rate=decimal(
            el.get("percentageRate"),
            f"{what} InvoiceDetailDiscount@percentageRate",
            warnings,
        ),
    )


def _payment_term(el, warnings):
    """InvoiceDetailPaymentTerm (rate attribute) or PaymentTerm (Discount child)."""
    days = integer(el.get("payInNumberOfDays"), f"{el.tag}@payInNumberOfDays", warnings)
    rate = el.get("percentageRate")
    discount = child(el, "Discount")
    percent = child(discount, "DiscountPercent")
    if rate is None and percent is not None:
        rate = percent.get("percent")
    return PaymentTerm(
        pay_in_number_of_days=days,
        percentage_rate=decimal(rate, f"{el.tag} percentage", warnings),
        discount_amount=money_in(
            child(discount, "DiscountAmount"), f"{el.tag} DiscountAmount", warnings
        ),
    )


def _invoice_item(el, warnings):
    what = f"InvoiceDetailItem {el.get('invoiceLineNumber')!r}"
    reference = el.find(_ITEMS[el.tag])
    item_id = child(reference, "ItemID")
    tax = el.find("Tax")
    price = money_in(el.find("UnitPrice"), f"{what} UnitPrice", warnings)
    basis = price_basis(el.find("PriceBasisQuantity"), what, warnings)
    notes = comment_details(el)
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
        unit_price=price_per_unit(price, basis, what, warnings),
        unit_price_per_basis=price,
        price_basis=basis,
        supplier_part_id=child_text(item_id, "SupplierPartID"),
        supplier_part_auxiliary_id=child_text(item_id, "SupplierPartAuxiliaryID"),
        description=description(child(reference, "Description"))[0] or None,
        subtotal_amount=money_in(
            el.find("SubtotalAmount"), f"{what} SubtotalAmount", warnings
        ),
        tax=money_in(tax, f"{what} Tax", warnings),
        tax_description=money_description(tax),
        tax_details=tax_details(children(tax, "TaxDetail"), warnings),
        special_handling=money_in(
            el.find("InvoiceDetailLineSpecialHandling"),
            f"{what} SpecialHandling",
            warnings,
        ),
        shipping=money_in(
            el.find("InvoiceDetailLineShipping"), f"{what} Shipping", warnings
        ),
        gross_amount=money_in(el.find("GrossAmount"), f"{what} GrossAmount", warnings),
        discount=_discount(el.find("InvoiceDetailDiscount"), what, warnings),
        net_amount=money_in(el.find("NetAmount"), f"{what} NetAmount", warnings),
        comments=tuple(note.text for note in notes),
        comment_details=notes,
        extrinsics=extrinsics(children(el, "Extrinsic")),
        reason=el.get("reason"),
    )


def _order_summary(el, warnings):
    """InvoiceDetailOrderSummary: the amounts of an order without item lines."""
    if el is None:
        warnings.append("InvoiceDetailHeaderOrder without InvoiceDetailOrderSummary")
        return None
    what = "InvoiceDetailOrderSummary"
    tax = el.find("Tax")
    notes = comment_details(el)
    return InvoiceDetailOrderSummary(
        invoice_line_number=integer(
            el.get("invoiceLineNumber"), f"{what} invoiceLineNumber", warnings
        ),
        subtotal_amount=money_in(
            el.find("SubtotalAmount"), f"{what} SubtotalAmount", warnings
        ),
        tax=money_in(tax, f"{what} Tax", warnings),
        tax_details=tax_details(children(tax, "TaxDetail"), warnings),
        tax_description=money_description(tax),
        special_handling=money_in(
            el.find("InvoiceDetailLineSpecialHandling"),
            f"{what} SpecialHandling",
            warnings,
        ),
        shipping=money_in(
            el.find("InvoiceDetailLineShipping"), f"{what} Shipping", warnings
        ),
        gross_amount=money_in(el.find("GrossAmount"), f"{what} GrossAmount", warnings),
        discount=_discount(el.find("InvoiceDetailDiscount"), what, warnings),
        net_amount=money_in(el.find("NetAmount"), f"{what} NetAmount", warnings),
        comments=tuple(note.text for note in notes),
        comment_details=notes,
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
    summary = None
    if el.tag == "InvoiceDetailHeaderOrder":
        # a header invoice or summary-only credit memo: amounts, no lines
        summary = _order_summary(el.find("InvoiceDetailOrderSummary"), warnings)
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
        summary=summary,
    )


def invoice_detail_request(el, warnings):
    header = el.find("InvoiceDetailRequestHeader")
    if header is None:
        raise CXMLParseError("InvoiceDetailRequest without InvoiceDetailRequestHeader")
    indicator = header.find("InvoiceDetailLineIndicator")
    header_indicator = header.find("InvoiceDetailHeaderIndicator")
    original = header.find("InvoiceIDInfo")
    reference = header.find("DocumentReference")
    orders = tuple(
        _invoice_order(child, warnings)
        for child in el
        if child.tag in ("InvoiceDetailOrder", "InvoiceDetailHeaderOrder")
    )
    summary = el.find("InvoiceDetailSummary")
    if summary is None:
        warnings.append("InvoiceDetailSummary missing")

    def amount(tag):
        return money_in(child(summary, tag), tag, warnings)

    def line_flag(name):
        return indicator is not None and yes(indicator.get(name))

    tax = child(summary, "Tax")
    notes = comment_details(header)
    raw_date = header.get("invoiceDate")
    return InvoiceDetailRequest(
        invoice_id=header.get("invoiceID"),
        invoice_date=timestamp(raw_date, "invoiceDate", warnings),
        purpose=header.get("purpose") or "standard",
        operation=header.get("operation") or "new",
        is_information_only=yes(header.get("isInformationOnly")),
        is_header_invoice=header_indicator is not None
        and yes(header_indicator.get("isHeaderInvoice")),
        is_tax_in_line=line_flag("isTaxInLine"),
        is_shipping_in_line=line_flag("isShippingInLine"),
        is_special_handling_in_line=line_flag("isSpecialHandlingInLine"),
        is_discount_in_line=line_flag("isDiscountInLine"),
        original_invoice_id=original.get("invoiceID") if original is not None else None,
        original_invoice_date=timestamp(
            original.get("invoiceDate") if original is not None else None,
            "InvoiceIDInfo@invoiceDate",
            warnings,
        ),
        original_invoice_payload_id=reference.get("payloadID")
        if reference is not None
        else None,
        payment_terms=tuple(
            _payment_term(term, warnings)
            for term in header
            if term.tag in ("InvoiceDetailPaymentTerm", "PaymentTerm")
        ),
        orders=orders,
        subtotal_amount=amount("SubtotalAmount"),
        tax=money_in(tax, "Tax", warnings),
        tax_description=money_description(tax),
        tax_details=tax_details(children(tax, "TaxDetail"), warnings),
        special_handling_amount=amount("SpecialHandlingAmount"),
        special_handling_description=money_description(
            child(summary, "SpecialHandlingAmount")
        ),
        shipping_amount=amount("ShippingAmount"),
        gross_amount=amount("GrossAmount"),
        discount=_discount(
            child(summary, "InvoiceDetailDiscount"), "Summary", warnings
        ),
        net_amount=amount("NetAmount"),
        deposit_amount=amount("DepositAmount"),
        due_amount=amount("DueAmount"),
        invoice_date_raw=raw_date,
        comments=tuple(note.text for note in notes),
        comment_details=notes,
        extrinsics=extrinsics(children(header, "Extrinsic")),
    )
