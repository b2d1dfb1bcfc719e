# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Accounts (Amazon purchasing-system groups), their settings, and cXML auth."""

import copy
import hmac
from dataclasses import dataclass, field

from . import catalog
from .cxml_docs import CXMLError, text
from .faults import parse_faults

DEFAULT_IDENTITY = "PunchoutGroup1000"
DEFAULT_SECRET = "sandbox-shared-secret"
SECRET_KEYS = {"shared_secret", "inbound_password", "order_auth_password"}

DEFAULT_PLAN = {
    # auto | manual (tests advance via POST /_sandbox/orders/<id>/advance)
    "mode": "auto",
    "delay": 0.2,  # seconds before each callback in auto mode
    "split": False,  # spread accepted lines over two Amazon orders
    "reject_lines": [],  # PO line numbers, or "last" / "all"
    "backorder_lines": [],  # PO line numbers, or "last" / "all"
    "confirm_type": None,  # None: "detail" (one Amazon order) / "accept" (split)
    "carrier": "",  # CarrierIdentifier text; Amazon's own example leaves it empty
    "reject_reason": None,
    # invoices: unit prices changed by this percentage (a price hold that lapsed)
    "invoice_price_change": 0,
    # invoices carry only each order's totals (isHeaderInvoice, no item lines)
    "header_invoice": False,
    # after the invoices, a credit memo for one returned unit of each of these lines
    "return_lines": [],
}
DEFAULT_RETRY = {"attempts": 4, "backoff": 0.5, "timeout": 10.0}

DEFAULT_SETTINGS = {
    "shared_secret": DEFAULT_SECRET,
    "marketplace": "US",
    "mode": "production",
    # SANDBOX ONLY: Amazon never ships test orders; this plays the whole lifecycle.
    "fulfil_test_orders": False,
    "buyer_inbound_url": "",
    "callback_urls": {},  # optional per kind: confirmation, ship_notice, invoice
    "allow_remote_callbacks": False,
    "inbound_auth": "none",  # none | basic | shared_secret
    "inbound_user": "",
    "inbound_password": "",
    "order_auth_user": "",  # optional HTTP Basic required on POST /order
    "order_auth_password": "",
    "encoding": "urlencoded",  # urlencoded | base64
    "field_name": None,  # default cxml-urlencoded / cXML-base64
    "doctype": True,
    "omit_uom_classification": False,
    "header_tax_shipping": True,
    "line_tax": None,  # None: True for DE, else False
    "extrinsics": True,
    "price_tolerance_percent": 10,
    "token_ttl": 300,
    "setup_status_text": True,  # False: Status without text, like Amazon's example
    "invoicing": True,
    "plan": DEFAULT_PLAN,
    "retry": DEFAULT_RETRY,
    "faults": "",
}

CALLBACK_KINDS = {"confirmation", "ship_notice", "invoice"}
CHOICES = {
    "marketplace": set(catalog.MARKETPLACES),
    "mode": {"test", "production"},
    "inbound_auth": {"none", "basic", "shared_secret"},
    "encoding": {"urlencoded", "base64"},
}


@dataclass
class Account:
    """One Amazon group: validated settings (read as ``account[name]``) and the
    faults still active on it (parsed from its ``faults`` setting)."""

    identity: str
    settings: dict
    faults: list = field(default_factory=list)

    def __getitem__(self, name):
        return self.settings[name]

    @classmethod
    def create(cls, identity, changes, base=None):
        """Apply ``changes`` over ``base`` (or the defaults); validate them.

        :raise ValueError: on an unknown setting or an invalid choice.
        """
        settings = copy.deepcopy(base.settings if base else DEFAULT_SETTINGS)
        for key, value in changes.items():
            if key not in DEFAULT_SETTINGS:
                raise ValueError(f"unknown account setting {key!r}")
            if key in ("plan", "retry", "callback_urls"):
                allowed = CALLBACK_KINDS if key == "callback_urls" else settings[key]
                unknown = set(value) - set(allowed)
                if unknown:
                    raise ValueError(f"unknown {key} option(s) {sorted(unknown)}")
                settings[key] = {**settings[key], **value}
                continue
            if key == "faults":
                parse_faults(value)
            elif key in CHOICES and value not in CHOICES[key]:
                raise ValueError(f"{key} must be one of {sorted(CHOICES[key])}")
            settings[key] = value
        return cls(identity, settings, parse_faults(settings["faults"]))

    def set_faults(self, spec):
        self.faults = parse_faults(spec)
        self.settings["faults"] = spec or ""

    def public(self):
        """Settings with secrets masked, plus the faults still active."""
        public = {"identity": self.identity, **copy.deepcopy(self.settings)}
        for key in SECRET_KEYS:
            if public.get(key):
                public[key] = "***"
        public["active_faults"] = [f.public() for f in self.faults]
        return public


