# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The supplier side after an order: confirmations, ship notices, invoices.

A plan (list of steps) is computed when an order is accepted; each step
builds one document, validates it against its DTD and posts it to the
buyer, retrying transport failures and 5xx answers with the same payloadID.
"""

import base64
import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

from . import catalog, cxml_docs

BACKORDER_DAYS = 14
REJECT_REASON = (
    "Line item(s) could not be ordered: the offer is no longer available "
    "from this seller. [Error code: 002-003]"
)
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


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
    mkt = order["marketplace"]
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
    """Line numbers from a plan option: a list of numbers, 'last' or 'all'."""
    numbers = [line["line_number"] for line in lines]
    if spec == "all":
        return set(numbers)
    if spec == "last":
        return {numbers[-1]} if numbers else set()
    return {int(n) for n in (spec or [])}


def build_plan(order, plan, invoicing=True):
    """Return the list of steps (dicts) Amazon would play for this order."""
    lines = order["lines"]
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
    if not order["test"]:
        # backordered shipments naturally come last
        shipments.sort(key=lambda s: s["fulfillment_type"] == "complete")
        for shipment in shipments:
            steps.append({"kind": "ship_notice", "shipment": shipment})
            if invoicing:
                steps.append({"kind": "invoice", "shipment": shipment})
    return steps


def _confirm_step(order, lines, amazon_order, confirm_type, backordered):
    mkt = order["marketplace"]
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
            out, _amounts = _money_line(line, order["marketplace"])
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
    secret = account["shared_secret"]
    acc = dict(account, _test_order=order["test"])
    if step["kind"] == "confirmation":
        root = cxml_docs.confirmation(acc, order, step["group"], secret)
        return root, "Fulfill.dtd", "ConfirmationRequest"
    if step["kind"] == "ship_notice":
        root = cxml_docs.ship_notice(acc, order, step["shipment"], secret)
        return root, "Fulfill.dtd", "ShipNoticeRequest"
    root = cxml_docs.invoice(acc, order, step["shipment"], secret)
    return root, "InvoiceDetail.dtd", "InvoiceDetailRequest"


# === SENDING === #


def is_loopback(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def callback_url(account, kind):
    urls = account.get("callback_urls") or {}
    return urls.get(kind) or account.get("buyer_inbound_url") or ""


def _headers(account):
    headers = {
        "Content-Type": "text/xml; charset=UTF-8",
        "User-Agent": "amazon-sandbox (Amazon Business simulator)",
    }
    if account["inbound_auth"] == "basic":
        pair = "{}:{}".format(account["inbound_user"], account["inbound_password"])
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    return headers


def post_once(url, body, account, timeout):
    """POST once; return dict(http_status, cxml_code, cxml_text, error)."""
    result = {"http_status": None, "cxml_code": None, "cxml_text": None, "error": None}
    request = urllib.request.Request(url, body, _headers(account), method="POST")
    data = b""
    try:
        with _OPENER.open(request, timeout=timeout) as resp:
            result["http_status"] = resp.status
            data = resp.read(cxml_docs.MAX_BYTES)
    except urllib.error.HTTPError as exc:
        result["http_status"] = exc.code
        data = exc.read(cxml_docs.MAX_BYTES)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        result["error"] = "{}: {}".format(
            type(exc).__name__, getattr(exc, "reason", exc)
        )
        return result
    try:
        status = cxml_docs.parse(data).getroot().find("Response/Status")
    except cxml_docs.CXMLError:
        status = None
    if status is not None:
        code = status.get("code", "")
        result["cxml_code"] = int(code) if code.isdigit() else code
        result["cxml_text"] = status.get("text")
    return result


def should_retry(result):
    if result["error"]:
        return True
    if result["http_status"] and result["http_status"] >= 500:
        return True
    code = result["cxml_code"]
    return isinstance(code, int) and code >= 500
