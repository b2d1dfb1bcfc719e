# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import requests

from odoo import fields
from odoo.tests import HttpCase, new_test_user

from odoo.addons.base.tests.common import BaseCommon

from ..const import SEND_CRONS

# The Amazon Business sandbox lives beside the addon in the repository; it is started
# in a thread for the tests and never installed into Odoo.
SANDBOX_DIR = Path(__file__).resolve().parents[2] / "sandbox"
SAMPLES = Path(__file__).resolve().parent / "samples"

IDENTITY = "PunchoutGroup4242"
SECRET = "test-secret-not-real"  # a fixture value, never a real secret


def _cxml_dtd():
    """bin/cxml_dtd.py: where the DTDs are, and how a check without them is skipped."""
    bin_dir = str(SANDBOX_DIR.parent / "bin")
    if bin_dir not in sys.path:
        sys.path.insert(0, bin_dir)
    import cxml_dtd

    return cxml_dtd


def run_send_crons(env):
    """Run the job of every sending lane once, as Odoo's cron workers would.

    :return: whether every job ran
    """
    env.flush_all()
    ran = all(env.ref(xmlid).method_direct_trigger() is True for xmlid in SEND_CRONS)
    env.invalidate_all()
    return ran


def start_sandbox(**account):
    if str(SANDBOX_DIR) not in sys.path:
        sys.path.insert(0, str(SANDBOX_DIR))
    from amazon_sandbox import SandboxServer

    accounts = {IDENTITY: {"shared_secret": SECRET, "marketplace": "US", **account}}
    # Bound on 127.0.0.1 but named localhost: another site than Odoo's 127.0.0.1,
    # so the browser treats the cart return as it treats Amazon's.
    return SandboxServer(
        host="127.0.0.1",
        port=0,
        public_host="localhost",
        dtd_dir=_cxml_dtd().find(download=False)[0],
        accounts=accounts,
    ).start()


def setup_amazon_punchout_fixtures(cls, sandbox_url="http://localhost:9"):
    """Vendor, a test-mode account pointing at the sandbox, and the people."""
    cls.vendor = cls.env["res.partner"].create(
        {"name": "Amazon Business (tests)", "is_company": True}
    )
    cls.account = cls.env["amazon.punchout.account"].create(
        {
            "name": "Amazon Business (tests)",
            "partner_id": cls.vendor.id,
            "marketplace": "US",
            "identity": IDENTITY,
            "shared_secret": SECRET,
            "punchout_url_test": f"{sandbox_url}/punchout/test",
            "punchout_url_production": f"{sandbox_url}/punchout",
            "order_url": f"{sandbox_url}/order",
            "state": "test",
        }
    )
    users = {
        "shopper": ("Sam Shopper", "amazon_punchout.group_amazon_punchout_shopper"),
        "other_shopper": (
            "Olga Other",
            "amazon_punchout.group_amazon_punchout_shopper",
        ),
        "purchase_user": ("Bea Buyer", "purchase.group_purchase_user"),
        "purchase_manager": ("Max Manager", "purchase.group_purchase_manager"),
    }
    for attr, (name, group) in users.items():
        login = f"ap_{attr}"
        user = new_test_user(
            cls.env,
            login=login,
            password=login,
            name=name,
            email=f"{login}@example.com",
            groups=f"base.group_user,{group}",
        )
        # The identity sent to Amazon: set by administrators, not by the user.
        user.amazon_punchout_email = f"{login}@example.com"
        setattr(cls, attr, user)


class AmazonPunchoutRequisitionMixin:
    """Requisitions made from the hand-written cart fixtures."""

    def _cart_xml(self, name="cart_us.xml", **values):
        """A hand-written cart fixture with {placeholders} filled in."""
        text = (SAMPLES / name).read_text(encoding="utf-8")
        return text.format(**values).encode()

    def _sample_requisition(self, user=None, uom2="XYZ"):
        """A draft requisition of ``user`` made from the hand-written US cart
        (``uom2`` "XYZ", an unknown unit, gives the requisition a warning)."""
        user = user or self.shopper
        session = (
            self.env["amazon.punchout.session"]
            .sudo()
            .create(
                {
                    "account_id": self.account.id,
                    "user_id": user.id,
                    "deployment_mode": "test",
                    "buyer_cookie": secrets.token_urlsafe(16),
                    "return_token": secrets.token_urlsafe(16),
                    "expires_at": fields.Datetime.now() + timedelta(hours=1),
                }
            )
        )
        data = self._cart_xml(
            payload_id=secrets.token_hex(8) + "@amazon.example",
            buyer_cookie=session.buyer_cookie,
            currency="USD",
            total="50.97",
            uom1="EA",
            uom2=uom2,
        )
        document = self.env["amazon.punchout.session"]._amazon_punchout_receive_cart(
            session.return_token, data
        )
        self.assertEqual(document.state, "input_received", document.error)
        return session.with_user(user)._amazon_punchout_create_requisition()