class Accounts:
    """The accounts by identity, and the credential checks Amazon makes."""

    def __init__(self, lock, initial):
        self.lock = lock
        self.initial = copy.deepcopy(initial)
        self.reset()

    def reset(self):
        with self.lock:
            self.by_identity = {
                ident: Account.create(ident, settings)
                for ident, settings in self.initial.items()
            }

    def get(self, identity):
        with self.lock:
            return self.by_identity.get(identity)

    def configure(self, identity, **changes):
        with self.lock:
            base = self.by_identity.get(identity)
            self.by_identity[identity] = Account.create(identity, changes, base)
            return self.by_identity[identity].public()

    def public(self):
        with self.lock:
            return {ident: a.public() for ident, a in self.by_identity.items()}

    def identify(self, root):
        """The account named by Sender (None when unknown); never authenticates."""
        ident = text(root, "Header/Sender/Credential[@domain='NetworkId']/Identity")
        return self.get(ident)

    def authenticate(self, root):
        """Check From/To/Sender like Amazon; return the account.

        :raise CXMLError: 400 for a secret outside Sender, 401 otherwise.
        """
        head = root.find("Header")
        if head is None:
            raise CXMLError(400, "Bad Request", "cXML Header is missing")
        for part in ("From", "To"):
            if head.find(part + "/Credential/SharedSecret") is not None:
                raise CXMLError(
                    400,
                    "Bad Request",
                    f"SharedSecret found under {part}/Credential: send it only under "
                    "Sender/Credential",
                )
        from_id = text(head, "From/Credential[@domain='NetworkId']/Identity")
        if not from_id:
            raise CXMLError(
                401,
                "Unauthorized",
                "From/Credential with domain "
                "'NetworkId' and your Amazon identity is required",
            )
        if text(head, "To/Credential[@domain='NetworkId']/Identity") != "Amazon":
            raise CXMLError(
                401,
                "Unauthorized",
                "To/Credential must be domain 'NetworkId' with Identity 'Amazon'",
            )
        sender = head.find("Sender/Credential[@domain='NetworkId']")
        sender_id = text(sender, "Identity")
        account = self.get(sender_id)
        if account is None:
            raise CXMLError(
                401,
                "Unauthorized",
                f"Unknown identity {sender_id!r} in "
                "Sender/Credential (domain NetworkId)",
            )
        if from_id != sender_id:
            raise CXMLError(401, "Unauthorized", "From and Sender identities differ")
        if not _same(text(sender, "SharedSecret"), account["shared_secret"]):
            raise CXMLError(
                401,
                "Unauthorized",
                "SharedSecret in Sender/Credential "
                f"does not match identity {sender_id!r}",
            )
        return account

    @staticmethod
    def check_order_basic_auth(account, basic_auth):
        """The optional HTTP Basic pair on /order (``basic_auth`` = "user:pass").

        :raise CXMLError: 401 when the account requires it and it does not match.
        """
        if not account["order_auth_user"]:
            return
        expected = "{}:{}".format(
            account["order_auth_user"], account["order_auth_password"]
        )
        if not _same(basic_auth or "", expected):
            raise CXMLError(401, "Unauthorized", "HTTP Basic authentication failed")


def _same(given, expected):
    return hmac.compare_digest(given.encode(), expected.encode())
