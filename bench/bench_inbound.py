# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Inbound confirmations and ship notices posted over HTTP (a benchmark).

Run by bench/bench-inbound inside `odoo-bin shell` on the demo database, while one
Odoo server (workers 0, no cron) listens on PORT. For 1-line and 50-line orders it
creates sent purchase orders (committed, so that the server sees them), posts a
ConfirmationRequest then a ShipNoticeRequest per order, one at a time, and reads
the SQL query count of each request from the server's werkzeug log line. The
1-line round runs twice: the second round has the first round's documents stored,
which shows whether queries grow with the stored documents. Everything created is
deleted at the end.
"""

import re
import statistics
import time

import requests

from odoo.addons.amazon_punchout import cxml

ORDERS = int(globals().get("ORDERS", 100))
PORT = int(globals().get("PORT", 8069))
LOG = globals().get("LOG")
LOG_RE = re.compile(r'"POST /amazon_punchout/cxml/\S+ HTTP/[\d.]+" (\d+) - (\d+) ')


def envelope(account, body):
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><cXML payloadID="'
        f'{cxml.new_payload_id()}" timestamp="2026-01-01T00:00:00+00:00"><Header>'
        f'<From><Credential domain="NetworkId"><Identity>Amazon</Identity>'
        f'</Credential></From><To><Credential domain="NetworkId"><Identity>'
        f"{account.identity}</Identity></Credential></To><Sender><Credential "
        f'domain="NetworkId"><Identity>{account.identity}</Identity><SharedSecret>'
        f"{account.shared_secret}</SharedSecret></Credential><UserAgent>bench"
        f"</UserAgent></Sender></Header><Request>{body}</Request></cXML>"
    ).encode()


def reference(order, document):
    return (
        f'<OrderReference orderID="{order.name}"><DocumentReference '
        f'payloadID="{document.payload_id}"/></OrderReference>'
    )


def confirmation(account, order, document):
    items = "".join(
        f'<ConfirmationItem quantity="2" lineNumber="{n}"><UnitOfMeasure>EA'
        f'</UnitOfMeasure><ConfirmationStatus type="detail" quantity="2">'
        f'<UnitOfMeasure>EA</UnitOfMeasure><Comments type="confirmID">'
        f"111-2222222-3333333</Comments></ConfirmationStatus></ConfirmationItem>"
        for n in order.order_line.mapped("amazon_punchout_line_number")
    )
    return envelope(
        account,
        '<ConfirmationRequest><ConfirmationHeader type="detail" noticeDate='
        '"2026-01-02T00:00:00+00:00" operation="new" confirmID="111-2222222-3333333"'
        f"/>{reference(order, document)}{items}</ConfirmationRequest>",
    )


def ship_notice(account, order, document):
    items = "".join(
        f'<ShipNoticeItem quantity="2" lineNumber="{n}"><UnitOfMeasure>EA'
        f"</UnitOfMeasure></ShipNoticeItem>"
        for n in order.order_line.mapped("amazon_punchout_line_number")
    )
    return envelope(
        account,
        f'<ShipNoticeRequest><ShipNoticeHeader shipmentID="S{order.id}" noticeDate='
        '"2026-01-03T00:00:00+00:00" operation="new" shipmentType="actual"/>'
        '<ShipControl><CarrierIdentifier domain="companyName">UPS</CarrierIdentifier>'
        f"<ShipmentIdentifier>1Z{order.id:08d}</ShipmentIdentifier></ShipControl>"
        f"<ShipNoticePortion>{reference(order, document)}{items}</ShipNoticePortion>"
        "</ShipNoticeRequest>",
    )


def sent_orders(env, account, product, shopper, lines, count):
    orders = env["purchase.order"].create(
        [
            {
                "partner_id": account.partner_id.id,
                "company_id": account.company_id.id,
                "user_id": shopper.id,
                "amazon_punchout_account_id": account.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "name": f"Bench item {n}",
                            "product_qty": 2,
                            "price_unit": 10,
                            "amazon_punchout_line_number": n,
                            "amazon_punchout_asin": f"B0BENCH{n:03d}",
                        },
                    )
                    for n in range(1, lines + 1)
                ],
            }
            for _i in range(count)
        ]
    )
    orders.write({"state": "purchase"})
    documents = env["amazon.punchout.document"].create(
        [
            {
                "direction": "outbound",
                "doc_type": "OrderRequest",
                "state": "output_sent",
                "payload_id": cxml.new_payload_id(),
                "account_id": account.id,
                "company_id": account.company_id.id,
                "order_id": order.id,
            }
            for order in orders
        ]
    )
    env.cr.commit()
    return list(zip(orders, documents, strict=True))


def log_counts(offset):
    with open(LOG, encoding="utf-8") as log:
        log.seek(offset)
        text = log.read()
        return [(int(s), int(q)) for s, q in LOG_RE.findall(text)], log.tell()


def post_all(url, payloads):
    latencies = []
    session = requests.Session()
    start = time.perf_counter()
    for data in payloads:
        t0 = time.perf_counter()
        response = session.post(
            url, data=data, headers={"Content-Type": "text/xml"}, timeout=60
        )
        latencies.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.text[:300]
    return time.perf_counter() - start, latencies


def measure(env, account, product, shopper, url, lines, count):
    pairs = sent_orders(env, account, product, shopper, lines, count)
    results = {}
    offset = log_counts(0)[1]
    for kind, build in (("confirmation", confirmation), ("ship notice", ship_notice)):
        payloads = [build(account, order, doc) for order, doc in pairs]
        elapsed, latencies = post_all(url, payloads)
        time.sleep(0.2)  # the log line is written after the answer
        counts, offset = log_counts(offset)
        queries = [q for status, q in counts if status == 200][-len(payloads) :]
        results[kind] = (
            len(payloads) / elapsed,
            statistics.median(latencies) * 1000,
            statistics.median(queries) if queries else float("nan"),
        )
    env.cr.commit()  # a new snapshot: the server's commits become visible
    env.invalidate_all()
    orders = env["purchase.order"].browse([order.id for order, _doc in pairs])
    states = set(
        orders.amazon_punchout_document_ids.filtered(
            lambda d: d.direction == "inbound"
        ).mapped("state")
    )
    assert states == {"input_processed"}, states
    assert set(orders.mapped("amazon_punchout_status")) == {"shipped"}
    return results


def cleanup(env, product):
    env.cr.rollback()
    orders = env["purchase.order"].search(
        [("order_line.amazon_punchout_asin", "=like", "B0BENCH%")]
    )
    documents = orders.amazon_punchout_document_ids
    env["ir.attachment"].search(
        [
            ("res_model", "=", "amazon.punchout.document"),
            ("res_id", "in", documents.ids),
        ]
    ).unlink()
    documents.unlink()
    orders.write({"state": "cancel"})
    orders.unlink()
    env.cr.commit()


def main(env):
    env = env(su=True)
    account = env.ref("amazon_punchout.amazon_punchout_account_demo")
    shopper = env.ref("amazon_punchout.user_shopper_demo")
    account.inbound_auth = "shared_secret"
    product = env["product.product"].search([("name", "=", "Bench item")], limit=1)
    product = product or env["product.product"].create({"name": "Bench item"})
    env.cr.commit()
    url = f"http://127.0.0.1:{PORT}/amazon_punchout/cxml/{account.inbound_token}"
    for _n in range(100):
        try:
            requests.get(f"http://127.0.0.1:{PORT}/web/health", timeout=2)
            break
        except requests.ConnectionError:
            time.sleep(0.3)
    try:
        rounds = [
            (1, ORDERS, "1 line"),
            (1, ORDERS, "1 line, again (previous documents stored)"),
            (50, max(ORDERS // 5, 1), "50 lines"),
        ]
        for lines, count, label in rounds:
            results = measure(env, account, product, shopper, url, lines, count)
            for kind, (rate, median, queries) in results.items():
                print(
                    f"inbound {kind}, {count} orders of {label}: "
                    f"{rate:.1f} documents/s, "
                    f"median latency {median:.1f} ms, {queries:.0f} SQL queries per "
                    f"document"
                )
    finally:
        cleanup(env, product)


main(env)  # noqa: F821 (odoo-bin shell provides env)
