# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Punchout setup, shopping sessions and the carts (PunchOutOrderMessage)."""

import base64
import copy
import secrets
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from . import catalog, cxml_docs, pages
from .cxml_docs import CXMLError, text


@dataclass
class Session:
    """One punchout session, opened by a PunchOutSetupRequest."""

    id: str
    identity: str
    email: str
    name: str
    buyer_cookie: str
    return_url: str
    business_unit: str
    deployment_mode: str
    path: str  # "test" (/punchout/test) or "production"
    test: bool
    marketplace: str
    payload_id: str
    validation: dict
    created: float = field(default_factory=time.time)
    status: str = "open"  # open | submitted
    cart: dict = field(default_factory=dict)  # ASIN -> quantity
    start_url: str = ""
    started: float | None = None
    cart_id: str | None = None

    def public(self):
        public = asdict(self)
        public["cart"] = [{"asin": a, "quantity": q} for a, q in self.cart.items()]
        return public


@dataclass
class StartToken:
    """The one-time StartPage URL of a session."""

    session_id: str
    expires: float
    used: bool = False


class Shop:
    """Sessions, their carts, and every cart line issued (orders must echo one)."""

    def __init__(self, lock, validator):
        self.lock = lock
        self.validator = validator
        self.url = ""
        self.reset()

    def reset(self):
        with self.lock:
            self.sessions = {}
            self.tokens = {}
            self.carts = []
            self.issued = {}  # identity -> {(asin, aux_id): issued line}

    # === SETUP === #

    def setup(self, tree, test_path, account):
        """Open a session for an authenticated PunchOutSetupRequest.

        :raise CXMLError: 400 when the request breaks Amazon's rules.
        """
        root = tree.getroot()
        psr = root.find("Request/PunchOutSetupRequest")
        operation = psr.get("operation", "")
        if operation != "create":
            raise CXMLError(
                400,
                "Bad Request",
                f"operation={operation!r} is not supported: "
                'Amazon only accepts operation="create"',
            )
        cookie = text(psr, "BuyerCookie")
        if not cookie:
            raise CXMLError(400, "Bad Request", "BuyerCookie is required")
        return_url = text(psr, "BrowserFormPost/URL")
        if not return_url.startswith(("http://", "https://")):
            raise CXMLError(400, "Bad Request", "BrowserFormPost/URL is required")
        email = _setup_email(psr)
        if not email:
            raise CXMLError(
                400,
                "Bad Request",
                "A user e-mail is required: send Extrinsic UserEmail or Contact/Email",
            )
        deployment = root.find("Request").get("deploymentMode", "production")
        session = Session(
            id=secrets.token_hex(8),
            identity=account.identity,
            email=email,
            name=_setup_name(psr),
            buyer_cookie=cookie,
            return_url=return_url,
            business_unit=text(psr, "Extrinsic[@name='UserBusinessUnit']"),
            deployment_mode=deployment,
            path="test" if test_path else "production",
            test=bool(test_path or deployment == "test" or account["mode"] == "test"),
            marketplace=account["marketplace"],
            payload_id=root.get("payloadID"),
            validation=self.validator.validate(tree),
        )
        token = f"{cxml_docs.digits(12)}-{cxml_docs.digits(10)}"
        session.start_url = f"{self.url}/eprocurement/initiate-clean-punchout/{token}"
        with self.lock:
            self.sessions[session.id] = session
            self.tokens[token] = StartToken(
                session.id, time.time() + float(account["token_ttl"])
            )
        return session

    def consume_token(self, token):
        """Return (session, None) or (None, reason) for a one-time start URL."""
        with self.lock:
            entry = self.tokens.get(token)
            if entry is None:
                return None, "unknown"
            if entry.used:
                return None, "used"
            if entry.expires < time.time():
                return None, "expired"
            entry.used = True
            session = self.sessions[entry.session_id]
            session.started = time.time()
            return session, None

    # === SHOPPING === #

    def session(self, sid):
        with self.lock:
            return self.sessions.get(sid)

    def update_cart(self, sid, asin, quantity, add=False):
        with self.lock:
            session = self.sessions[sid]
            if session.status != "open":
                raise ValueError("session is closed")
            if asin not in catalog.BY_ASIN:
                raise KeyError(asin)
            qty = max(0, min(999, int(quantity)))
            if add:
                qty = min(999, session.cart.get(asin, 0) + qty)
            if qty:
                session.cart[asin] = qty
            else:
                session.cart.pop(asin, None)

    def fill_cart(self, sid, items, account, options=None):
        """Test convenience: replace the cart of an open session and submit it."""
        with self.lock:
            session = self._open(sid)
            for item in items:
                if item["asin"] not in catalog.BY_ASIN:
                    raise KeyError(item["asin"])
            session.cart = {}
            for item in items:
                self.update_cart(sid, item["asin"], item.get("quantity", 1), add=True)
            return self.submit_cart(sid, account, options)

    def _open(self, sid):
        session = self.sessions.get(sid)
        if session is None:
            raise KeyError(sid)
        if session.status != "open":
            raise ValueError(f"session {sid} is {session.status}")
        return session

    # === THE CART === #

    def submit_cart(self, sid, account, overrides=None):
        """Issue the PunchOutOrderMessage of a session and close the session."""
        with self.lock:
            session = self._open(sid)
            cart = self.price_cart(session, account, overrides)
            opts = cart["options"]
            xml = cxml_docs.order_message(cart, doctype=opts["doctype"])
            if opts["encoding"] == "base64":
                value = base64.b64encode(xml).decode("ascii")
            else:
                value = xml.decode("utf-8")
            record = {
                "id": cart["id"],
                "session": sid,
                "identity": cart["identity"],
                "payload_id": cart["payload_id"],
                "buyer_cookie": cart["buyer_cookie"],
                "return_url": cart["return_url"],
                "marketplace": cart["marketplace"],
                "currency": cart["currency"],
                "test": cart["test"],
                "options": opts,
                "field": opts["field"],
                "total": cart["total"],
                "lines": [_issued_line(line) for line in cart["lines"]],
                "cxml": xml.decode("utf-8"),
                "validation": self.validator.validate(xml),
                "created": time.time(),
            }
            self.carts.append(record)
            issued = self.issued.setdefault(cart["identity"], {})
            for line in cart["lines"]:
                issued[(line["asin"], line["aux_id"])] = dict(
                    _issued_line(line), cart=cart["id"], test=cart["test"]
                )
            session.status = "submitted"
            session.cart_id = cart["id"]
        return {
            "cart_id": cart["id"],
            "form_html": pages.return_form(
                cart["return_url"], opts["field"], value, cart["marketplace"]
            ),
            "field": opts["field"],
            "encoding": opts["encoding"],
            "value": value,
            "cxml": record["cxml"],
            "return_url": cart["return_url"],
            "buyer_cookie": cart["buyer_cookie"],
            "lines": record["lines"],
        }

    def issued_line(self, identity, asin, aux_id):
        """The cart line issued to this account for (ASIN, aux ID), or None."""
        with self.lock:
            return self.issued.get(identity, {}).get((asin, aux_id))

    def price_cart(self, session, account, overrides=None):
        """Compute the lines and totals of a session's cart (Amazon's way)."""
        mkt = account["marketplace"]
        facts = catalog.MARKETPLACES[mkt]
        prefix = cxml_docs.amazon_order_number()
        lines = []
        total = tax = ship = Decimal(0)
        for index, (asin, qty) in enumerate(session.cart.items(), start=1):
            line, amounts = self._cart_line(asin, qty, mkt, f"{prefix},{index}")
            lines.append(line)
            total += amounts["subtotal"]
            ship += amounts["shipping"]
            ship_tax = amounts["shipping"] * line["tax_rate"] / 100
            tax += amounts["tax"] + catalog.quantize(ship_tax, mkt)
        return {
            "id": secrets.token_hex(6),
            "session": session.id,
            "identity": session.identity,
            "marketplace": mkt,
            "currency": facts["currency"],
            "lang": facts["lang"],
            "tax_category": facts["tax_category"],
            "tax_label": facts["tax_label"],
            "buyer_cookie": session.buyer_cookie,
            "return_url": session.return_url,
            "test": session.test,
            "payload_id": cxml_docs.payload_id(),
            "options": cart_options(account, overrides),
            "lines": lines,
            "total": catalog.fmt_money(total, mkt),
            "tax": catalog.fmt_money(tax, mkt),
            "shipping": catalog.fmt_money(ship, mkt),
        }

    def _cart_line(self, asin, qty, mkt, aux_id):
        """Return (line for the document, its Decimal amounts)."""
        product = catalog.BY_ASIN[asin]
        price = product["prices"][mkt]
        rate = catalog.tax_rate(product, mkt)
        subtotal = catalog.quantize(price * qty, mkt)
        amounts = {
            "subtotal": subtotal,
            "tax": catalog.quantize(subtotal * rate / 100, mkt),
            "shipping": catalog.quantize(
                catalog.shipping_estimate(product, mkt) * qty, mkt
            ),
        }
        line = {
            "asin": asin,
            "aux_id": aux_id,
            "quantity": qty,
            "price": catalog.fmt_money(price, mkt),
            "title": product["titles"][mkt],
            "unspsc": product["unspsc"],
            "manufacturer_part_id": product["manufacturer_part_id"],
            "manufacturer": product["manufacturer"],
            "tax_rate": rate,
            **{k: catalog.fmt_money(v, mkt) for k, v in amounts.items()},
            "extrinsics": {
                "soldBy": product["sold_by"],
                "fulfilledBy": product["fulfilled_by"],
                "category": catalog.CATEGORIES[product["category"]][0],
                "detailPageURL": f"{self.url}/dp/{asin}",
            },
        }
        return line, amounts

    def public(self):
        with self.lock:
            return {
                "sessions": [s.public() for s in self.sessions.values()],
                "carts": copy.deepcopy(self.carts),
            }


