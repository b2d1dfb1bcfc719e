# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The simulator's state, independent of HTTP: one object per concern.

``accounts`` (settings, cXML auth), ``faults`` (global and per request),
``shop`` (setup, sessions, carts), ``orders`` (the order endpoint's rules) and
``fulfilment`` (plans and callbacks) share one lock.
"""

import threading

from . import cxml_docs
from .accounts import DEFAULT_IDENTITY, Accounts
from .cxml_docs import CXMLError
from .faults import FaultBook
from .fulfilment import Fulfilment
from .orders import OrderDesk
from .shop import Shop


class Sandbox:
    def __init__(self, dtd_dir=None, accounts=None):
        self.lock = threading.RLock()
        self.stop_event = threading.Event()
        self.validator = cxml_docs.Validator(dtd_dir)
        if accounts is None:
            accounts = {DEFAULT_IDENTITY: {}}
        self.accounts = Accounts(self.lock, accounts)
        self.faults = FaultBook(self.lock)
        self.shop = Shop(self.lock, self.validator)
        self.orders = OrderDesk(self.lock, self.validator, self.accounts, self.shop)
        self.fulfilment = Fulfilment(
            self.lock, self.stop_event, self.validator, self.accounts
        )

    @property
    def url(self):
        return self.shop.url

    @url.setter
    def url(self, value):
        self.shop.url = value

    def reset(self):
        """Forget sessions, carts, orders, callbacks and faults; restore accounts."""
        with self.lock:
            self.accounts.reset()
            self.faults.reset()
            self.shop.reset()
            self.orders.reset()
            self.fulfilment.reset()

    def set_faults(self, spec, identity=None):
        """Replace the active faults of an account (or the global ones).

        :raise KeyError: unknown identity; ``ValueError``: bad spec.
        """
        if identity is None:
            return self.faults.set_global(spec)
        with self.lock:
            account = self.accounts.by_identity[identity]
            account.set_faults(spec)
            return [f.public() for f in account.faults]

    def snapshot(self, part=None):
        with self.lock:
            data = {
                "url": self.url,
                "dtd_dir": str(self.validator.dtd_dir),
                "dtd_available": self.validator.available,
                "accounts": self.accounts.public(),
                "faults": self.faults.public(),
                **self.shop.public(),
                "orders": self.orders.public(),
                "callbacks": self.fulfilment.public(),
            }
        return data[part] if part else data

    # === THE TWO CXML ENDPOINTS === #

    def setup(self, tree, test_path):
        """Handle a PunchOutSetupRequest; return (session, account).

        :raise CXMLError: the error status to answer with.
        """
        root = tree.getroot()
        if root.find("Request/PunchOutSetupRequest") is None:
            raise CXMLError(400, "Bad Request", "Request/PunchOutSetupRequest expected")
        account = self.accounts.authenticate(root)
        return self.shop.setup(tree, test_path, account), account

    def receive_order(self, tree, raw, basic_auth, callback_faults=None):
        """Handle an OrderRequest; return (code, text, detail) to answer now."""
        order, answer = self.orders.receive(tree, raw, basic_auth)
        if order is not None and order.accepted:
            self.fulfilment.start(order, callback_faults or {})
        return answer["code"], answer["text"], answer["detail"]

    # === SHOP SHORTCUTS (tests call them on srv.sandbox) === #

    def update_cart(self, sid, asin, quantity, add=False):
        self.shop.update_cart(sid, asin, quantity, add)

    def submit_cart(self, sid, overrides=None):
        return self.shop.submit_cart(sid, self._account_of(sid), overrides)

    def fill_cart(self, sid, items, options=None):
        return self.shop.fill_cart(sid, items, self._account_of(sid), options)

    def _account_of(self, sid):
        session = self.shop.session(sid)
        if session is None:
            raise KeyError(sid)
        return self.accounts.get(session.identity)
