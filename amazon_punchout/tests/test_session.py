# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.amazon_punchout import cxml

from .common import AmazonPunchoutCommon, AmazonPunchoutSandboxCommon


@tagged("post_install", "-at_install")
class TestPunchoutStart(AmazonPunchoutSandboxCommon):
    """Starting a session against the sandbox over real HTTP."""

    def _start(self, user=None):
        return self.env["amazon.punchout.session"]._amazon_punchout_start(
            self.account, user or self.shopper
        )

    def _sessions(self):
        return self.env["amazon.punchout.session"].search([])

    def test_start(self):
        session, start_page = self._start()
        self.assertTrue(start_page.startswith(self.sandbox.url))
        received = self.sandbox.sessions()[-1]
        self.assertEqual(received["email"], self.shopper.email)
        self.assertEqual(received["name"], self.shopper.name)
        self.assertEqual(received["deployment_mode"], "test")
        self.assertEqual(received["path"], "test")
        self.assertSandboxDtdValid(
            received["validation"]["valid"], received["validation"]
        )
        self.assertEqual(session.user_id, self.shopper)
        self.assertEqual(session.state, "started")

    def test_wrong_shared_secret(self):
        self.account.shared_secret = "wrong"
        with self.assertRaisesRegex(UserError, "did not recognise the credentials"):
            self._start()
        self.assertFalse(self._sessions())

    def test_wrong_amazon_identity(self):
        self.account.to_identity = "NotAmazon"
        with self.assertRaisesRegex(UserError, "401 Unauthorized To/Credential"):
            self._start()
        self.assertFalse(self._sessions())

    def test_amazon_internal_error(self):
        self.sandbox.set_faults("cxml500")
        with self.assertRaisesRegex(UserError, "could not handle the request .500"):
            self._start()
        self.assertFalse(self._sessions())

    def test_malformed_answer(self):
        self.sandbox.set_faults("malformed")
        with self.assertRaisesRegex(UserError, "no readable cXML"):
            self._start()
        self.assertFalse(self._sessions())

    def test_amazon_unreachable(self):
        self.account.punchout_url_test = "http://127.0.0.1:9/punchout/test"
        with self.assertRaisesRegex(UserError, "Could not reach Amazon Business"):
            self._start()
        self.assertFalse(self._sessions())

    def test_user_without_email(self):
        # The identity is the administrator-set Amazon Business e-mail.
        self.shopper.write({"email": False, "amazon_punchout_email": False})
        with self.assertRaisesRegex(UserError, "e-mail"):
            self._start()
        self.assertFalse(self.sandbox.sessions(), "nothing was sent")

    def test_production_mode_uses_production_url(self):
        self.account.punchout_url_production = self.sandbox.url.replace(
            "http://", "https://"
        )
        with self.assertRaisesRegex(Exception, "HTTPS|https"):
            self.account.punchout_url_production = "http://example.com/punchout"
            self.account.with_user(
                self.env.ref("base.user_admin")
            ).action_set_production()
            self.env.flush_all()

    def test_production_warns_about_a_plain_http_return_address(self):
        self.assertFalse(self.account.return_url_warning)
        self.account.write(
            {
                "punchout_url_test": "https://localhost:9/punchout/test",
                "punchout_url_production": "https://localhost:9/punchout",
                "order_url": "https://localhost:9/order",
                "state": "production",
            }
        )
        self.assertIn("not HTTPS", self.account.return_url_warning)

    def test_switch_to_production_is_for_administrators(self):
        with self.assertRaises(UserError):
            self.account.with_user(self.purchase_manager).action_set_production()
        self.assertEqual(self.account.state, "test")

    def test_test_connection(self):
        # Sent as the administrator who clicks: their Amazon Business identity.
        self.env.user.amazon_punchout_email = "admin@example.com"
        result = self.account.action_test_connection()
        self.assertEqual(result["params"]["type"], "success")
        self.account.shared_secret = "wrong"
        result = self.account.action_test_connection()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("credentials", result["params"]["message"])
        self.assertFalse(self._sessions(), "a connection test leaves nothing behind")


@tagged("post_install", "-at_install")
class TestPunchoutStartAnswers(AmazonPunchoutCommon):
    """Amazon answers the sandbox cannot be made to give: the HTTP seam is mocked."""

    def _answer(self, xml):
        return patch.object(
            type(self.env["amazon.punchout.account"]),
            "_amazon_punchout_send_cxml",
            return_value=self.account._amazon_punchout_cxml_answer(cxml.parse(xml)),
        )

    def test_bad_request(self):
        answer = cxml.build_response(400, "Bad Request: UserEmail is not a known user")
        with self._answer(answer), self.assertRaisesRegex(UserError, "refused .*400"):
            self.env["amazon.punchout.session"]._amazon_punchout_start(
                self.account, self.shopper
            )
        self.assertFalse(self.env["amazon.punchout.session"].search([]))

    def test_status_without_text_and_no_start_page(self):
        answer = (
            b'<cXML payloadID="1@amazon.com" timestamp="2026-01-01T00:00:00Z">'
            b'<Response><Status code="200"/></Response></cXML>'
        )
        with self._answer(answer), self.assertRaisesRegex(UserError, "no usable start"):
            self.env["amazon.punchout.session"]._amazon_punchout_start(
                self.account, self.shopper
            )
