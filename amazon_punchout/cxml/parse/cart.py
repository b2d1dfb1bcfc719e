# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PunchOutOrderMessage: the cart Amazon posts through the browser (doc §4)."""

from ..exceptions import CXMLParseError
from ..model import ItemIn, Money, PunchOutOrderMessage
from ..values import exact_divide
from .common import (
    child_text,
    children,
    decimal,
    description,
    extrinsics,
    integer,
    money,
    money_in,
    tax_details,
    text,
)


def punchout_order_message(el, warnings):
    header = el.find("PunchOutOrderMessageHeader")
    total = shipping = tax = None
    tax_el = None
    if header is None:
        warnings.append("PunchOutOrderMessageHeader missing")
    else:
        total = money_in(header.find("Total"), "Total", warnings)
        currency = total.currency if total else None
        shipping = money_in(header.find("Shipping"), "Shipping", warnings, currency=currency)
        tax_el = header.find("Tax")
        tax = money_in(tax_el, "Tax", warnings, currency=currency)
    header_tax_details = tax_details(tax_el, warnings, total.currency if total else None)
    items = tuple(
        _item_in(item, index, warnings)
        for index, item in enumerate(el.iterchildren("ItemIn"), 1)
    )
    if not items:
        warnings.append("empty cart (no ItemIn)")
    return PunchOutOrderMessage(
        buyer_cookie=child_text(el, "BuyerCookie") or "",
        operation_allowed=(header is not None and header.get("operationAllowed"))
        or "create",
        total=total,
        shipping=shipping,
        tax=tax,
        items=items,
        tax_details=header_tax_details,
    )


def _item_in(el, index, warnings):
    what = f"ItemIn {index}"
    quantity = decimal(el.get("quantity"), f"{what} quantity", warnings, required=True)
    line_number = integer(el.get("lineNumber"), f"{what} lineNumber", warnings)
    item_id = el.find("ItemID")
    part_id = child_text(item_id, "SupplierPartID")
    if not part_id:
        raise CXMLParseError(f"{what}: SupplierPartID is missing")
    detail = el.find("ItemDetail")
    if detail is None:
        raise CXMLParseError(f"{what}: ItemDetail is missing")
    # the unit price only from ItemDetail/UnitPrice, never Tax or Shipping
    price = money_in(detail.find("UnitPrice"), f"{what} UnitPrice", warnings, True)
    unit_price, basis = _per_unit(price, detail.find("PriceBasisQuantity"), what, warnings)
    text_, short_name, lang = description(detail.find("Description"))
    unit_of_measure = child_text(detail, "UnitOfMeasure") or None
    if unit_of_measure is None:
        warnings.append(f"{what} ({part_id}): UnitOfMeasure missing")
    classifications = tuple(
        ((c.get("domain") or "").strip(), text(c))
        for c in detail.iterchildren("Classification")
    )
    if not classifications:
        warnings.append(f"{what} ({part_id}): Classification missing")
    tax_el = el.find("Tax")
    return ItemIn(
        line_number=line_number,
        quantity=quantity,
        supplier_part_id=part_id,
        # opaque: outer whitespace trimmed, inside kept byte for byte (doc §5)
        supplier_part_auxiliary_id=child_text(item_id, "SupplierPartAuxiliaryID")
        or None,
        buyer_part_id=child_text(item_id, "BuyerPartID"),
        unit_price=unit_price,
        unit_price_per_basis=price,
        price_basis_quantity=basis,
        description=text_,
        short_name=short_name,
        description_lang=lang,
        unit_of_measure=unit_of_measure,
        classifications=classifications,
        manufacturer_part_id=child_text(detail, "ManufacturerPartID") or None,
        manufacturer_name=child_text(detail, "ManufacturerName") or None,
        url=child_text(detail, "URL") or None,
        extrinsics=extrinsics(el) + extrinsics(detail),
        shipping=money_in(
            el.find("Shipping"), f"{what} Shipping", warnings, currency=price.currency
        ),
        tax=money_in(tax_el, f"{what} Tax", warnings, currency=price.currency),
        tax_details=tax_details(tax_el, warnings, price.currency),
    )


def _per_unit(price, basis_el, what, warnings):
    """(unit price, PriceBasisQuantity) of a price per basis (doc §4.4 item 4)."""
    if basis_el is None:
        return price, None
    basis = decimal(basis_el.get("quantity"), f"{what} PriceBasisQuantity", warnings)
    if basis is None:
        return price, None
    if basis <= 0:
        warnings.append(f"{what}: PriceBasisQuantity {basis} ignored")
        return price, None
    amount, exact = exact_divide(price.amount, basis)
    if not exact:
        warnings.append(f"{what}: unit price / PriceBasisQuantity is inexact")
    return Money(amount, price.currency), basis
