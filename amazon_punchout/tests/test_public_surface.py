# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The public surface, tried as an attacker would: plain HTTP on loopback."""

import re
import secrets
import socket
import time
from urllib.parse import urlsplit

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import SAMPLES, AmazonPunchoutHttpCommon

UNIT_PRICE_RE = re.compile(r"(<UnitPrice>\s*<Money[^>]*>)[^<]+")


@tagged("post_install", "-at_install")
class TestPublicSurface(AmazonPunchoutHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        cls.other_buyer = new_test_user(
            cls.env,
            login="ap_other_buyer",
            password="ap_other_buyer",
            groups="base.group_user,purchase.group_purchase_user",
            company_id=cls.other_company.id,
            company_ids=[fields.Command.set(cls.other_company.ids)],
        )
        cls.admin = cls.env.ref("base.user_admin")

    # --- helpers ---

    def _raw_request(self, head, body_parts=(), timeout=20):
        """Send a request over a bare socket; return (status, text, seconds)."""
        host, port = urlsplit(self.base_url()).netloc.split(":")
        started = time.monotonic()
        with (
            self.allow_requests(all_requests=True),
            socket.create_connection((host, int(port)), timeout=timeout) as sock,
        ):
            sock.sendall(head.encode())
            for part in body_parts:
                sock.sendall(part)
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"</html>"):
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
        seconds = time.monotonic() - started
        status = int(answer.split(b" ", 2)[1])
        return status, answer.decode("utf-8", "replace"), seconds

    def _documents(self):
        return self.env["amazon.punchout.document"].search(
            [("doc_type", "=", "PunchOutOrderMessage")]
        )

    def _attachments(self):
        return self.env["ir.attachment"].search_count(
            [("res_model", "=", "amazon.punchout.document")]
        )

    def _assert_page(self, response, status, text=None):
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertIn("o_amazon_punchout_box", response.text)
        self.assertNotIn("Traceback", response.text)
        if text:
            self.assertIn(text, response.text)

    # --- 5. nothing is stored for strangers ---

    def test_anonymous_posts_with_random_tokens_store_nothing(self):
        sample = (SAMPLES / "cart_us.xml").read_text(encoding="utf-8")
        documents, attachments = self._documents(), self._attachments()
        for number in range(100):
            cart = sample.format(
                payload_id=f"{number}.{secrets.token_hex(4)}@attacker",
                buyer_cookie=secrets.token_urlsafe(16),
                currency="USD",
                total="1.00",
                uom1="EA",
                uom2="EA",
            )
            response = self._post_cart(
                {
                    "return_url": f"{self.base_url()}/amazon_punchout/return/"
                    f"{secrets.token_urlsafe(32)}",
                    "field": "cXML-urlencoded",
                    "value": cart,
                }
            )
            if not number:
                self._assert_page(response, 404, "unknown return address")
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("Set-Cookie", response.headers)
        self.assertEqual(self._documents(), documents)
        self.assertEqual(self._attachments(), attachments)

    def test_refused_carts_are_bounded_and_for_administrators(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        genuine = cart["cxml"]
        for number in range(8):
            forged = re.sub(
                r'payloadID="[^"]*"',
                f'payloadID="forged-{number}@attacker"',
                genuine.replace(cart["buyer_cookie"], f"forged-{number}"),
            )
            for _replay in range(2):
                response = self._post_cart(
                    cart,
                    data=forged.encode(),
                    headers={"Content-Type": "text/xml"},
                )
                self._assert_page(response, 403, "BuyerCookie")
        kept = self._documents()
        self.assertTrue(kept, "a few refused carts are kept for rescue")
        self.assertLessEqual(len(kept), 3)
        self.assertEqual(kept.company_id, self.account.company_id)
        self.assertEqual(kept.user_id, self.shopper)
        Document = self.env["amazon.punchout.document"]
        self.assertEqual(Document.with_user(self.admin).search([]), kept)
        for user in (self.purchase_user, self.purchase_manager, self.other_buyer):
            with self.subTest(user=user.login):
                self.assertFalse(Document.with_user(user).search([]))
                self.assertFalse(
                    self.env["ir.attachment"]
                    .with_user(user)
                    .search([("id", "in", kept.attachment_id.ids)])
                )
        # The genuine cart still goes through afterwards.
        response = self._post_cart(cart)
        self.assertEqual(response.status_code, 303, response.text[:500])

    # --- 6. size caps that hold ---

    def _oversize_head(self, return_url, length_header, content_type=None):
        path = urlsplit(return_url).path
        host = urlsplit(self.base_url()).netloc
        content_type = content_type or "application/x-www-form-urlencoded"
        return (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Type: {content_type}\r\n"
            f"{length_header}\r\n\r\n"
        )

    def test_oversize_body_with_content_length_refused_unread(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        self.env.flush_all()
        # Announced, nothing sent: the answer cannot wait for the body. 9 MiB of
        # form (under Odoo's 10 MB form limit) and 100 MiB of XML.
        for content_type, length in (
            ("application/x-www-form-urlencoded", 9 * 1024 * 1024),
            ("text/xml", 100 * 1024 * 1024),
        ):
            with self.subTest(content_type=content_type):
                status, text, seconds = self._raw_request(
                    self._oversize_head(
                        cart["return_url"], f"Content-Length: {length}", content_type
                    ),
                    timeout=15,
                )
                self.assertEqual(status, 413, text[:500])
                self.assertIn("too large", text)
                self.assertNotIn("Traceback", text)
                self.assertLess(seconds, 10)
        self.env.invalidate_all()
        self.assertFalse(self._documents())

    def test_oversize_chunked_body_refused_unread(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        self.env.flush_all()
        # A chunked body that never ends: the server must stop at its cap.
        chunk = b"cXML-urlencoded=" + b"A" * (64 * 1024 - 16)
        frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
        status, text, seconds = self._raw_request(
            self._oversize_head(cart["return_url"], "Transfer-Encoding: chunked"),
            [frame] * 136,  # 8.5 MiB, over the 8 MiB cap, and no final chunk
            timeout=15,
        )
        self.assertEqual(status, 413, text[:500])
        self.assertIn("too large", text)
        self.assertNotIn("Traceback", text)
        self.assertLess(seconds, 10)
        self.env.invalidate_all()
        self.assertFalse(self._documents())
        # The genuine cart still goes through afterwards.
        self.assertEqual(self._post_cart(cart).status_code, 303)

    # --- 7. a cart is the shopper's data, not Amazon's ---

    def test_forged_cart_changes_nothing_outside_its_requisition(self):
        known = self.env["product.product"].create(
            {
                "name": "Our pens",
                "purchase_ok": True,
                "seller_ids": [
                    fields.Command.create(
                        {
                            "partner_id": self.vendor.id,
                            "product_code": self.ITEMS[0][0],
                            "price": 10.0,
                        }
                    )
                ],
            }
        )
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        forged = UNIT_PRICE_RE.sub(r"\g<1>0.01", cart["cxml"])
        self.assertEqual(forged.count(">0.01<"), len(self.ITEMS))
        response = self._post_cart(
            cart, data=forged.encode(), headers={"Content-Type": "text/xml"}
        )
        claim = self._claim(response.headers["Location"], self.shopper)
        self.assertEqual(claim.status_code, 303, claim.text[:500])
        order = self._requisitions()
        lines = order.order_line.filtered("amazon_punchout_asin")
        self.assertEqual(set(lines.mapped("price_unit")), {0.01})
        self.assertEqual(known.seller_ids.price, 10.0)
        new_products = lines.product_id - known
        self.assertEqual(len(new_products), 2)
        self.assertEqual(new_products.company_id, self.account.company_id)
        self.assertEqual(new_products.seller_ids.company_id, self.account.company_id)
        Product = self.env["product.product"].with_user(self.other_buyer)
        self.assertFalse(Product.search([("id", "in", new_products.ids)]))
        self.assertFalse(
            self.env["product.supplierinfo"]
            .with_user(self.other_buyer)
            .search([("id", "in", new_products.seller_ids.ids)])
        )

    # --- 10. a stored cart that cannot be read again is a page, not a 500 ---

    def test_claim_of_cart_with_secret_in_comment_is_a_page(self):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid)
        tricky = cart["cxml"].replace(
            "<Header>", "<Header><!-- <SharedSecret>not-closed -->", 1
        )
        self.assertNotEqual(tricky, cart["cxml"])
        response = self._post_cart(
            cart, data=tricky.encode(), headers={"Content-Type": "text/xml"}
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        claim = self._claim(response.headers["Location"], self.shopper)
        self.assertNotEqual(claim.status_code, 500)
        self.assertNotIn("Traceback", claim.text)
        if claim.status_code != 303:  # until the redaction keeps such carts whole
            self._assert_page(claim, 422, "could not be read")
            self.assertFalse(self._requisitions())

    # --- 11. no data changes on GET ---

    def test_cross_site_get_of_start_changes_nothing(self):
        self.authenticate(self.shopper.login, self.shopper.login)
        # A link on another site: top-level GET, the shopper's cookie comes along.
        response = self.url_open(
            "/amazon_punchout/start",
            allow_redirects=False,
            headers={"Sec-Fetch-Site": "cross-site", "Referer": "https://evil.test/"},
        )
        self._assert_page(response, 200, "Continue to Amazon Business")
        self.assertRegex(response.text, r'<form[^>]+method="post"')
        self.assertFalse(self.env["amazon.punchout.session"].search([]))
        self.assertFalse(self.sandbox.sessions())

    def test_start_post_without_valid_csrf_token_is_refused(self):
        self.authenticate(self.shopper.login, self.shopper.login)
        for data in ({}, {"csrf_token": "0" * 40 + "o9999999999"}):
            with self.subTest(data=data):
                response = self.url_open(
                    "/amazon_punchout/start",
                    data=data,
                    method="POST",
                    allow_redirects=False,
                )
                self._assert_page(response, 400, "start again")
        self.assertFalse(self.env["amazon.punchout.session"].search([]))
        self.assertFalse(self.sandbox.sessions())

    def test_shop_button_and_confirmation_page_go_to_amazon(self):
        # The page's form, as the shopper clicks it.
        sid = self._punch_out(self.shopper)
        self.assertTrue(sid)
        # The list's "Shop on Amazon Business" button: the action (a same-site
        # JSON-RPC answer no other site can read) carries a short-lived token, so
        # the new tab goes straight to Amazon.
        action = self.make_jsonrpc_request(
            "/web/dataset/call_kw/purchase.order/action_amazon_punchout_shop",
            {
                "model": "purchase.order",
                "method": "action_amazon_punchout_shop",
                "args": [[]],
                "kwargs": {},
            },
        )
        self.assertEqual(action["type"], "ir.actions.act_url")
        response = self.url_open(action["url"], allow_redirects=False)
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertTrue(response.headers["Location"].startswith(self.sandbox.url))
        self.assertEqual(len(self.sandbox.sessions()), 2)
        self.assertEqual(len(self.env["amazon.punchout.session"].search([])), 2)

    def test_claim_on_get_is_owner_only_and_idempotent(self):
        sid = self._punch_out(self.shopper)
        location = self._post_cart(self._fill_cart(sid)).headers["Location"]
        # Another user (a link planted by a colleague): refused, nothing created.
        self._assert_page(self._claim(location, self.other_shopper), 403)
        self.assertFalse(self._requisitions())
        # A guessed token: not found, readable.
        guessed = f"/amazon_punchout/cart/{secrets.token_urlsafe(32)}"
        self._assert_page(self._claim(guessed, self.shopper), 404)
        # The shopper, twice (reload, back button): one requisition.
        first = self._claim(location, self.shopper)
        second = self._claim(location, self.shopper)
        self.assertEqual(first.status_code, 303)
        self.assertEqual(second.headers["Location"], first.headers["Location"])
        self.assertEqual(len(self._requisitions()), 1)
