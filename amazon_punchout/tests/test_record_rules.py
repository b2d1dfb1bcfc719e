# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shopper rules restrict pure shoppers only (issue 10, point 8).

Odoo adds up the rules of a user's groups: a shopper rule that also applied to an
accountant who shops would hide every other purchase order from them.
"""

import importlib.util
import secrets
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import AmazonPunchoutCommon

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
OLD_ORDER_DOMAIN = (
    "[('user_id', '=', user.id), ('amazon_punchout_session_id', '!=', False)]"
)
OLD_LINE_DOMAIN = (
    "[('order_id.user_id', '=', user.id), "
    "('order_id.amazon_punchout_session_id', '!=', False)]"
)


@tagged("post_install", "-at_install")
class TestShopperRules(AmazonPunchoutCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        shopper_group = "amazon_punchout.group_amazon_punchout_shopper"
        cls.accountant = new_test_user(
            cls.env,
            login="ap_accountant",
            groups="base.group_user,account.group_account_invoice",
        )
        cls.accountant_shopper = new_test_user(
            cls.env,
            login="ap_accountant_shopper",
            groups=f"base.group_user,account.group_account_invoice,{shopper_group}",
        )
        cls.auditor_shopper = new_test_user(
            cls.env,
            login="ap_auditor_shopper",
            groups=f"base.group_user,account.group_account_readonly,{shopper_group}",
        )
        product = cls.env["product.product"].create({"name": "Toner"})
        cls.plain_order = cls.env["purchase.order"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Paper Co"}).id,
                "order_line": [
                    fields.Command.create({"product_id": product.id, "product_qty": 1})
                ],
            }
        )
        cls.mine = cls._requisition(cls.shopper)
        cls.theirs = cls._requisition(cls.other_shopper)
        cls.accountants_own = cls._requisition(cls.accountant_shopper)

    @classmethod
    def _requisition(cls, user):
        session = (
            cls.env["amazon.punchout.session"]
            .sudo()
            .create(
                {
                    "account_id": cls.account.id,
                    "user_id": user.id,
                    "deployment_mode": "test",
                    "buyer_cookie": secrets.token_urlsafe(16),
                    "return_token": secrets.token_urlsafe(16),
                    "expires_at": fields.Datetime.now() + timedelta(hours=1),
                }
            )
        )
        data = cls._cart_xml(
            cls,
            payload_id=secrets.token_hex(8) + "@amazon.example",
            buyer_cookie=session.buyer_cookie,
            currency="USD",
            total="50.97",
            uom1="EA",
            uom2="C62",
        )
        cls.env["amazon.punchout.session"]._amazon_punchout_receive_cart(
            session.return_token, data
        )
        return session.with_user(user)._amazon_punchout_create_requisition()

    def _visible(self, user, model="purchase.order"):
        self.env.invalidate_all()
        return self.env[model].with_user(user).search([])

    def test_accountant_who_shops_sees_what_an_accountant_sees(self):
        everything = self._visible(self.accountant)
        self.assertIn(self.plain_order, everything)
        self.assertIn(self.theirs, everything)
        for user in (self.accountant_shopper, self.auditor_shopper):
            with self.subTest(user=user.login):
                self.assertEqual(self._visible(user), everything)
                self.assertEqual(
                    self._visible(user, "purchase.order.line"),
                    self._visible(self.accountant, "purchase.order.line"),
                )
                self.plain_order.with_user(user).read(["name"])

    def test_pure_shopper_still_sees_own_requisitions_only(self):
        self.assertEqual(self._visible(self.shopper), self.mine)
        self.assertEqual(
            self._visible(self.shopper, "purchase.order.line"), self.mine.order_line
        )
        # Joining the shopper group takes nothing away; leaving accounting does.
        self.accountant_shopper.group_ids -= self.env.ref(
            "account.group_account_invoice"
        )
        self.assertEqual(self._visible(self.accountant_shopper), self.accountants_own)

    def test_migration_updates_the_shipped_rules(self):
        order_rule = self.env.ref(
            "amazon_punchout.purchase_order_rule_amazon_punchout_shopper"
        )
        line_rule = self.env.ref(
            "amazon_punchout.purchase_order_line_rule_amazon_punchout_shopper"
        )
        new_order_domain = order_rule.domain_force
        new_line_domain = line_rule.domain_force
        self.assertNotEqual(new_order_domain, OLD_ORDER_DOMAIN)
        order_rule.domain_force = OLD_ORDER_DOMAIN
        line_rule.domain_force = OLD_LINE_DOMAIN
        self.assertEqual(self._visible(self.accountant_shopper), self.accountants_own)

        script = MIGRATIONS / "19.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("ap_post_migrate", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(order_rule.domain_force, new_order_domain)
        self.assertEqual(line_rule.domain_force, new_line_domain)
        self.assertEqual(
            self._visible(self.accountant_shopper), self._visible(self.accountant)
        )
