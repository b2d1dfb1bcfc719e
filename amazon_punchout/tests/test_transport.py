# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The HTTP seam against a tiny local server: what Amazon's answers can do to us."""

import contextlib
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.amazon_punchout import cxml

from .common import SECRET, AmazonPunchoutCommon

SETUP_ANSWER = cxml.build_response(200, "OK")


class _Handler(BaseHTTPRequestHandler):
    """Answers by path: /redirect → 302 to /trap, /big → 2 MiB, else a cXML 200."""

    def do_POST(self):
        self.server.hits.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/trap")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<" + b"x" * (2 * 1024 * 1024) if self.path == "/big" else SETUP_ANSWER
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client stops reading /big half-way: a broken pipe is expected.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestTransport(AmazonPunchoutCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        cls.server.hits = []
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.url = f"http://127.0.0.1:{cls.server.server_address[1]}"

    def setUp(self):
        super().setUp()
        self.server.hits.clear()

    def _payload(self):
        """A real PunchOutSetupRequest, shared secret included."""
        setup = self.account._amazon_punchout_prepare_setup_request(
            self.shopper, buyer_cookie="cookie", return_url="https://odoo.example/r"
        )
        return cxml.build_punchout_setup_request(setup)

    def test_redirect_is_not_followed(self):
        answer = self.account._amazon_punchout_send_cxml(
            self._payload(), f"{self.url}/redirect"
        )
        self.assertEqual(self.server.hits, ["/redirect"], "never posted to /trap")
        self.assertEqual(answer.code, 302)
        self.assertFalse(answer.retryable)
        self.assertIn("redirection", answer.text)
        self.assertNotIn("127.0.0.1", answer.text)

    def test_oversized_answer_is_not_read(self):
        answer = self.account._amazon_punchout_send_cxml(
            self._payload(), f"{self.url}/big"
        )
        self.assertEqual(answer.code, 0)
        self.assertTrue(answer.retryable, "Amazon may hold the order: Retry only")
        self.assertIn("larger than", answer.text)
        self.assertIsNone(answer.document)

    def test_readable_answer(self):
        answer = self.account._amazon_punchout_send_cxml(
            self._payload(), f"{self.url}/ok"
        )
        self.assertEqual(answer.code, 200)
        self.assertIsNotNone(answer.document)

    def test_unreachable_message_hides_the_url(self):
        answer = self.account._amazon_punchout_send_cxml(
            self._payload(), "http://127.0.0.1:9/secret-path"
        )
        self.assertEqual(answer.code, 0)
        self.assertTrue(answer.retryable)
        self.assertNotIn("127.0.0.1", answer.text)
        self.assertNotIn("secret-path", answer.text)
        # Shoppers see the same message when starting a session.
        self.account.punchout_url_test = "http://127.0.0.1:9/secret-path"
        with self.assertRaises(UserError) as caught:
            self.account._amazon_punchout_request_start_page(
                self.shopper, buyer_cookie="c", return_url="https://odoo.example/r"
            )
        self.assertNotIn("secret-path", str(caught.exception))

    def test_documents_not_logged_in_full_at_info(self):
        payload = self._payload()
        logger = "odoo.addons.amazon_punchout.models.amazon_punchout_account"
        with self.assertLogs(logger, "DEBUG") as logs:
            self.account._amazon_punchout_send_cxml(payload, f"{self.url}/ok")
        info = [r.getMessage() for r in logs.records if r.levelno >= logging.INFO]
        debug = [r.getMessage() for r in logs.records if r.levelno < logging.INFO]
        payload_id = cxml.parse(payload).payload_id
        self.assertTrue(
            any(payload_id in m and str(len(payload)) in m for m in info), info
        )
        self.assertFalse([m for m in info if "<cXML" in m or "<?xml" in m], info)
        self.assertTrue(any("<cXML" in m for m in debug), "DEBUG holds the document")
        self.assertFalse([m for m in logs.output if SECRET in m])

    def test_production_requires_https_for_every_url(self):
        https = {
            "punchout_url_test": "https://amazon.example/punchout/test",
            "punchout_url_production": "https://amazon.example/punchout",
            "order_url": "https://amazon.example/order",
        }
        for field in https:
            with (
                self.subTest(field=field),
                self.assertRaises(ValidationError),
                self.env.cr.savepoint(),
            ):
                self.account.write(
                    {
                        **https,
                        field: "http://amazon.example/x",
                        "state": "production",
                    }
                )
                self.env.flush_all()
        # In test mode, a plain-HTTP sandbox stays allowed.
        self.account.write({"order_url": "http://127.0.0.1:9/order"})
        self.account.write({**https, "state": "production"})
        self.assertEqual(self.account.state, "production")

    def test_two_accounts_read_together(self):
        other = self.account.copy({"name": "Second account"})
        accounts = self.account | other
        accounts.invalidate_recordset()
        values = accounts.read(["inbound_url", "return_url_warning"])
        self.assertEqual(len(values), 2)
        self.assertNotEqual(values[0]["inbound_url"], values[1]["inbound_url"])

    def test_accounts_for_shopper(self):
        Account = self.env["amazon.punchout.account"]
        employee = self.env["res.users"].create(
            {"name": "Eve Employee", "login": "ap_eve", "email": "eve@example.com"}
        )
        with self.assertRaisesRegex(AccessError, "not allowed"):
            Account.with_user(employee)._amazon_punchout_accounts_for_shopper(employee)
        shopper_env = Account.with_user(self.shopper)
        self.assertEqual(
            shopper_env._amazon_punchout_accounts_for_shopper(self.shopper),
            self.account,
        )
        self.account.state = "draft"
        with self.assertRaisesRegex(UserError, "No Amazon Business account"):
            shopper_env._amazon_punchout_accounts_for_shopper(self.shopper)
