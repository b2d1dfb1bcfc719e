# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PunchOutOrderMessage: the cart Amazon posts through the browser (doc §4)."""

from ..exceptions import CXMLParseError
from ..model import ItemIn, PunchOutOrderMessage
from .common import (
    child_text,
    children,
    children_by_tag,
    decimal,
    description,
    description_text,
    extrinsics,
    first,
    integer,
    money,
    money_description,
    money_in,
    price_basis,
    price_per_unit,
    tax_details,
    text,
)


def punchout_order_message(el, warnings):
    header = el.find("PunchOutOrderMessageHeader")
    total = shipping = tax = None
    shipping_el = tax_el = None
    if header is None:
        warnings.append("PunchOutOrderMessageHeader missing")
    else:
        total = money_in(header.find("Total"), "Total", warnings)
        currency = total.currency if total else None
        shipping_el = header.find("Shipping")
        shipping = money_in(shipping_el, "Shipping", warnings, currency=currency)
        tax_el = header.find("Tax")
        tax = money_in(tax_el, "Tax", warnings, currency=currency)
    header_tax_details = tax_details(
        children(tax_el, "TaxDetail"), warnings, total.currency if total else None
    )
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
        quote_status=header.get("quoteStatus") if header is not None else None,
        shipping_description=money_description(shipping_el),
        tax_description=money_description(tax_el),
    )


def _item_in(el, index, warnings):
    what = f"ItemIn {index}"
    quantity = decimal(el.get("quantity"), f"{what} quantity", warnings, required=True)
    line_number = integer(el.get("lineNumber"), f"{what} lineNumber", warnings)
    line = children_by_tag(el)
    item_id = children_by_tag(first(line, "ItemID"))
    part_id = text(first(item_id, "SupplierPartID"))
    if not part_id:
        raise CXMLParseError(f"{what}: SupplierPartID is missing")
    if "ItemDetail" not in line:
        raise CXMLParseError(f"{what}: ItemDetail is missing")
    detail = children_by_tag(first(line, "ItemDetail"))
    # the unit price only from ItemDetail/UnitPrice, never Tax or Shipping
    price = money_in(first(detail, "UnitPrice"), f"{what} UnitPrice", warnings, True)
    basis = price_basis(first(detail, "PriceBasisQuantity"), what, warnings)
    line_description, short_name, lang = description(first(detail, "Description"))
    unit_of_measure = text(first(detail, "UnitOfMeasure")) or None
    if unit_of_measure is None:
        warnings.append(f"{what} ({part_id}): UnitOfMeasure missing")
    classifications = tuple(
        ((c.get("domain") or "").strip(), text(c))
        for c in detail.get("Classification", ())
    )
    if not classifications:
        warnings.append(f"{what} ({part_id}): Classification missing")
    # Tax and Shipping: Money, Description, TaxDetail* read in one pass each
    tax = children_by_tag(first(line, "Tax"))
    shipping = children_by_tag(first(line, "Shipping"))
    return ItemIn(
        line_number=line_number,
        quantity=quantity,
        supplier_part_id=part_id,
        # opaque: outer whitespace trimmed, inside kept byte for byte (doc §5)
        supplier_part_auxiliary_id=text(first(item_id, "SupplierPartAuxiliaryID"))
        or None,
        buyer_part_id=text(first(item_id, "BuyerPartID")),
        unit_price=price_per_unit(price, basis, what, warnings),
        unit_price_per_basis=price,
        price_basis_quantity=basis.quantity
        if basis is not None and basis.quantity > 0
        else None,
        price_basis=basis,
        description=line_description,
        short_name=short_name,
        description_lang=lang,
        unit_of_measure=unit_of_measure,
        classifications=classifications,
        manufacturer_part_id=text(first(detail, "ManufacturerPartID")) or None,
        manufacturer_name=text(first(detail, "ManufacturerName")) or None,
        url=text(first(detail, "URL")) or None,
        extrinsics=extrinsics(line.get("Extrinsic", ()))
        + extrinsics(detail.get("Extrinsic", ())),
        shipping=money(
            first(shipping, "Money"),
            f"{what} Shipping",
            warnings,
            currency=price.currency,
        ),
        shipping_description=description_text(first(shipping, "Description")),
        tax=money(
            first(tax, "Money"), f"{what} Tax", warnings, currency=price.currency
        ),
        tax_description=description_text(first(tax, "Description")),
        tax_details=tax_details(tax.get("TaxDetail", ()), warnings, price.currency),
    )
