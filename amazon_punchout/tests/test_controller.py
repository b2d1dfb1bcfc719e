# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import threading
from datetime import timedelta
from decimal import Decimal

import requests

from odoo import fields
from odoo.tests import tagged

from odoo.addons.amazon_punchout import cxml

from .common import AmazonPunchoutHttpCommon


@tagged("post_install", "-at_install")
class TestCartReturn(AmazonPunchoutHttpCommon):
    def _assert_requisition(self, order, cart, user=None):
        user = user or self.shopper
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.vendor)
        self.assertEqual(order.user_id, user)
        self.assertEqual(order.company_id, self.account.company_id)
        self.assertEqual(order.currency_id.name, "USD")
        lines = order.order_line.filtered("amazon_punchout_asin").sorted("sequence")
        self.assertEqual(
            [
                (
                    line.amazon_punchout_asin,
                    line.amazon_punchout_aux_id,
                    Decimal(str(line.price_unit)),
                    Decimal(str(line.product_qty)),
                )
                for line in lines
            ],
            [
                (
                    line["asin"],
                    line["aux_id"],
                    Decimal(line["price"]),
                    Decimal(str(line["quantity"])),
                )
                for line in cart["lines"]
            ],
        )
        self.assertEqual(lines.mapped("amazon_punchout_line_number"), [1, 2, 3])

    def test_start_sends_the_shopper_to_amazon(self):
        sid = self._punch_out(self.shopper)
        session = self.sandbox.sessions()[-1]
        self.assertEqual(session["id"], sid)
        self.assertEqual(session["email"], self.shopper.email)
        self.assertSandboxDtdValid(
            session["validation"]["valid"], session["validation"]
        )
        self.assertEqual(session["deployment_mode"], "test")
        self.assertTrue(session["return_url"].startswith(self.base_url()))
        odoo_session = self.env["amazon.punchout.session"].search(
            [("user_id", "=", self.shopper.id)]
        )
        self.assertEqual(odoo_session.state, "started")
        self.assertEqual(odoo_session.sudo().buyer_cookie, session["buyer_cookie"])

    def test_return_without_session_cookie_then_claim(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        response = self._post_cart(cart)
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertNotIn("Set-Cookie", response.headers)
        location = response.headers["Location"]
        self.assertIn("/amazon_punchout/cart/", location)
        self.assertFalse(self._requisitions(), "created only by the shopper's claim")

        claim = self._claim(location, self.shopper)
        self.assertEqual(claim.status_code, 303)
        order = self._requisitions()
        self.assertEqual(len(order), 1)
        self.assertTrue(claim.headers["Location"].endswith(f"/{order.id}"))
        self._assert_requisition(order, self.sandbox.carts()[-1])
        self.assertEqual(order.amazon_punchout_session_id.state, "done")
        document = order.amazon_punchout_document_ids
        self.assertEqual(document.state, "input_processed")
        self.assertIn(b"<PunchOutOrderMessage", document._amazon_punchout_raw())
        # Amazon's estimates: shipping as a line, tax for information.
        shipping = order.order_line.filtered("amazon_punchout_is_estimate")
        self.assertEqual(len(shipping), 1)
        self.assertGreater(order.amazon_punchout_estimated_tax, 0)
        hold = order.amazon_punchout_price_hold_until - fields.Datetime.now()
        self.assertAlmostEqual(
            hold.total_seconds(), timedelta(days=7).total_seconds(), delta=120
        )

    def test_claim_after_login(self):
        """An expired Odoo session: the cart waits, the login claims it."""
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        self.logout()
        location = self._post_cart(cart).headers["Location"]
        response = self.url_open(location, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        self.assertFalse(self._requisitions())
        claim = self._claim(location, self.shopper)
        self.assertEqual(claim.status_code, 303)
        self.assertEqual(len(self._requisitions()), 1)

    def test_replayed_cart_creates_nothing_new(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        first = self._post_cart(cart)
        self._claim(first.headers["Location"], self.shopper)
        second = self._post_cart(cart)
        self.assertEqual(second.status_code, 303)
        self.assertEqual(second.headers["Location"], first.headers["Location"])
        self._claim(second.headers["Location"], self.shopper)
        self.assertEqual(len(self._requisitions()), 1)
        documents = self.env["amazon.punchout.document"].search(
            [("doc_type", "=", "PunchOutOrderMessage")]
        )
        self.assertEqual(len(documents), 1)

    def test_concurrent_posts_create_one_requisition(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        responses = []

        def post():  # the raw browser post; the main thread holds allow_requests
            responses.append(
                requests.post(
                    cart["return_url"],
                    data={cart["field"]: cart["value"]},
                    allow_redirects=False,
                    timeout=20,
                )
            )

        threads = [threading.Thread(target=post) for _i in range(2)]
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
        self.env.invalidate_all()
        self.assertEqual([r.status_code for r in responses], [303, 303])
        self.assertEqual(len({r.headers["Location"] for r in responses}), 1)
        for response in responses:
            self._claim(response.headers["Location"], self.shopper)
        self.assertEqual(len(self._requisitions()), 1)

    def test_every_encoding_and_casing(self):
        variants = [
            {"encoding": "urlencoded", "field": "cxml-urlencoded"},
            {"encoding": "urlencoded", "field": "cXML-urlencoded"},
            {"encoding": "base64", "field": "cXML-base64"},
            {"encoding": "base64", "field": "CXML-BASE64"},
            {"encoding": "base64", "field": "cxml-base64", "doctype": False},
            {"encoding": "urlencoded", "field": "CXML-URLENCODED", "omit": True},
        ]
        for options in variants:
            with self.subTest(**options):
                sid = self._punch_out(self.shopper)
                cart = self._fill_cart(sid, **options)
                response = self._post_cart(cart)
                self.assertEqual(response.status_code, 303, response.text[:300])
                claim = self._claim(response.headers["Location"], self.shopper)
                self.assertEqual(claim.status_code, 303)
                order = self.env["purchase.order"].browse(
                    int(claim.headers["Location"].rsplit("/", 1)[1])
                )
                self._assert_requisition(order, self.sandbox.carts()[-1])
                if options.get("omit"):
                    self.assertIn("Units", order.amazon_punchout_warnings)

    def test_raw_xml_body(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        response = self._post_cart(
            cart,
            data=cart["cxml"].encode(),
            headers={"Content-Type": "text/xml; charset=UTF-8"},
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        self._claim(response.headers["Location"], self.shopper)
        self.assertEqual(len(self._requisitions()), 1)

    def test_unknown_return_token_stores_nothing(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        cart["return_url"] = cart["return_url"].rsplit("/", 1)[0] + "/not-a-token"
        for _attempt in range(2):  # the shopper reloads the page: same answer
            response = self._post_cart(cart)
            self.assertEqual(response.status_code, 404)
            self.assertIn("unknown return address", response.text)
            self.assertNotIn("Traceback", response.text)
        self.assertFalse(self.env["amazon.punchout.document"].search([]))

    def test_expired_session_keeps_the_cart(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        session = self.env["amazon.punchout.session"].search([])
        session.sudo().expires_at = fields.Datetime.now() - timedelta(minutes=1)
        response = self._post_cart(cart)
        self.assertEqual(response.status_code, 403)
        self.assertIn("expired", response.text)
        self.assertEqual(session.state, "expired")
        kept = self.env["amazon.punchout.document"].search(
            [("state", "=", "input_error")]
        )
        self.assertEqual(kept.user_id, self.shopper)
        self.assertFalse(self._requisitions())

    def test_foreign_buyer_cookie_is_refused(self):
        sid_shopper = self._punch_out(self.shopper)
        sid_other = self._punch_out(self.other_shopper)
        other_cart = self._fill_cart(sid_other)
        shopper_cart = self._fill_cart(sid_shopper)
        # Olga's cart posted to Sam's return URL: the BuyerCookie gives it away.
        forged = dict(other_cart, return_url=shopper_cart["return_url"])
        response = self._post_cart(forged)
        self.assertEqual(response.status_code, 403)
        self.assertIn("BuyerCookie", response.text)
        self.assertFalse(self._requisitions())

    def test_another_user_cannot_claim(self):
        sid = self._punch_out(self.shopper)
        location = self._post_cart(self._fill_cart(sid)).headers["Location"]
        response = self._claim(location, self.other_shopper)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self._requisitions())

    def test_oversize_and_malformed_carts(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        self.account.cart_max_size = 1000
        response = self._post_cart(cart)
        self.assertEqual(response.status_code, 400)
        self.assertIn("could not be read", response.text)
        self.account.cart_max_size = 4 * 1024 * 1024
        bad_inputs = [
            {"cXML-base64": "%%% not base64 %%%"},
            {"cxml-urlencoded": "<cXML><unclosed"},
            {"something-else": "x"},
            {"cXML-base64": base64.b64encode(b"<cxml/>").decode()},
        ]
        for data in bad_inputs:
            with self.subTest(data=list(data)):
                response = self._post_cart(cart, data=data)
                self.assertEqual(response.status_code, 400)
                self.assertNotIn("Traceback", response.text)
        self.assertFalse(self.env["amazon.punchout.document"].search([]))
        # The real cart still goes through afterwards.
        response = self._post_cart(cart)
        self.assertEqual(response.status_code, 303)

    def test_cart_in_another_currency_is_refused(self):
        self.sandbox.configure_account("PunchoutGroup4242", marketplace="DE")
        sid = self._punch_out(self.shopper)
        location = self._post_cart(self._fill_cart(sid)).headers["Location"]
        response = self._claim(location, self.shopper)
        self.assertEqual(response.status_code, 422)
        self.assertIn("EUR", response.text)
        self.assertFalse(self._requisitions())
        document = self.env["amazon.punchout.document"].search([])
        self.assertEqual(document.state, "input_error")
        self.assertIn("USD", document.error)

    def test_stored_cart_is_redacted(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        self._post_cart(cart)
        document = self.env["amazon.punchout.document"].search([])
        raw = document._amazon_punchout_raw()
        self.assertEqual(cxml.parse_cart(raw).body.buyer_cookie, cart["buyer_cookie"])
        self.assertNotIn(b"test-secret-not-real", raw)
