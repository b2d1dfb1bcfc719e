# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Time to open each view of the Amazon Business spend report (a benchmark).

Run by bench/bench-reporting inside `odoo-bin shell` on the demo database. It
creates one Amazon order of 5 lines with the ORM, copies it with SQL into
LINES / 5 orders spread over two years, in every state of the loop (submitted,
approved, sent, confirmed, shipped, partly rejected or backordered lines), with
their sent and confirmation documents and shipments, then opens each view's
default grouping as a purchase manager with the calls the web client makes
(formatted_read_grouping_sets for the pivot, formatted_read_group for the graph,
web_search_read for the list) and prints the seconds. Everything is rolled back.
"""

import statistics
import time

from odoo import Command

from odoo.addons.amazon_punchout.tests.reporting_common import open_default_view

LINES = int(globals().get("LINES", 100000))
PER_ORDER = 5
RUNS = 3
ACTIONS = {
    "spend": "amazon_punchout.amazon_punchout_report_action",
    "lead times": "amazon_punchout.amazon_punchout_report_action_kpi",
}


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id'",
        [table],
    )
    return [name for (name,) in cr.fetchall()]


def copy_rows(cr, table, source, overrides, where, params=()):
    """INSERT INTO table SELECT each column of ``source`` (or its override)."""
    names = columns(cr, table)
    select = ", ".join(overrides.get(name, f"t.{name}") for name in names)
    cr.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} {source} {where}",
        params,
    )
    return cr.rowcount


def seed(env):
    account = env.ref("amazon_punchout.amazon_punchout_account_demo").sudo()
    shopper = env.ref("amazon_punchout.user_shopper_demo")
    manager = env.ref("base.user_admin")
    product = env["product.product"].sudo().create({"name": "Bench item"})
    template = (
        env["purchase.order"]
        .sudo()
        .create(
            {
                "partner_id": account.partner_id.id,
                "company_id": account.company_id.id,
                "currency_id": account.currency_id.id,
                "user_id": shopper.id,
                "amazon_punchout_account_id": account.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "name": f"Bench item {n}",
                            "product_qty": 1.0,
                            "price_unit": 10.0,
                            "tax_ids": [Command.clear()],
                            "amazon_punchout_line_number": n,
                            "amazon_punchout_asin": f"B0BENCH{n:03d}",
                            "amazon_punchout_aux_id": f"aux-{n}",
                        }
                    )
                    for n in range(1, PER_ORDER + 1)
                ],
            }
        )
    )
    env.flush_all()
    cr = env.cr
    orders = LINES // PER_ORDER
    # g: the order's number; its kind (g mod 10) sets how far it went.
    cr.execute(
        "CREATE TEMP TABLE bench_orders ON COMMIT DROP AS "
        "SELECT g, mod(g, 10) AS kind, "
        "  now()::timestamp - mod(g, 730) * interval '1 day' AS cart "
        "FROM generate_series(1, %s) g",
        [orders],
    )
    approved = "b.kind BETWEEN 2 AND 9"
    copy_rows(
        cr,
        "purchase_order",
        "FROM purchase_order t CROSS JOIN bench_orders b",
        {
            "name": "'BENCH/' || b.g",
            "create_date": "b.cart",
            "date_order": "b.cart",
            "state": f"CASE WHEN b.kind = 0 THEN 'draft' WHEN b.kind = 1 "
            f"THEN 'to approve' WHEN {approved} THEN 'purchase' END",
            "amazon_punchout_date_submitted": "CASE WHEN b.kind >= 1 THEN "
            "b.cart + mod(b.g, 48) * interval '10 minutes' END",
            "date_approve": f"CASE WHEN {approved} THEN "
            "b.cart + mod(b.g, 97) * interval '1 hour' END",
            "amazon_punchout_approver_id": (
                f"CASE WHEN {approved} THEN {manager.id} END"
            ),
            "amazon_punchout_price_hold_lapsed": "mod(b.g, 97) > 84",
        },
        "WHERE t.id = %s",
        [template.id],
    )
    copy_rows(
        cr,
        "purchase_order_line",
        "FROM purchase_order_line t JOIN purchase_order po "
        "ON po.name LIKE 'BENCH/%%' "
        "JOIN bench_orders b ON po.name = 'BENCH/' || b.g",
        {
            "order_id": "po.id",
            "create_date": "b.cart",
            "price_unit": "5 + mod(b.g * t.amazon_punchout_line_number, 200)",
            "price_subtotal": "5 + mod(b.g * t.amazon_punchout_line_number, 200)",
            "price_total": "5 + mod(b.g * t.amazon_punchout_line_number, 200)",
            "amazon_punchout_category": "(ARRAY['gl_office_product', 'gl_pc', "
            "'gl_book', 'gl_kitchen', 'gl_wireless'])[1 + mod(b.g + "
            "t.amazon_punchout_line_number, 5)]",
            "amazon_punchout_subcategory": "'sub-' || mod(b.g, 13)",
            "amazon_punchout_sold_by": "(ARRAY['Amazon', 'Hardware Hub LLC', "
            "'Paper Co'])[1 + mod(b.g, 3)]",
            "amazon_punchout_qty_confirmed": "CASE WHEN b.kind >= 4 THEN 1 ELSE 0 END",
            "amazon_punchout_qty_rejected": "CASE WHEN b.kind = 9 AND "
            "t.amazon_punchout_line_number = 1 THEN 1 ELSE 0 END",
            "amazon_punchout_qty_backordered": "CASE WHEN b.kind = 8 AND "
            "t.amazon_punchout_line_number = 2 THEN 1 ELSE 0 END",
        },
        "WHERE t.order_id = %s",
        [template.id],
    )
    for doc_type, state, direction, kinds, at in (
        ("OrderRequest", "output_sent", "outbound", 3, "last_attempt_at"),
        ("ConfirmationRequest", "input_processed", "inbound", 4, "notice_date"),
    ):
        cr.execute(
            f"""
            INSERT INTO amazon_punchout_document
                (direction, doc_type, state, payload_id, account_id, company_id,
                 order_id, {at}, create_date, write_date)
            SELECT %s, %s, %s, 'bench-' || %s || '-' || b.g, %s, po.company_id,
                   po.id, po.date_approve + interval '2 hours', now(), now()
              FROM purchase_order po JOIN bench_orders b ON po.name = 'BENCH/' || b.g
             WHERE b.kind >= %s
            """,
            [direction, doc_type, state, doc_type, account.id, kinds],
        )
    cr.execute(
        """
        INSERT INTO amazon_punchout_shipment
            (name, order_id, company_id, account_id, shipment_date, shipment_type,
             create_date, write_date)
        SELECT 'BENCH-SHIP-' || b.g, po.id, po.company_id, %s,
               po.date_approve + mod(b.g, 5) * interval '1 day', 'actual', now(), now()
          FROM purchase_order po JOIN bench_orders b ON po.name = 'BENCH/' || b.g
         WHERE b.kind >= 5
        """,
        [account.id],
    )
    cr.execute(
        """
        INSERT INTO amazon_punchout_shipment_line
            (shipment_id, order_line_id, line_number, quantity)
        SELECT s.id, l.id, l.amazon_punchout_line_number, 1
          FROM amazon_punchout_shipment s
          JOIN purchase_order_line l ON l.order_id = s.order_id
         WHERE s.name LIKE 'BENCH-SHIP-%%'
        """
    )
    for table in (
        "purchase_order",
        "purchase_order_line",
        "amazon_punchout_document",
        "amazon_punchout_shipment",
        "amazon_punchout_shipment_line",
    ):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    return manager


def main(env):
    start = time.perf_counter()
    manager = seed(env)
    report = env["amazon.punchout.report"].with_user(manager)
    count = report.search_count([])
    print(
        f"reporting: seeded {count} report rows (Amazon order lines) in "
        f"{time.perf_counter() - start:.1f} s"
    )
    try:
        for label, action in ACTIONS.items():
            for view_type in ("pivot", "graph", "list"):
                times = []
                for _run in range(RUNS):
                    env.invalidate_all()
                    started = time.perf_counter()
                    open_default_view(report.env, action, view_type)
                    times.append(time.perf_counter() - started)
                print(
                    f"reporting: {label} {view_type}: first {times[0]:.2f} s, "
                    f"median {statistics.median(times):.2f} s over {RUNS} runs"
                )
    finally:
        env.cr.rollback()


main(env)  # noqa: F821 (odoo-bin shell provides env)
