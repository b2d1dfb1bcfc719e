# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Approved orders pushed to Amazon as cXML OrderRequests (a benchmark).

Run by bench/bench-order-push inside `odoo-bin shell` on the demo database. It
starts the Amazon Business sandbox in-process on loopback (no added latency),
points the demo account at it, and for 1-line and 10-line orders: fills ORDERS
carts in the sandbox, turns them into requisitions, approves each one as a
purchase manager (timing approval → queued and its SQL queries), then runs the
sending cron until the queue is empty (throughput and SQL queries per order).
The cron's commits are disabled and everything is rolled back at the end, so the
throughput excludes COMMIT costs.
"""

import statistics
import sys
import time
from pathlib import Path

import requests

ORDERS = int(globals().get("ORDERS", 200))
REPO = Path(globals().get("REPO", "."))


def start_sandbox(account):
    sys.path.insert(0, str(REPO / "sandbox"))
    from amazon_sandbox import SandboxServer

    return SandboxServer(
        host="127.0.0.1",
        port=0,
        public_host="localhost",
        accounts={
            account.identity: {
                "shared_secret": account.shared_secret,
                "marketplace": account.marketplace,
                "plan": {"mode": "manual"},
            }
        },
    ).start()


def requisitions(env, srv, account, shopper, lines, count):
    from amazon_sandbox import catalog

    asins = list(catalog.BY_ASIN)[:lines]
    Session = env["amazon.punchout.session"]
    orders = env["purchase.order"]
    for _n in range(count):
        session, start_page = Session._amazon_punchout_start(account, shopper)
        requests.get(start_page, timeout=10)
        sid = srv.sessions()[-1]["id"]
        cart = srv.fill_cart(sid, [{"asin": a, "quantity": 2} for a in asins])
        token = cart["return_url"].rsplit("/", 1)[1]
        Session.sudo()._amazon_punchout_receive_cart(token, cart["cxml"].encode())
        orders |= session.with_user(shopper)._amazon_punchout_create_requisition()
    return orders


def measure(env, srv, account, shopper, manager, lines):
    orders = requisitions(env, srv, account, shopper, lines, ORDERS)
    env.flush_all()
    approve_times, approve_queries = [], []
    for order in orders:
        env.invalidate_all()  # cold ORM cache, as in a fresh request
        queries = env.cr.sql_log_count
        start = time.perf_counter()
        order.with_user(manager).button_confirm()
        env.flush_all()
        approve_times.append(time.perf_counter() - start)
        approve_queries.append(env.cr.sql_log_count - queries)
    from odoo.addons.amazon_punchout.const import ORDER_SEND_LANES

    Document = env["amazon.punchout.document"]
    documents = Document.search(
        [("order_id", "in", orders.ids), ("doc_type", "=", "OrderRequest")]
    )
    assert len(documents) == ORDERS and set(documents.mapped("state")) == {
        "output_pending"
    }
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    while Document.search_count(Document._amazon_punchout_due_domain()):
        for lane in range(ORDER_SEND_LANES):
            Document._cron_send_documents(lane=lane)
    env.flush_all()
    elapsed = time.perf_counter() - start
    send_queries = env.cr.sql_log_count - queries
    states = documents.mapped("state")
    accepted = [o for o in srv.orders() if o["accepted"]]
    return {
        "approve_ms": statistics.median(approve_times) * 1000,
        "approve_p95_ms": sorted(approve_times)[int(len(approve_times) * 0.95)] * 1000,
        "approve_queries": statistics.median(approve_queries),
        "throughput": ORDERS / elapsed,
        "send_queries": send_queries / ORDERS,
        "sent": states.count("output_sent"),
        "accepted": len(accepted),
    }


def main(env):
    account = env.ref("amazon_punchout.amazon_punchout_account_demo").sudo()
    shopper = env.ref("amazon_punchout.user_shopper_demo")
    manager = env.ref("base.user_admin")
    company = account.company_id.partner_id
    if not (company.street and company.city and company.zip and company.country_id):
        company.write(
            {
                "street": "1 Main Street",
                "city": "Seattle",
                "zip": "98109",
                "country_id": env.ref("base.us").id,
            }
        )
    account.company_id.po_double_validation = "one_step"
    # The cron's commits would make the run permanent: keep it in one transaction.
    IrCron = type(env["ir.cron"])
    IrCron._commit_progress = lambda self, processed=0, **kw: float("inf")
    srv = start_sandbox(account)
    try:
        for url_field in ("punchout_url_test", "punchout_url_production"):
            account[url_field] = f"{srv.url}/punchout"
        account.order_url = f"{srv.url}/order"
        account.state = "test"
        for lines in (1, 10):
            srv.reset()
            r = measure(env, srv, account, shopper, manager, lines)
            print(
                f"order push, {ORDERS} orders of {lines} line(s): approval → queued "
                f"median {r['approve_ms']:.1f} ms (p95 {r['approve_p95_ms']:.1f} ms), "
                f"{r['approve_queries']:.0f} SQL queries per approval; sending "
                f"{r['throughput']:.1f} orders/s, {r['send_queries']:.1f} SQL "
                f"queries per order sent; {r['sent']} sent, {r['accepted']} "
                f"accepted by the sandbox"
            )
    finally:
        srv.stop()
        env.cr.rollback()


main(env)  # noqa: F821 (odoo-bin shell provides env)
