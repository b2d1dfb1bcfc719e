# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import datetime, timedelta
from decimal import Decimal

from lxml import etree

from odoo import Command
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .. import cxml
from .common import AmazonPunchoutCommon
from .http_common import AmazonPunchoutJsonRpcCommon
from .reporting_common import open_default_view
from .test_browser_flow import SCREENSHOTS, _chromium

T0 = datetime(2026, 1, 5, 8, 0, 0)
ACTIONS = (
    "amazon_punchout.amazon_punchout_report_action",
    "amazon_punchout.amazon_punchout_report_action_kpi",
)
REPORT = "amazon.punchout.report"


class ReportingDataMixin:
    """Amazon orders written directly in the states the loop leaves them in."""

    @classmethod
    def _report_fixtures(cls):
        cls.product = cls.env["product.product"].create(
            {"name": "Amazon item (report tests)", "purchase_method": "purchase"}
        )
        cls.sequence = 0

    @classmethod
    def _order(cls, *, lines=1, shipping=0.0, currency=None, when=T0, **vals):
        """An Amazon order with ``lines`` item lines of 10.0 each, created at
        ``when`` (its cart time), plus a shipping estimate line if ``shipping``."""
        line_vals = []
        for n in range(1, lines + 1):
            cls.sequence += 1
            line_vals.append(
                {
                    "product_id": cls.product.id,
                    "name": f"Item {cls.sequence}",
                    "product_qty": 1.0,
                    "price_unit": 10.0,
                    "tax_ids": [Command.clear()],
                    # purchase_stock (with the bridge) plans receipts from it
                    "date_planned": when,
                    "amazon_punchout_line_number": n,
                    "amazon_punchout_asin": f"B0TEST{cls.sequence:05d}",
                    "amazon_punchout_aux_id": f"aux-{cls.sequence}",
                    "amazon_punchout_category": ("gl_pc", "gl_office_product")[n % 2],
                    "amazon_punchout_subcategory": "sub",
                    "amazon_punchout_sold_by": ("Amazon", "Hardware Hub LLC")[n % 2],
                    "amazon_punchout_unspsc": "44121704",
                }
            )
        if shipping:
            line_vals.append(
                {
                    "product_id": cls.product.id,
                    "name": "Estimated shipping",
                    "product_qty": 1.0,
                    "price_unit": shipping,
                    "tax_ids": [Command.clear()],
                    "date_planned": when,
                    "amazon_punchout_is_estimate": True,
                }
            )
        order = (
            cls.env["purchase.order"]
            .sudo()
            .create(
                {
                    "partner_id": cls.vendor.id,
                    "user_id": cls.shopper.id,
                    "date_order": when,
                    "currency_id": (currency or cls.env.company.currency_id).id,
                    "amazon_punchout_account_id": cls.account.id,
                    "order_line": [Command.create(v) for v in line_vals],
                    **vals,
                }
            )
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE purchase_order SET create_date = %s WHERE id = %s", (when, order.id)
        )
        order.invalidate_recordset(["create_date"])
        return order

    @classmethod
    def _sent(cls, order, at):
        cls.sequence += 1
        cls.env["amazon.punchout.document"].sudo().create(
            {
                "direction": "outbound",
                "doc_type": "OrderRequest",
                "state": "output_sent",
                "payload_id": f"sent-{cls.sequence}@test",
                "account_id": cls.account.id,
                "company_id": order.company_id.id,
                "order_id": order.id,
                "last_attempt_at": at,
            }
        )

    @classmethod
    def _confirmed(cls, order, at):
        cls.sequence += 1
        cls.env["amazon.punchout.document"].sudo().create(
            {
                "direction": "inbound",
                "doc_type": "ConfirmationRequest",
                "state": "input_processed",
                "payload_id": f"confirm-{cls.sequence}@test",
                "account_id": cls.account.id,
                "company_id": order.company_id.id,
                "order_id": order.id,
                "notice_date": at,
            }
        )

    @classmethod
    def _shipped(cls, lines, at):
        cls.sequence += 1
        cls.env["amazon.punchout.shipment"].sudo().create(
            {
                "name": f"SHIP-{cls.sequence}",
                "order_id": lines.order_id.id,
                "account_id": cls.account.id,
                "shipment_date": at,
                "shipment_type": "actual",
                "line_ids": [
                    Command.create({"order_line_id": line.id, "quantity": 1.0})
                    for line in lines
                ],
            }
        )