def _issued_line(line):
    keys = ("asin", "aux_id", "price", "quantity", "title")
    return {**{k: line[k] for k in keys}, "tax_rate": str(line["tax_rate"])}


def _setup_email(psr):
    for path in (
        "Extrinsic[@name='UserEmail']",
        "Extrinsic[@name='Email']",
        "Contact/Email",
        "ShipTo/Address/Email",
    ):
        if text(psr, path):
            return text(psr, path)
    return ""


def _setup_name(psr):
    name = text(psr, "Contact/Name")
    if name:
        return name
    parts = [text(psr, f"Extrinsic[@name='{n}']") for n in ("FirstName", "LastName")]
    return " ".join(p for p in parts if p)


def as_bool(value, default):
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _encoding_of(field_name):
    return "base64" if "base64" in field_name.lower() else "urlencoded"


def cart_options(account, overrides):
    """Resolve the cart options of an account with per-request overrides."""
    overrides = overrides or {}
    field_name = overrides.get("field") or overrides.get("field_name")
    encoding = overrides.get("encoding")
    if not encoding:
        encoding = _encoding_of(field_name) if field_name else account["encoding"]
    if encoding not in ("urlencoded", "base64"):
        raise ValueError("encoding must be urlencoded or base64")
    if not field_name:
        field_name = account["field_name"]
        if not field_name or _encoding_of(field_name) != encoding:
            field_name = "cXML-base64" if encoding == "base64" else "cxml-urlencoded"
    line_tax_default = account["line_tax"]
    if line_tax_default is None:
        line_tax_default = account["marketplace"] == "DE"
    omit = overrides.get("omit", overrides.get("omit_uom_classification"))
    header = overrides.get("header_tax_shipping", overrides.get("header"))
    return {
        "encoding": encoding,
        "field": field_name,
        "doctype": as_bool(overrides.get("doctype"), account["doctype"]),
        "omit_uom_classification": as_bool(omit, account["omit_uom_classification"]),
        "header_tax_shipping": as_bool(header, account["header_tax_shipping"]),
        "line_tax": as_bool(overrides.get("line_tax"), line_tax_default),
        "extrinsics": as_bool(overrides.get("extrinsics"), account["extrinsics"]),
    }
