# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import re

from playwright.sync_api import Error as PlaywrightError

from odoo.tests import tagged

# The module, not the class: pytest would collect an imported test class again.
from . import test_browser_flow as shopper_flow
from .common import IDENTITY, AmazonPunchoutHttpCommon, run_send_crons


@tagged("post_install", "-at_install")
class TestLifecycleFlow(AmazonPunchoutHttpCommon):
    """Shop, submit, approve in the UI, and see what Amazon answered, in Chromium.

    The shopper shops and submits (the helpers of test_browser_flow), a purchase
    manager clicks "Approve Order", the cron sends the OrderRequest, and the sandbox
    (test mode with its sandbox-only ``fulfil_test_orders`` and a ``reject_line``
    fault) posts its confirmations and ship notice to Odoo's real endpoint. The
    approver's order then shows the Amazon order number, the rejected line with
    Amazon's reason and the tracking number.
    """

    def _shot(self, page, name):
        page.screenshot(path=shopper_flow.SCREENSHOTS / f"lifecycle-{name}.png")

    def _doc_shot(self, page, name):
        """A screenshot for the documentation: copied by hand to docs/screenshots/
        (a test run leaves the sources untouched)."""
        page.screenshot(
            path=shopper_flow.SCREENSHOTS / f"{name}.png", animations="disabled"
        )

    def setUp(self):
        super().setUp()
        self.shopper.tz = "UTC"
        self.purchase_manager.tz = "UTC"
        self.account.company_id.partner_id.write(
            {
                "street": "410 Terry Ave N",
                "city": "Seattle",
                "zip": "98109",
                "country_id": self.env.ref("base.us").id,
            }
        )
        # Amazon answers at once (manual plan: the test says when), to Odoo's real
        # endpoint, refusing the order's last line.
        self.sandbox.configure_account(
            IDENTITY,
            mode="test",
            fulfil_test_orders=True,
            buyer_inbound_url=f"{self.base_url()}/amazon_punchout/cxml/"
            f"{self.account.inbound_token}",
            inbound_auth="shared_secret",
            plan={"mode": "manual", "carrier": "UPS"},
        )
        self.sandbox.set_faults("reject_line", IDENTITY)

    def test_approve_in_ui_then_amazon_answers(self):
        self.env.flush_all()  # the browser's requests read the database
        base = self.base_url()
        # The ORM is used between browser steps only, outside allow_requests: there
        # the test holds the registry's test lock, so no request of the browser runs
        # on the shared test cursor at the same time.
        with shopper_flow._chromium() as browser:
            shopper = browser.new_context(viewport={"width": 1366, "height": 900})
            approver = browser.new_context(viewport={"width": 1280, "height": 960})
            try:
                with self.allow_requests(all_requests=True):
                    shopper_flow.TestShopperFlow._shop(self, shopper, base)
                self.env.invalidate_all()
                order = self._requisitions()
                self.assertEqual(len(order), 1)
                self.assertEqual(order.state, "to approve")
                page = approver.new_page()
                self._approve(page, base, order)
                self._amazon_answers(order)
                self._check_order_page(page, order)
            except Exception:
                with self.allow_requests(all_requests=True):
                    for number, page in enumerate(shopper.pages + approver.pages):
                        # Best effort: the test's own error is the one to report.
                        with contextlib.suppress(PlaywrightError):
                            page.screenshot(
                                path=shopper_flow.SCREENSHOTS
                                / f"lifecycle-failure-{number}.png",
                                timeout=5000,
                            )
                raise

    def _approve(self, page, base, order):
        """The purchase manager finds the requisition and clicks "Approve Order"."""
        login, name = self.purchase_manager.login, order.name
        with self.allow_requests(all_requests=True):
            page.goto(f"{base}/web/login")
            page.fill("input[name=login]", login)
            page.fill("input[name=password]", login)
            page.click("form.oe_login_form button[type=submit]")
            page.wait_for_url(re.compile("/odoo"))
            page.goto(f"{base}/odoo/purchase")
            page.locator(".o_data_row", has_text=name).click()
            approve = page.locator("button[name=button_approve]")
            approve.wait_for()
            self._doc_shot(page, "approver-1-to-approve")
            approve.click()
            approve.wait_for(state="hidden")
            page.locator(
                ".o_statusbar_status button.o_arrow_button_current",
                has_text="Purchase",
            ).wait_for()
        self.env.invalidate_all()
        self.assertEqual(order.state, "purchase")

    def _amazon_answers(self, order):
        """The cron sends the order; the sandbox posts its answers to Odoo."""
        self.assertTrue(run_send_crons(self.env))
        request = order.amazon_punchout_document_ids.filtered(
            lambda d: d.doc_type == "OrderRequest"
        )
        self.assertEqual(request.state, "output_sent", request.error)
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            sent = self.sandbox.advance(order.name, steps=None)
        self.env.invalidate_all()
        self.assertEqual(
            sorted(attempt["document"] for attempt in sent),
            [
                "ConfirmationRequest",
                "ConfirmationRequest",
                "InvoiceDetailRequest",
                "ShipNoticeRequest",
            ],
        )
        for attempt in sent:
            self.assertEqual(attempt["http_status"], 200, attempt)
        self.assertEqual(order.amazon_punchout_status, "shipped")

    def _check_order_page(self, page, order):
        """What the approver sees once Amazon answered."""
        rejected = order.order_line.filtered("amazon_punchout_qty_rejected")
        self.assertEqual(len(rejected), 1)
        self.assertEqual(rejected.amazon_punchout_error_code, "002-003")
        shipment = order.amazon_punchout_shipment_ids
        self.assertTrue(shipment.tracking_ref.startswith("TBA"), shipment.tracking_ref)

        reason_text = rejected.amazon_punchout_reject_reason
        refs_text = order.amazon_punchout_order_refs
        tracking_ref = shipment.tracking_ref
        with self.allow_requests(all_requests=True):
            self._read_order_page(page, reason_text, refs_text, tracking_ref)

    def _read_order_page(self, page, reason_text, refs_text, tracking_ref):
        page.reload()
        status = page.locator(".o_field_widget[name=amazon_punchout_status]")
        status.wait_for()
        self.assertEqual(status.inner_text().strip(), "Shipped")
        refs = page.locator(".o_field_widget[name=amazon_punchout_order_refs]")
        self.assertRegex(refs.inner_text(), r"\d{3}-\d{7}-\d{7}")
        self.assertEqual(refs.inner_text().strip(), refs_text)

        # Amazon's reason: an optional column of the lines, switched on as anyone would.
        lines = page.locator(".o_field_widget[name=order_line]")
        lines.locator(".o_optional_columns_dropdown_toggle").click()
        page.locator(".o-dropdown-item", has_text="Amazon reason").click()
        page.keyboard.press("Escape")
        reason = lines.locator(
            ".o_data_row td[name=amazon_punchout_reject_reason]",
            has_text="002-003",
        )
        reason.wait_for()
        self.assertIn(reason_text, reason.inner_text())
        self._doc_shot(page, "approver-2-amazon-status")

        # The shipment and its tracking number, on the Amazon Business tab.
        page.locator(".o_notebook .nav-link", has_text="Amazon Business").click()
        page.locator(
            ".o_field_widget[name=amazon_punchout_shipment_ids] td[name=tracking_ref]",
            has_text=tracking_ref,
        ).wait_for()
        self._doc_shot(page, "approver-3-tracking")
        self._shot(page, "done")
