# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What Amazon does after accepting an order: the plan of its documents.

A plan (list of steps) is computed when an order is accepted; each step is one
ConfirmationRequest, ShipNoticeRequest or InvoiceDetailRequest. Sending them is
fulfilment.py's job.
"""

from decimal import Decimal

from . import catalog, cxml_docs

BACKORDER_DAYS = 14
REJECT_REASON = (
    "Line item(s) could not be ordered: the offer is no longer available "
    "from this seller. [Error code: 002-003]"
)


def _line_amounts(line, marketplace):
    q = catalog.quantize
    subtotal = q(line["price"] * line["quantity"], marketplace)
    tax = q(subtotal * line["tax_rate"] / 100, marketplace)
    ship = q(line["shipping_unit"] * line["quantity"], marketplace)
    return {"subtotal": subtotal, "tax": tax, "shipping": ship}


def _money_line(line, marketplace):
    amounts = _line_amounts(line, marketplace)
    out = dict(line)
    out.update({k: catalog.fmt_money(v, marketplace) for k, v in amounts.items()})
    out["gross"] = catalog.fmt_money(sum(amounts.values()), marketplace)
    out["price"] = catalog.fmt_money(line["price"], marketplace)
    out["quantity"] = _qty(line["quantity"])
    return out, amounts


def _qty(value):
    value = Decimal(value)
    return str(value.quantize(Decimal(1)) if value == value.to_integral() else value)


def _shipment(order, plan, amazon_order, lines, complete):
    mkt = order.marketplace
    change = Decimal(str(plan.get("invoice_price_change") or 0))
    if change:
        lines = [
            dict(ln, price=catalog.quantize(ln["price"] * (100 + change) / 100, mkt))
            for ln in lines
        ]
    sums = {"subtotal": Decimal(0), "tax": Decimal(0), "shipping": Decimal(0)}
    out_lines = []
    for line in lines:
        out, amounts = _money_line(line, mkt)
        out_lines.append(out)
        for key, value in amounts.items():
            sums[key] += value
    totals = {k: catalog.fmt_money(v, mkt) for k, v in sums.items()}
    totals["gross"] = catalog.fmt_money(sum(sums.values()), mkt)
    return {
        "shipment_id": cxml_docs.digits(13),
        "tracking": "TBA" + cxml_docs.digits(12),
        "carrier": plan.get("carrier", ""),
        "amazon_order": amazon_order,
        "invoice_id": f"{mkt}-{cxml_docs.digits(10)}",
        "shipment_date": cxml_docs.timestamp(),
        "delivery_date": cxml_docs.later(2),
        "fulfillment_type": "complete" if complete else "partial",
        "lines": out_lines,
        "totals": totals,
    }


def _pick(spec, lines):
    """Line numbers from a plan option: numbers, "last" or "all" (or a list)."""
    numbers = [line["line_number"] for line in lines]
    picked = set()
    for item in spec if isinstance(spec, list | tuple) else [spec]:
        if item == "all":
            picked.update(numbers)
        elif item == "last":
            picked.update(numbers[-1:])
        elif item not in (None, ""):
            picked.add(int(item))
    return picked


def build_plan(order, plan, invoicing=True, fulfil_test_orders=False):
    """Return the list of steps (dicts) Amazon would play for this order.

    Test orders are only confirmed, as Amazon does, unless the sandbox-only
    ``fulfil_test_orders`` asks for the whole lifecycle.
    """
    lines = order.lines
    rejected = _pick(plan.get("reject_lines"), lines)
    backordered = _pick(plan.get("backorder_lines"), lines)
    accepted = [ln for ln in lines if ln["line_number"] not in rejected]
    if plan.get("split") and len(accepted) >= 2:
        groups = [accepted[0::2], accepted[1::2]]
    else:
        groups = [accepted] if accepted else []
    default_type = "accept" if len(groups) > 1 else "detail"
    confirm_type = plan.get("confirm_type") or default_type
    steps, shipments = [], []
    for group_lines in groups:
        amazon_order = cxml_docs.amazon_order_number()
        steps.append(
            _confirm_step(order, group_lines, amazon_order, confirm_type, backordered)
        )
        now_lines = [ln for ln in group_lines if ln["line_number"] not in backordered]
        later = [ln for ln in group_lines if ln["line_number"] in backordered]
        if now_lines:
            shipments.append(_shipment(order, plan, amazon_order, now_lines, not later))
        if later:
            shipments.append(_shipment(order, plan, amazon_order, later, True))
    if rejected:
        steps.append(_reject_step(order, lines, rejected, plan))
    if fulfil_test_orders or not order.test:
        # backordered shipments naturally come last
        shipments.sort(key=lambda s: s["fulfillment_type"] == "complete")
        for shipment in shipments:
            steps.append({"kind": "ship_notice", "shipment": shipment})
            if invoicing:
                steps.append(
                    {
                        "kind": "invoice",
                        "shipment": shipment,
                        "header": bool(plan.get("header_invoice")),
                    }
                )
        if invoicing:
            steps += _credit_memo_steps(order, plan, shipments)
    return steps


def _credit_memo_steps(order, plan, shipments):
    """One credit memo per returned line: one unit back, its tax and no shipping."""
    steps = []
    mkt = order.marketplace
    for shipment in shipments:
        returned = _pick(plan.get("return_lines"), shipment["lines"])
        for line in shipment["lines"]:
            if line["line_number"] not in returned:
                continue
            unit = dict(line, quantity=1, price=Decimal(line["price"]), shipping_unit=0)
            out, amounts = _money_line(unit, mkt)
            totals = {k: catalog.fmt_money(v, mkt) for k, v in amounts.items()}
            totals["gross"] = out["gross"]
            credit = {
                "invoice_id": f"{mkt}-{cxml_docs.digits(10)}",
                "original_invoice_id": shipment["invoice_id"],
                "amazon_order": shipment["amazon_order"],
                "shipment_id": shipment["shipment_id"],
                "shipment_date": shipment["shipment_date"],
                "lines": [out],
                "totals": totals,
            }
            steps.append({"kind": "credit_memo", "credit": credit})
    return steps


def _confirm_step(order, lines, amazon_order, confirm_type, backordered):
    mkt = order.marketplace
    out_lines, total = [], Decimal(0)
    for line in lines:
        out, amounts = _money_line(line, mkt)
        total += amounts["subtotal"]
        if line["line_number"] in backordered:
            out["status"] = "backordered"
            out["delivery_date"] = cxml_docs.later(BACKORDER_DAYS)
        else:
            out["status"] = "detail"
        out_lines.append(out)
    group = {
        "type": confirm_type,
        "amazon_order": amazon_order,
        "total": catalog.fmt_money(total, mkt),
        "lines": out_lines,
    }
    return {"kind": "confirmation", "group": group}


def _reject_step(order, lines, rejected, plan):
    out_lines = []
    for line in lines:
        if line["line_number"] in rejected:
            out, _amounts = _money_line(line, order.marketplace)
            out["status"] = "reject"
            out_lines.append(out)
    group = {
        "type": "reject",
        "amazon_order": None,
        "reason": plan.get("reject_reason") or REJECT_REASON,
        "lines": out_lines,
    }
    return {"kind": "confirmation", "group": group}


def build_document(step, account, order):
    """Return (root element, DTD family, document name) of a step."""
    if step["kind"] == "confirmation":
        root = cxml_docs.confirmation(account, order, step["group"])
        return root, "Fulfill.dtd", "ConfirmationRequest"
    if step["kind"] == "ship_notice":
        root = cxml_docs.ship_notice(account, order, step["shipment"])
        return root, "Fulfill.dtd", "ShipNoticeRequest"
    if step["kind"] == "credit_memo":
        root = cxml_docs.credit_memo(account, order, step["credit"])
        return root, "InvoiceDetail.dtd", "InvoiceDetailRequest"
    root = cxml_docs.invoice(
        account, order, step["shipment"], header=step.get("header", False)
    )
    return root, "InvoiceDetail.dtd", "InvoiceDetailRequest"