@tagged("post_install", "-at_install")
class TestReporting(ReportingDataMixin, AmazonPunchoutCommon):
    """The spend report's views and KPIs, on orders in every state of the loop."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._report_fixtures()
        cls.approver = cls.purchase_manager
        # A known small dataset: order k (1..10) was submitted k hours after its
        # cart, approved after 2k, sent after 3k, confirmed after 4k and its first
        # line shipped after 24k hours.
        cls.known = cls.env["purchase.order"]
        eur = cls.env.ref("base.EUR")
        eur.active = True
        cls.env["res.currency.rate"].create(
            {
                "name": "2026-01-01",
                "rate": 0.5,  # 1 company-currency unit = 0.5 EUR
                "currency_id": eur.id,
                "company_id": cls.env.company.id,
            }
        )
        for k in range(1, 11):
            order = cls._order(
                lines=2 if k == 1 else 1,
                shipping=5.0 if k == 1 else 0.0,
                currency=eur if k == 10 else None,
                state="purchase",
                date_approve=T0 + timedelta(hours=2 * k),
                amazon_punchout_date_submitted=T0 + timedelta(hours=k),
                amazon_punchout_approver_id=cls.approver.id,
                amazon_punchout_price_hold_lapsed=k in (5, 6),
            )
            cls._sent(order, T0 + timedelta(hours=3 * k))
            cls._confirmed(order, T0 + timedelta(hours=4 * k))
            cls._shipped(order.order_line[:1], T0 + timedelta(hours=24 * k))
            cls.known |= order
        lines = cls.known.order_line
        lines.filtered(lambda line: line.order_id == cls.known[1]).write(
            {"amazon_punchout_qty_confirmed": 0.0, "amazon_punchout_qty_rejected": 1.0}
        )
        for order in cls.known[2:4]:
            order.order_line.amazon_punchout_qty_backordered = 1.0
        # A few hundred lines in every state: drafts, submitted, approved, sent,
        # confirmed, shipped, partly rejected, cancelled.
        cls.bulk = cls.env["purchase.order"]
        for i in range(48):
            kind = i % 8
            when = T0 - timedelta(days=i * 3)
            vals = {"state": "draft"}
            if kind >= 1:
                vals.update(
                    state="to approve",
                    amazon_punchout_date_submitted=when + timedelta(hours=1),
                )
            if 2 <= kind <= 6:
                vals.update(
                    state="purchase",
                    date_approve=when + timedelta(hours=5),
                    amazon_punchout_approver_id=cls.approver.id,
                )
            if kind == 7:
                vals["state"] = "cancel"
            order = cls._order(lines=5, shipping=4.99, when=when, **vals)
            if kind >= 3 and kind != 7:
                cls._sent(order, when + timedelta(hours=6))
            if kind in (4, 5, 6):
                cls._confirmed(order, when + timedelta(hours=8))
                order.order_line.amazon_punchout_qty_confirmed = 1.0
            if kind == 5:
                cls._shipped(order.order_line[:3], when + timedelta(days=2))
            if kind == 6:
                order.order_line[:2].write(
                    {
                        "amazon_punchout_qty_confirmed": 0.0,
                        "amazon_punchout_qty_rejected": 1.0,
                    }
                )
                order.order_line[2:3].amazon_punchout_qty_backordered = 1.0
            cls.bulk |= order
        cls.env.flush_all()

    def _totals(self, domain, aggregates):
        [row] = self.env[REPORT].formatted_read_group(domain, [], aggregates)
        return row

    def test_views_open_and_group(self):
        """Every view of both actions opens with its default grouping, and the spend
        groups by each dimension the search view offers."""
        self.assertGreaterEqual(
            self.env[REPORT].search_count([("order_id", "in", self.bulk.ids)]), 280
        )
        report = self.env[REPORT].with_user(self.purchase_manager)
        for action in ACTIONS:
            for view_type in ("pivot", "graph", "list"):
                with self.subTest(action=action, view=view_type):
                    result = open_default_view(report.env, action, view_type)
                    self.assertTrue(result)
        search = report.get_views([(False, "search")])["views"]["search"]["arch"]
        groupbys = [
            safe_eval(node.get("context"))["group_by"]
            for node in etree.fromstring(search).iter("filter")
            if "group_by" in (node.get("context") or "")
        ]
        self.assertGreaterEqual(len(groupbys), 12)
        measures = [
            "__count",
            "price_subtotal:sum",
            "order_ref:count_distinct",
            "hours_to_approve:avg",
            "hours_to_ship_p90:max",
            "rejected_rate:avg",
        ]
        for groupby in groupbys:
            with self.subTest(groupby=groupby):
                groups = report.formatted_read_group([], [groupby], measures)
                self.assertTrue(groups)
                self.assertAlmostEqual(
                    sum(g["price_subtotal:sum"] for g in groups),
                    self._totals([], ["price_subtotal:sum"])["price_subtotal:sum"],
                )

    def test_kpis_of_a_known_dataset(self):
        domain = [("order_id", "in", self.known.ids)]
        totals = self._totals(
            domain,
            [
                "__count",
                "nbr_lines:sum",
                "order_ref:count_distinct",
                "price_subtotal:sum",
                "rejected_rate:avg",
                "backordered_rate:avg",
                "hold_lapsed_orders:sum",
            ]
            + [
                f"hours_to_{key}{suffix}"
                for key in ("submit", "approve", "send", "confirm", "ship")
                for suffix in (":avg", "_p90:max")
            ],
        )
        eur_order = self.known[-1]
        self.assertEqual(
            (eur_order.currency_id.name, eur_order.currency_rate, eur_order.date_order),
            ("EUR", 0.5, T0),
        )
        self.assertEqual(totals["__count"], 12)  # 11 item lines + 1 shipping
        self.assertEqual(totals["nbr_lines:sum"], 11)
        self.assertEqual(totals["order_ref:count_distinct"], 10)
        self.assertEqual(totals["hold_lapsed_orders:sum"], 2)
        # 10 lines of 10.0 and shipping 5.0 in the company currency, and 10.0 EUR
        # at 0.5 EUR per unit on the order date.
        self.assertAlmostEqual(totals["price_subtotal:sum"], 100.0 + 5.0 + 20.0)
        self.assertAlmostEqual(totals["rejected_rate:avg"], 100 / 11)
        self.assertAlmostEqual(totals["backordered_rate:avg"], 200 / 11)
        # Order-level durations once per order: k, 2k, 3k, 4k hours for k = 1..10;
        # percentile_cont(0.9) of 1..10 is 9.1.
        for key, factor in (("submit", 1), ("approve", 2), ("send", 3), ("confirm", 4)):
            with self.subTest(key=key):
                self.assertAlmostEqual(totals[f"hours_to_{key}:avg"], 5.5 * factor)
                self.assertAlmostEqual(totals[f"hours_to_{key}_p90:max"], 9.1 * factor)
        # Shipments per line: 24k hours on the first line of each order.
        self.assertAlmostEqual(totals["hours_to_ship:avg"], 5.5 * 24)
        self.assertAlmostEqual(totals["hours_to_ship_p90:max"], 9.1 * 24)
        # No vendor bill yet: the invoice lead time stays empty.
        empty = self._totals(
            domain, ["hours_to_invoice:avg", "hours_to_invoice_p90:max"]
        )
        self.assertFalse(empty["hours_to_invoice:avg"])
        self.assertFalse(empty["hours_to_invoice_p90:max"])

    def test_percentile_per_group(self):
        """The p90 is computed within each group, not summed from rows."""
        groups = self.env[REPORT].formatted_read_group(
            [("order_id", "in", self.known.ids), ("is_shipping", "=", False)],
            ["order_currency_id"],
            ["hours_to_approve_p90:max", "order_ref:count_distinct"],
        )
        by_currency = {g["order_currency_id"][1]: g for g in groups}
        self.assertAlmostEqual(by_currency["EUR"]["hours_to_approve_p90:max"], 20.0)
        # Orders 1..9 in the company currency: 2k hours, p90 = 2 * 8.2.
        company = self.env.company.currency_id.name
        self.assertAlmostEqual(by_currency[company]["hours_to_approve_p90:max"], 16.4)

    def test_dimensions(self):
        row = self.env[REPORT].search(
            [("order_id", "=", self.known[0].id), ("is_shipping", "=", False)],
            order="id",
            limit=1,
        )
        self.assertRecordValues(
            row,
            [
                {
                    "user_id": self.shopper.id,
                    "approver_id": self.approver.id,
                    "company_id": self.env.company.id,
                    "account_id": self.account.id,
                    "marketplace": "US",
                    "seller": "Hardware Hub LLC",
                    "category": "gl_office_product",
                    "subcategory": "sub",
                    "unspsc": "44121704",
                    "date_cart": T0,
                }
            ],
        )

    def test_category_from_the_cart(self):
        item = cxml.ItemIn(
            line_number=1,
            quantity=Decimal(1),
            supplier_part_id="B0CAT00001",
            supplier_part_auxiliary_id="aux",
            unit_price=cxml.Money(Decimal("3.50"), "USD"),
            description="Pens",
            classifications=(("UNSPSC", "44121704"),),
            extrinsics=(("category", "gl_office_product"), ("subCategory", "pens")),
        )
        vals = self.env["purchase.order.line"]._amazon_punchout_prepare_vals(
            item,
            number=1,
            product=self.product,
            uom=self.product.uom_id,
            fiscal_position=self.env["account.fiscal.position"],
        )
        self.assertEqual(vals["amazon_punchout_category"], "gl_office_product")
        self.assertEqual(vals["amazon_punchout_subcategory"], "pens")
        self.assertEqual(vals["amazon_punchout_unspsc"], "44121704")

    def test_menu_for_purchase_managers_only(self):
        menus = (
            self.env.ref("amazon_punchout.amazon_punchout_menu_reporting")
            | self.env.ref("amazon_punchout.amazon_punchout_menu_report_spend")
            | self.env.ref("amazon_punchout.amazon_punchout_menu_report_kpi")
        )
        Menu = self.env["ir.ui.menu"]
        visible = Menu.with_user(self.purchase_manager)._visible_menu_ids()
        self.assertLessEqual(set(menus.ids), visible)
        for user in (self.shopper, self.purchase_user):
            with self.subTest(user=user.login):
                visible = Menu.with_user(user)._visible_menu_ids()
                self.assertFalse(set(menus.ids) & visible)


@tagged("post_install", "-at_install")
class TestReportingAccess(AmazonPunchoutJsonRpcCommon):
    """Over JSON-RPC: managers read the report, shoppers and buyers are refused;
    submission and approval are recorded for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.account.company_id
        cls.company.partner_id.write(
            {
                "street": "1 Main Street",
                "city": "Seattle",
                "zip": "98109",
                "state_id": cls.env.ref("base.state_us_48").id,
                "country_id": cls.env.ref("base.us").id,
            }
        )
        cls.company.po_double_validation = "one_step"

    def test_shopper_refused(self):
        order = self._sample_requisition()
        args = ([], ["category"], ["price_subtotal:sum"])
        for user in (self.shopper, self.purchase_user):
            with self.subTest(user=user.login):
                for method, call_args in (
                    ("formatted_read_group", args),
                    ("web_search_read", ([], {"price_subtotal": {}})),
                    ("search_read", ([("order_id", "=", order.id)], ["name"])),
                ):
                    self._rpc_refused(user, REPORT, method, *call_args)
        rows = self._rpc_ok(
            self.purchase_manager,
            REPORT,
            "formatted_read_group",
            [("order_id", "=", order.id)],
            [],
            ["__count"],
        )
        self.assertEqual(rows[0]["__count"], len(order.order_line))

    def test_submission_and_approver_recorded(self):
        order = self._sample_requisition()
        self._rpc_ok(self.shopper, "purchase.order", "button_confirm", [order.id])
        self.assertEqual(order.state, "to approve")
        self.assertTrue(order.amazon_punchout_date_submitted)
        self.assertFalse(order.amazon_punchout_approver_id)
        self._rpc_ok(
            self.purchase_manager, "purchase.order", "button_approve", [order.id]
        )
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.amazon_punchout_approver_id, self.purchase_manager)
        row = self.env[REPORT].search([("order_id", "=", order.id)], limit=1)
        self.assertEqual(row.approver_id, self.purchase_manager)
        self.assertGreaterEqual(row.hours_to_approve, 0.0)


