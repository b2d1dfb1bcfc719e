# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An Amazon invoice → vendor bill, against a plain ORM create (a benchmark).

Run by bench/bench-invoice inside `odoo-bin shell` on the demo database. For a
sent purchase order of LINES lines it times, in the same run and transaction:
(a) the importer: parse the InvoiceDetailRequest, then fill an empty bill (lines
linked to the order lines, taxes looked up, totals checked, the match written);
(b) a plain ORM ``create`` of the same bill with the same lines (product,
quantity, price, taxes, order line). It prints the medians, their ratio and the
SQL queries of each, per line, for LINES and LINES/2 lines (constant per line
means the count grows linearly). Everything is rolled back.
"""

import statistics
import time

from odoo import fields

from odoo.addons.amazon_punchout import cxml

LINES = int(globals().get("LINES", 200))
ROUNDS = int(globals().get("ROUNDS", 5))


def invoice_xml(order, rate, invoice_id):
    lines = order.order_line
    items = "".join(
        f'<InvoiceDetailItem invoiceLineNumber="{n}" quantity="2">'
        f'<UnitOfMeasure>EA</UnitOfMeasure><UnitPrice><Money currency="USD">10.00'
        f'</Money></UnitPrice><InvoiceDetailItemReference lineNumber="{n}">'
        f"<ItemID><SupplierPartID>B0BENCH{n:03d}</SupplierPartID></ItemID>"
        f'<Description xml:lang="en">Bench item {n}</Description>'
        f'</InvoiceDetailItemReference><SubtotalAmount><Money currency="USD">20.00'
        f'</Money></SubtotalAmount><Tax><Money currency="USD">{20 * rate / 100:.2f}'
        f'</Money><Description xml:lang="en">tax</Description><TaxDetail '
        f'category="vat" percentageRate="{rate}" purpose="subtotalTax"><TaxableAmount>'
        f'<Money currency="USD">20.00</Money></TaxableAmount><TaxAmount><Money '
        f'currency="USD">{20 * rate / 100:.2f}</Money></TaxAmount></TaxDetail></Tax>'
        f"</InvoiceDetailItem>"
        for n in range(1, len(lines) + 1)
    )
    subtotal = 20 * len(lines)
    tax = round(20 * rate / 100, 2) * len(lines)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><cXML payloadID="'
        f'{cxml.new_payload_id()}" timestamp="2026-01-01T00:00:00+00:00">'
        f"<Header><From><Credential domain="
        f'"NetworkId"><Identity>Amazon</Identity></Credential></From><To><Credential '
        f'domain="NetworkId"><Identity>x</Identity></Credential></To><Sender>'
        f'<Credential domain="NetworkId"><Identity>Amazon</Identity></Credential>'
        f"<UserAgent>bench</UserAgent></Sender></Header><Request><InvoiceDetailRequest>"
        f'<InvoiceDetailRequestHeader invoiceID="{invoice_id}" purpose="standard" '
        f'operation="new" invoiceDate="2026-01-05T00:00:00+00:00">'
        f"<InvoiceDetailHeaderIndicator/><InvoiceDetailLineIndicator isTaxInLine="
        f'"yes"/></InvoiceDetailRequestHeader><InvoiceDetailOrder>'
        f'<InvoiceDetailOrderInfo><OrderReference orderID="{order.name}">'
        f'<DocumentReference payloadID="none"/></OrderReference>'
        f"</InvoiceDetailOrderInfo>{items}</InvoiceDetailOrder><InvoiceDetailSummary>"
        f'<SubtotalAmount><Money currency="USD">{subtotal:.2f}</Money></SubtotalAmount>'
        f'<Tax><Money currency="USD">{tax:.2f}</Money><Description xml:lang="en">tax'
        f'</Description></Tax><NetAmount><Money currency="USD">{subtotal + tax:.2f}'
        f"</Money></NetAmount></InvoiceDetailSummary></InvoiceDetailRequest></Request>"
        f"</cXML>"
    ).encode()


def sent_order(env, account, product, tax, lines):
    order = env["purchase.order"].create(
        {
            "partner_id": account.partner_id.id,
            "company_id": account.company_id.id,
            "currency_id": env.ref("base.USD").id,
            "amazon_punchout_account_id": account.id,
            "order_line": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "name": f"Bench item {n}",
                        "product_qty": 2,
                        "price_unit": 10,
                        "tax_ids": [fields.Command.set(tax.ids)],
                        "amazon_punchout_line_number": n,
                        "amazon_punchout_asin": f"B0BENCH{n:03d}",
                    }
                )
                for n in range(1, lines + 1)
            ],
        }
    )
    order.write({"state": "purchase"})
    return order


def run_import(env, order, data):
    start_queries = env.cr.sql_log_count
    start = time.perf_counter()
    parsed = cxml.parse(data)
    move = env["account.move"].create({"move_type": "in_invoice"})
    move._amazon_punchout_fill_from_invoice(
        parsed.body, account=order.amazon_punchout_account_id
    )
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - start_queries, move


def run_plain(env, order, tax, invoice_id):
    start_queries = env.cr.sql_log_count
    start = time.perf_counter()
    move = env["account.move"].create(
        {
            "move_type": "in_invoice",
            "partner_id": order.partner_id.id,
            "ref": invoice_id,
            "invoice_date": "2026-01-05",
            "currency_id": order.currency_id.id,
            "invoice_origin": order.name,
            "invoice_line_ids": [
                fields.Command.create(
                    {
                        "product_id": line.product_id.id,
                        "name": line.name,
                        "quantity": 2,
                        "price_unit": 10,
                        "tax_ids": [fields.Command.set(tax.ids)],
                        "purchase_line_id": line.id,
                    }
                )
                for line in order.order_line
            ],
        }
    )
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - start_queries, move


def measure(env, account, product, tax, lines):
    order = sent_order(env, account, product, tax, lines)
    env.flush_all()
    ours, plain = [], []
    queries = {}
    for index in range(ROUNDS + 1):
        data = invoice_xml(order, tax.amount, f"BENCH-{lines}-{index}")
        env.invalidate_all()
        seconds, count, move = run_import(env, order, data)
        queries["import"] = count
        if index:
            ours.append(seconds)
        move.unlink()
        env.invalidate_all()
        seconds, count, move = run_plain(env, order, tax, f"PLAIN-{lines}-{index}")
        queries["plain"] = count
        if index:
            plain.append(seconds)
        move.unlink()
    return statistics.median(ours), statistics.median(plain), queries


def main(env):
    env = env(su=True)
    env.cr.execute("SAVEPOINT bench_invoice")
    account = env.ref("amazon_punchout.amazon_punchout_account_demo")
    company = account.company_id
    env = env(context={"allowed_company_ids": company.ids})
    tax = env["account.tax"].search(
        [
            ("company_id", "=", company.id),
            ("type_tax_use", "=", "purchase"),
            ("amount_type", "=", "percent"),
            ("price_include", "=", False),
            ("amount", ">", 0),
        ],
        limit=1,
    )
    product = env["product.product"].create({"name": "Bench item", "type": "consu"})
    try:
        results = {}
        for lines in (LINES // 2, LINES):
            results[lines] = measure(env, account, product, tax, lines)
        ours, plain, queries = results[LINES]
        _o, _p, half = results[LINES // 2]
        print(f"invoice → bill, {LINES} lines ({ROUNDS} rounds, medians):")
        print(f"  importer (parse + fill + check + match): {ours * 1000:.0f} ms")
        print(f"  plain ORM create of the same bill:      {plain * 1000:.0f} ms")
        print(f"  ratio: {ours / plain:.2f}x (target <= 1.5x)")
        for kind in ("import", "plain"):
            extra = (queries[kind] - half[kind]) / (LINES - LINES // 2)
            print(
                f"  SQL queries, {kind}: {half[kind]} for {LINES // 2} lines, "
                f"{queries[kind]} for {LINES} lines ({extra:.2f} per extra line)"
            )
    finally:
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_invoice")


main(env)  # noqa: F821  (odoo-bin shell's env)