class AmazonPunchoutCommon(AmazonPunchoutRequisitionMixin, BaseCommon):
    """Fixtures without the sandbox (its URLs point at a closed port)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_amazon_punchout_fixtures(cls)


class AmazonPunchoutSandboxMixin:
    """A live sandbox for the class, reset before each test, and the fixtures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = start_sandbox()
        cls.addClassCleanup(cls.sandbox.stop)
        setup_amazon_punchout_fixtures(cls, cls.sandbox.url)

    def setUp(self):
        super().setUp()
        self.sandbox.reset()

    def assertSandboxDtdValid(self, valid, details=None):
        """What the sandbox received or sent is DTD-valid. ``valid`` is None when
        the sandbox had no DTDs (a clone without ../shared): only this check is then
        skipped, noted for bin/test's summary; under CI that is a failure."""
        if valid is None:
            cxml_dtd = _cxml_dtd()
            if cxml_dtd.required():
                self.fail("CI=true: the sandbox found no cXML DTDs")
            cxml_dtd.note_skipped(cxml_dtd.NO_DTDS, self.id())
            return
        self.assertIs(valid, True, details)


class AmazonPunchoutSandboxCommon(AmazonPunchoutSandboxMixin, BaseCommon):
    """Fixtures with a live sandbox, reached over real HTTP on loopback."""


class AmazonPunchoutHttpCommon(AmazonPunchoutSandboxMixin, HttpCase):
    """Controller tests: Odoo's HTTP server and the sandbox, both on loopback."""

    ITEMS = (("B0SBX1PEN1", 2), ("B0SBX2PAP2", 1), ("B0SBX3STP3", 5))

    # --- helpers ---

    def _punch_out(self, user):
        """Log in as ``user``, click "Shop", then "Continue to Amazon Business" (a
        form with Odoo's CSRF token): Odoo asks the sandbox for a start page.

        :return: the sandbox session id
        """
        response = self._continue_to_amazon(user)
        self.assertEqual(response.status_code, 303, response.text[:500])
        start_page = response.headers["Location"]
        self.assertEqual(urlsplit(start_page).netloc, urlsplit(self.sandbox.url).netloc)
        # The shopper's browser opens the start page (no Odoo cookie goes there).
        shop = requests.get(start_page, timeout=10)
        self.assertEqual(shop.status_code, 200)
        return self.sandbox.sessions()[-1]["id"]

    def _continue_to_amazon(self, user):
        """As ``user``: open the start page, click "Continue to Amazon Business".

        :return: the answer to the form's POST (303 to Amazon, or a page)
        """
        self.authenticate(user.login, user.login)
        page = self.url_open("/amazon_punchout/start", allow_redirects=False)
        self.assertEqual(page.status_code, 200, page.text[:500])
        action = re.search(r'<form[^>]* action="([^"]+)"', page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        self.assertTrue(action and token, page.text[:1000])
        return self.url_open(
            action[1], data={"csrf_token": token[1]}, allow_redirects=False
        )

    def _fill_cart(self, sid, items=None, **options):
        items = items or self.ITEMS
        return self.sandbox.fill_cart(
            sid, [{"asin": asin, "quantity": qty} for asin, qty in items], options
        )

    def _post_cart(self, cart, **kwargs):
        """Post the cart as the browser does from Amazon's page: with no cookie at
        all (not even the test runner's request key, hence ``all_requests``)."""
        kwargs.setdefault("data", {cart["field"]: cart["value"]})
        self.env.flush_all()
        self.env.invalidate_all()
        with self.allow_requests(all_requests=True):
            response = requests.post(
                cart["return_url"], allow_redirects=False, timeout=20, **kwargs
            )
        self.env.invalidate_all()
        return response

    def _claim(self, location, user):
        self.authenticate(user.login, user.login)
        response = self.url_open(location, allow_redirects=False)
        self.env.invalidate_all()
        return response

    def _requisitions(self):
        return self.env["purchase.order"].search(
            [("amazon_punchout_account_id", "=", self.account.id)]
        )

    def _sent_order(self, items=None):
        """A cart claimed by the shopper, approved, and its OrderRequest sent."""
        sid = self._punch_out(self.shopper)
        response = self._post_cart(self._fill_cart(sid, items))
        claim = self._claim(response.headers["Location"], self.shopper)
        self.assertEqual(claim.status_code, 303)
        order = self._requisitions().sorted("id")[-1]
        order.with_user(self.purchase_user).button_confirm()
        self.assertTrue(run_send_crons(self.env))
        request = self._order_request(order)
        self.assertEqual(request.state, "output_sent", request.error)
        return order

    def _order_request(self, order):
        return order.amazon_punchout_document_ids.filtered(
            lambda d: d.doc_type == "OrderRequest"
        )

    def _advance(self, order, steps=None):
        """The sandbox plays the order's next steps: it posts to Odoo's endpoint."""
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            sent = self.sandbox.advance(order.name, steps=steps)
        self.env.invalidate_all()
        return sent