@tagged("post_install", "-at_install")
class TestReportingBrowser(ReportingDataMixin, AmazonPunchoutJsonRpcCommon):
    """A purchase manager opens the spend report in a real Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._report_fixtures()
        for month in range(6):
            for n in range(1, 4):
                cls._order(
                    lines=n,
                    when=T0 - timedelta(days=30 * month),
                    state="purchase",
                    date_approve=T0 - timedelta(days=30 * month, hours=-n),
                    amazon_punchout_approver_id=cls.purchase_manager.id,
                )

    def test_manager_opens_the_spend_pivot(self):
        # Bundles built here, not during the browser's requests (see test_roles).
        for name in ("web.assets_web",):
            bundle = self.env["ir.qweb"]._get_asset_bundle(name)
            bundle.js()
            bundle.css()
        self.env.flush_all()  # the browser's requests read the database
        manager = self.purchase_manager
        with self.allow_requests(all_requests=True), _chromium() as browser:
            page = browser.new_context(
                viewport={"width": 1280, "height": 720}
            ).new_page()
            page.set_default_timeout(60000)  # 2 shared cores, often busy
            page.goto(f"{self.base_url()}/web/login")
            page.fill("input[name=login]", manager.login)
            page.fill("input[name=password]", manager.login)
            page.click("form.oe_login_form button[type=submit]")
            page.wait_for_url(re.compile("/odoo"))
            page.click(".o_navbar_apps_menu button")
            page.click(
                ".o_app[data-menu-xmlid='amazon_punchout.amazon_punchout_menu_root']"
            )
            page.click(
                "[data-menu-xmlid='amazon_punchout.amazon_punchout_menu_reporting']"
            )
            page.click(
                "[data-menu-xmlid='amazon_punchout.amazon_punchout_menu_report_spend']"
            )
            pivot = page.locator(".o_pivot table")
            pivot.wait_for()
            text = pivot.inner_text()
            page.screenshot(path=SCREENSHOTS / "reporting-pivot.png")
        # Spend by month down and Amazon category across.
        self.assertIn("Total", text)
        self.assertIn("gl_pc", text)
        self.assertIn("gl_office_product", text)
