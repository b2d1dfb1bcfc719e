# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each role at home: the shopper's notifications, the approver's list, the buyer's
honest buttons, the administrator's account form."""

import contextlib
import re
from unittest.mock import patch

from playwright.sync_api import Error as PlaywrightError

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.amazon_punchout.models.amazon_punchout_account import CxmlAnswer

from .common import AmazonPunchoutCommon
from .http_common import AmazonPunchoutJsonRpcCommon
from .test_browser_flow import SCREENSHOTS, _chromium

ADDRESS = {"street": "1 Main Street", "city": "Seattle", "zip": "98109"}


def _set_company_address(env, company):
    company.partner_id.write({**ADDRESS, "country_id": env.ref("base.us").id})


@tagged("post_install", "-at_install")
class TestRoleNotifications(AmazonPunchoutCommon):
    """The shopper hears, through Odoo's own notifications, what happens to their
    requisition; refused actions say why and what to do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _set_company_address(cls.env, cls.account.company_id)
        cls.account.company_id.po_double_validation = "one_step"

    def _submitted(self, user=None):
        user = user or self.shopper
        order = self._sample_requisition(user, uom2="C62")
        order.with_user(user).button_confirm()
        self.assertEqual(order.state, "to approve")
        return order.sudo()

    def _notifications(self, order, user):
        """Messages of ``order`` addressed to ``user`` (inbox or e-mail)."""
        return order.message_ids.filtered(
            lambda m: (
                user.partner_id in m.partner_ids
                or user.partner_id in m.notification_ids.res_partner_id
            )
        )

    def test_shopper_notified_of_approval(self):
        order = self._submitted()
        order.with_user(self.purchase_user).action_amazon_punchout_approve()
        self.assertEqual(order.state, "purchase")
        message = self._notifications(order, self.shopper)[:1]
        self.assertTrue(message, "the shopper is notified")
        self.assertIn("was approved by Bea Buyer", message.body)
        self.assertIn("sends it to Amazon Business electronically", message.body)
        self.assertEqual(message.author_id, self.purchase_user.partner_id)
        # Odoo's notification: the shopper's inbox or e-mail, as they chose.
        self.assertIn(self.shopper.partner_id, message.notification_ids.res_partner_id)

    def test_approvals_do_not_write_amazons_partner(self):
        """Odoo's portal prepares a signup token for the vendor on each notification:
        for Amazon's partner (vendor of every Amazon order) the unchanged type is not
        written again, so concurrent approvals do not all lock its row."""
        self.env["ir.config_parameter"].sudo().set_param(
            "auth_signup.invitation_scope", "b2c"
        )
        vendor = self.account.partner_id
        vendor.sudo().signup_prepare()
        self.assertEqual(vendor.sudo().signup_type, "signup")
        order = self._submitted()
        Partner = type(self.env["res.partner"])
        with patch.object(Partner, "write", autospec=True, wraps=Partner.write) as spy:
            order.with_user(self.purchase_user).action_amazon_punchout_approve()
        self.assertEqual(order.state, "purchase")
        self.assertTrue(self._notifications(order, self.shopper))
        written = self.env["res.partner"].union(
            *(call.args[0] for call in spy.call_args_list)
        )
        self.assertNotIn(vendor, written)
        # Other partners keep Odoo's behaviour.
        other = self.shopper.partner_id
        with patch.object(Partner, "write", autospec=True, wraps=Partner.write) as spy:
            other.sudo().signup_prepare()
        self.assertTrue(spy.called)

    def test_shopper_notified_of_refusal_with_reason(self):
        order = self._submitted()
        wizard = (
            self.env["amazon.punchout.refuse.wizard"]
            .with_user(self.purchase_manager)
            .with_context(
                **order.with_user(
                    self.purchase_manager
                ).action_amazon_punchout_refuse()["context"]
            )
            .create({"reason": "Over the team budget: order a cheaper model."})
        )
        wizard.action_refuse()
        self.assertEqual(order.state, "cancel")
        body = self._notifications(order, self.shopper)[:1].body
        self.assertIn("was refused by Max Manager", body)
        self.assertIn("Reason: Over the team budget", body)

    def test_shopper_notified_of_refusal_without_reason(self):
        order = self._submitted()
        order.with_user(self.purchase_user).button_cancel()
        body = self._notifications(order, self.shopper)[:1].body
        self.assertIn("was refused by Bea Buyer", body)
        self.assertIn("No reason was given", body)

    def test_shopper_withdrawing_is_not_notified(self):
        order = self._submitted()
        before = len(self._notifications(order, self.shopper))
        order.with_user(self.shopper).button_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(len(self._notifications(order, self.shopper)), before)

    def test_two_step_approval_refused_with_the_reason(self):
        order = self._submitted()
        company = self.account.company_id
        company.write(
            {"po_double_validation": "two_step", "po_double_validation_amount": 10}
        )
        with self.assertRaisesRegex(UserError, "only a purchase manager approve"):
            order.with_user(self.purchase_user).action_amazon_punchout_approve()
        self.assertEqual(order.state, "to approve")
        order.with_user(self.purchase_manager).action_amazon_punchout_approve()
        self.assertEqual(order.state, "purchase")

    def test_no_email_nor_rfq_print_for_amazon_orders(self):
        order = self._submitted().with_user(self.purchase_user)
        for action in (order.action_rfq_send, order.print_quotation):
            with self.assertRaisesRegex(UserError, "electronically"):
                action()
        self.assertIn("once approved", order.amazon_punchout_transmission)
        order.action_amazon_punchout_approve()
        self.assertIn("Being sent", order.amazon_punchout_transmission)

    def test_amazon_confirmation_acknowledges_the_order(self):
        order = self._submitted()
        order.with_user(self.purchase_user).action_amazon_punchout_approve()
        self.assertFalse(order.acknowledged)
        lines = order._amazon_punchout_item_lines()
        for line in lines:
            line.amazon_punchout_qty_confirmed = line.product_qty
        order._amazon_punchout_update_status()
        self.assertEqual(order.amazon_punchout_status, "confirmed")
        self.assertTrue(order.acknowledged)


@tagged("post_install", "-at_install")
class TestConnectionReport(AmazonPunchoutCommon):
    """Test connection says, for each failure, what it means and what to do."""

    def _report(self, answer):
        self.env.user.amazon_punchout_email = "admin@example.com"
        with patch.object(
            type(self.account), "_amazon_punchout_send_cxml", return_value=answer
        ):
            params = self.account.action_test_connection()["params"]
        return params["type"], params["message"]

    def test_each_failure_in_words(self):
        cases = [
            (CxmlAnswer(0, "Could not reach Amazon Business.", True, None), "proxy"),
            (CxmlAnswer(401, "Unauthorized", False, None), "shared secret again"),
            (CxmlAnswer(400, "Bad Request", False, None), "not a user of the"),
            (CxmlAnswer(500, "Internal Server Error", True, None), "on its side"),
        ]
        for answer, advice in cases:
            with self.subTest(code=answer.code):
                kind, message = self._report(answer)
                self.assertEqual(kind, "danger")
                self.assertIn(advice, message)
                self.assertIn(answer.text, message)

    def test_administrator_without_amazon_email(self):
        self.env.user.amazon_punchout_email = False
        params = self.account.action_test_connection()["params"]
        self.assertEqual(params["type"], "danger")
        self.assertIn("set it on your user", params["message"])


@tagged("post_install", "-at_install")
class TestRoleBrowser(AmazonPunchoutJsonRpcCommon):
    """Approver, buyer and administrator in a real Chromium (see test_browser_flow)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _set_company_address(cls.env, cls.account.company_id)
        cls.account.company_id.po_double_validation = "one_step"

    def _submitted(self):
        order = self._sample_requisition()
        order.with_user(self.shopper).button_confirm()
        self.assertEqual(order.state, "to approve")
        return order.sudo()

    def _warm_assets(self):
        """Build the web client's bundles here: built during the browser's requests
        they hold the test cursor long enough for its other requests to fail (the
        assets are rolled back with each test)."""
        with mute_logger("odoo.addons.base.models.assetsbundle"):
            for name in ("web.assets_web", "web.assets_tests"):
                bundle = self.env["ir.qweb"]._get_asset_bundle(name)
                if bundle.javascripts:
                    bundle.js()
                if bundle.stylesheets:
                    bundle.css()

    @contextlib.contextmanager
    def _page(self, user, password=None, name="roles"):
        """A logged-in Chromium page; a screenshot on failure."""
        self._warm_assets()
        self.env.flush_all()  # the browser's requests read the database
        with self.allow_requests(all_requests=True), _chromium() as browser:
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            context.set_default_timeout(60000)  # 2 shared cores, often busy
            page = context.new_page()
            try:
                page.goto(f"{self.base_url()}/web/login")
                page.fill("input[name=login]", user.login)
                page.fill("input[name=password]", password or user.login)
                page.click("form.oe_login_form button[type=submit]")
                page.wait_for_url(re.compile("/odoo"))
                yield page
            except Exception:
                with contextlib.suppress(PlaywrightError):
                    page.screenshot(
                        path=SCREENSHOTS / f"{name}-failure.png", timeout=5000
                    )
                raise
        self.env.invalidate_all()

    def test_approver_approves_from_the_list_in_one_click(self):
        first = self._submitted()
        second = self._submitted()
        self.purchase_manager.tz = "UTC"
        with self._page(self.purchase_manager, name="approver") as page:
            page.click(".o_navbar_apps_menu button")
            page.click(
                ".o_app[data-menu-xmlid='amazon_punchout.amazon_punchout_menu_root']"
            )
            page.click(
                "[data-menu-xmlid='amazon_punchout.amazon_punchout_menu_to_approve']"
            )
            table = page.locator(".o_amazon_punchout_to_approve")
            table.locator(".o_data_row").nth(1).wait_for()
            text = table.inner_text()
            for expected in (
                first.name,
                second.name,
                "Sam Shopper",
                "Price hold (days left)",
                "7",
            ):
                self.assertIn(expected, text)
            page.screenshot(path=SCREENSHOTS / "approver-to-approve-list.png")
            row = table.locator(".o_data_row", has_text=first.name)
            row.locator("button.o_amazon_punchout_approve").click()
            row.wait_for(state="detached")
            self.assertEqual(table.locator(".o_data_row").count(), 1)
        self.assertEqual(first.state, "purchase")
        self.assertEqual(second.state, "to approve")
        self.assertTrue(first._amazon_punchout_order_requests())

    def test_paper_buttons_absent_on_amazon_orders_only(self):
        amazon_draft = self._submitted()
        approved = self._submitted()
        approved.with_user(self.purchase_manager).button_approve()
        product = self.env["product.product"].create({"name": "Paper clip"})
        office = self.env["res.partner"].create({"name": "Office Supplies Inc."})
        normal_draft, normal_confirmed = self.env["purchase.order"].create(
            [
                {
                    "partner_id": office.id,
                    "order_line": [
                        fields.Command.create(
                            {"product_id": product.id, "product_qty": 1}
                        )
                    ],
                }
                for _i in range(2)
            ]
        )
        normal_confirmed.button_confirm()
        self.assertEqual(normal_confirmed.state, "purchase")
        paper = ("action_rfq_send", "print_quotation", "action_acknowledge")
        with self._page(self.purchase_manager, name="buyer") as page:

            def buttons(order):
                page.goto(f"{self.base_url()}/odoo/purchase/{order.id}")
                header = page.locator(".o_form_view .o_form_statusbar").first
                header.wait_for()
                page.locator(".o_form_view .o_field_widget[name=name]").first.wait_for()
                return {
                    name
                    for name in paper
                    if header.locator(f"button[name={name}]").count()
                }, header.inner_text()

            visible, text = buttons(normal_draft)
            self.assertEqual(visible, {"action_rfq_send", "print_quotation"})
            visible, text = buttons(normal_confirmed)
            self.assertEqual(visible, {"action_rfq_send", "action_acknowledge"})
            visible, text = buttons(approved)
            self.assertEqual(visible, set())
            self.assertIn("Being sent to Amazon Business electronically", text)
            visible, text = buttons(amazon_draft)
            self.assertEqual(visible, set())
            self.assertIn("once approved", text)

    def test_admin_account_form_guides_and_tests_the_connection(self):
        admin = self.env.ref("base.user_admin")
        admin.amazon_punchout_email = "ap_shopper@example.com"  # a sandbox user
        with self._page(admin, password="admin", name="admin") as page:
            page.goto(
                f"{self.base_url()}/odoo/action-amazon_punchout."
                f"amazon_punchout_account_action/{self.account.id}"
            )
            guide = page.locator(".o_amazon_punchout_setup_guide")
            guide.wait_for()
            text = guide.inner_text()
            for expected in (
                "Copy from Amazon Business into this form",
                "Copy from this form into Amazon Business",
                "nothing to copy",
                self.base_url(),
            ):
                self.assertIn(expected, text)
            page.screenshot(path=SCREENSHOTS / "admin-account-form.png", full_page=True)
            page.click("button[name=action_test_connection]")
            notification = page.locator(".o_notification", has_text="Connected")
            notification.wait_for()
