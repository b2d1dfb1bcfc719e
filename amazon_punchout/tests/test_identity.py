# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The identity sent to Amazon is set by administrators, not by the shopper.

Issue 10, point 3: a shopper who sets the purchase manager's address in their own
preferences must still shop, and order, as themselves.
"""

from lxml import etree

from odoo.tests import new_test_user, tagged

from .common import run_send_crons
from .http_common import AmazonPunchoutJsonRpcCommon


@tagged("post_install", "-at_install")
class TestIdentity(AmazonPunchoutJsonRpcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.account.company_id
        cls.company.partner_id.write(
            {
                "street": "1 Main Street",
                "city": "Seattle",
                "zip": "98109",
                "country_id": cls.env.ref("base.us").id,
            }
        )
        cls.company.po_double_validation = "one_step"
        cls.admin = new_test_user(
            cls.env,
            login="ap_admin",
            password="ap_admin",
            name="Ada Admin",
            groups="base.group_user,base.group_system,purchase.group_purchase_manager",
        )

    def test_own_email_change_does_not_change_the_identity(self):
        identity = self.shopper.amazon_punchout_email
        self.assertEqual(identity, "ap_shopper@example.com")
        forged = self.purchase_manager.email
        # Every user may change their own e-mail (Odoo's preferences)...
        self._rpc_ok(
            self.shopper, "res.users", "write", self.shopper.ids, {"email": forged}
        )
        self.assertEqual(self.shopper.email, forged)
        # ...but Amazon still gets the identity the administrator set.
        self._punch_out(self.shopper)
        session = self.sandbox.sessions()[-1]
        self.assertEqual(session["email"], identity)

        cart = self._fill_cart(session["id"])
        claim = self._claim(self._post_cart(cart).headers["Location"], self.shopper)
        self.assertEqual(claim.status_code, 303, claim.text[:500])
        order = self._requisitions()
        order.with_user(self.purchase_user).button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertTrue(run_send_crons(self.env))
        sent = self.sandbox.orders()
        documents = order.amazon_punchout_document_ids
        self.assertEqual(len(sent), 1, documents.mapped(lambda d: (d.state, d.error)))
        root = etree.fromstring(sent[0]["raw_xml"].encode())
        self.assertEqual(
            root.findtext(
                "Request/OrderRequest/OrderRequestHeader/Extrinsic[@name='UserEmail']"
            ),
            identity,
        )
        self.assertNotIn(forged, sent[0]["raw_xml"])

    def test_identity_is_for_administrators_to_set(self):
        identity = self.shopper.amazon_punchout_email
        for vals in (
            {"amazon_punchout_email": self.purchase_manager.email},
            {"amazon_punchout_email": "me@example.com", "email": "me@example.com"},
        ):
            with self.subTest(vals=vals):
                self._rpc_refused(
                    self.shopper, "res.users", "write", self.shopper.ids, vals
                )
                self.assertEqual(self.shopper.amazon_punchout_email, identity)
        self._rpc_refused(
            self.purchase_manager,
            "res.users",
            "write",
            self.shopper.ids,
            {"amazon_punchout_email": "boss@example.com"},
        )
        # The user sees it, read-only, in their preferences.
        fields = self._rpc_ok(
            self.shopper,
            "res.users",
            "read",
            self.shopper.ids,
            ["amazon_punchout_email"],
        )
        self.assertEqual(fields[0]["amazon_punchout_email"], identity)
        # Administrators set it.
        self._rpc_ok(
            self.admin,
            "res.users",
            "write",
            self.shopper.ids,
            {"amazon_punchout_email": "sam@corp.example"},
        )
        self.assertEqual(self.shopper.amazon_punchout_email, "sam@corp.example")

    def test_login_email_is_the_default_identity(self):
        user = new_test_user(
            self.env,
            login="lee@corp.example",
            password="ap_lee",
            name="Lee Login",
            email="someone.else@example.com",
            groups="base.group_user,amazon_punchout.group_amazon_punchout_shopper",
        )
        self.assertEqual(user.amazon_punchout_email, "lee@corp.example")
        # No e-mail login, no identity set: no session, a readable page.
        nobody = new_test_user(
            self.env,
            login="ap_nobody",
            password="ap_nobody",
            name="Noel Nobody",
            email="noel@example.com",
            groups="base.group_user,amazon_punchout.group_amazon_punchout_shopper",
        )
        self.assertFalse(nobody.amazon_punchout_email)
        response = self._continue_to_amazon(nobody)
        self.assertIn("Amazon Business e-mail", response.text)
        self.assertNotIn("Traceback", response.text)
        self.assertFalse(self.sandbox.sessions())
        self.assertFalse(
            self.env["amazon.punchout.session"].search([("user_id", "=", nobody.id)])
        )
