# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AmazonPunchoutCommon


@tagged("post_install", "-at_install")
class TestSecurity(AmazonPunchoutCommon):
    def test_shopper_cannot_read_configuration(self):
        with self.assertRaises(AccessError):
            self.account.with_user(self.shopper).read(["name"])
        with self.assertRaises(AccessError):
            self.env["amazon.punchout.account"].with_user(self.shopper).search([])

    def test_shared_secret_for_administrators_only(self):
        account = self.account.with_user(self.purchase_manager)
        self.assertEqual(account.name, "Amazon Business (tests)")
        with self.assertRaises(AccessError):
            account.read(["shared_secret"])
        admin = self.env.ref("base.user_admin")
        self.assertEqual(
            self.account.with_user(admin).shared_secret, "test-secret-not-real"
        )

    def test_menus_by_role(self):
        Menu = self.env["ir.ui.menu"]
        accounts = self.env.ref("amazon_punchout.amazon_punchout_menu_accounts")
        shop = self.env.ref("amazon_punchout.amazon_punchout_menu_shop")
        for user, sees_accounts in (
            (self.shopper, False),
            (self.purchase_manager, False),
            (self.env.ref("base.user_admin"), True),
        ):
            with self.subTest(user=user.login):
                visible = Menu.with_user(user)._visible_menu_ids()
                self.assertIn(shop.id, visible)
                self.assertEqual(accounts.id in visible, sees_accounts)

    def test_employee_without_group_cannot_shop(self):
        employee = self.env["res.users"].create(
            {"name": "Eve Employee", "login": "ap_employee", "email": "eve@example.com"}
        )
        self.assertFalse(
            employee.has_group("amazon_punchout.group_amazon_punchout_shopper")
        )
        self.assertTrue(
            self.purchase_user.has_group(
                "amazon_punchout.group_amazon_punchout_shopper"
            )
        )
