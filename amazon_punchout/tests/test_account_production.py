# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Production is one-way, as at Amazon (issue 10, point 12)."""

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .http_common import AmazonPunchoutJsonRpcCommon


@tagged("post_install", "-at_install")
class TestProductionIsOneWay(AmazonPunchoutJsonRpcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="ap_admin",
            password="ap_admin",
            name="Ada Admin",
            groups="base.group_user,base.group_system,purchase.group_purchase_manager",
        )
        # Production needs HTTPS everywhere; nothing is sent in these tests.
        cls.account.write(
            {
                "punchout_url_test": "https://localhost:9/punchout/test",
                "punchout_url_production": "https://localhost:9/punchout",
                "order_url": "https://localhost:9/order",
            }
        )

    def test_actions(self):
        account = self.account.with_user(self.admin)
        self.assertFalse(account.production_since)
        self.assertEqual(account._amazon_punchout_deployment_mode(), "test")
        account.action_set_production()
        since = account.production_since
        self.assertTrue(since)
        with self.assertRaisesRegex(UserError, "never returns to test"):
            account.action_set_test()
        self.assertEqual(account.state, "production")
        # Disconnect: nothing is sent, the account stays a production account.
        account.action_set_draft()
        self.assertEqual(account.state, "draft")
        self.assertEqual(account.production_since, since)
        self.assertEqual(account._amazon_punchout_deployment_mode(), "production")
        with self.assertRaisesRegex(UserError, "never returns to test"):
            account.action_set_test()
        self.assertEqual(account.state, "draft")
        # Reconnect: production again, since the first switch.
        account.action_set_production()
        self.assertEqual(account.state, "production")
        self.assertEqual(account.production_since, since)

    def test_admin_over_json_rpc(self):
        ids = self.account.ids
        Account = "amazon.punchout.account"
        self._rpc_ok(self.admin, Account, "write", ids, {"state": "production"})
        since = self.account.production_since
        self.assertTrue(since, "written production counts as production")
        for vals in (
            {"state": "test"},
            {"production_since": False},
            {"production_since": False, "state": "test"},
        ):
            with self.subTest(vals=vals):
                self._rpc_refused(self.admin, Account, "write", ids, vals)
                self.assertEqual(self.account.state, "production")
                self.assertEqual(self.account.production_since, since)
        self._rpc_ok(self.admin, Account, "action_set_draft", ids)
        self._rpc_refused(self.admin, Account, "write", ids, {"state": "test"})
        self._rpc_refused(self.admin, Account, "action_set_test", ids)
        self.assertEqual(self.account.state, "draft")
        self.assertEqual(self.account.production_since, since)
        # A copy is a new account, for a new Amazon account: it starts from scratch.
        copy_id = self._rpc_ok(self.admin, Account, "copy", ids)[0]
        copy = self.env[Account].browse(copy_id)
        self.assertEqual((copy.state, copy.production_since), ("draft", False))

    def test_test_account_may_still_go_back_and_forth(self):
        account = self.account.with_user(self.admin)
        account.action_set_draft()
        account.action_set_test()
        self.assertEqual(account.state, "test")
        self.assertFalse(account.production_since)
