# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The order endpoint's rules: receipt, rejections, duplicates and replays."""

import copy
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from . import catalog, cxml_docs
from .cxml_docs import CXMLError, text


@dataclass
class Order:
    """One OrderRequest received, accepted or not, and its supplier progress."""

    payload_id: str | None
    raw_xml: str
    received: float = field(default_factory=time.time)
    order_id: str | None = None
    identity: str | None = None
    validation: dict | None = None
    accepted: bool = False
    replay_count: int = 0
    answer: dict | None = None  # {code, text, detail} of the receipt
    # Set when accepted:
    order_date: str | None = None
    deployment_mode: str | None = None
    test: bool = False
    marketplace: str | None = None
    currency: str | None = None
    lang: str | None = None
    tax_category: str | None = None
    tax_label: str | None = None
    ship_to_name: str | None = None
    lines: list = field(default_factory=list)
    plan: dict = field(default_factory=dict)
    # Supplier progress (see fulfilment.py):
    status: str | None = None
    steps_done: int = 0
    steps_total: int = 0
    pending: list = field(default_factory=list)
    faults: list = field(default_factory=list)

    def public(self):
        return copy.deepcopy(asdict(self))


class OrderDesk:
    """Receives OrderRequests; remembers every answer for replays."""

    def __init__(self, lock, validator, accounts, shop):
        self.lock = lock
        self.validator = validator
        self.accounts = accounts
        self.shop = shop
        self.reset()

    def reset(self):
        with self.lock:
            self.orders = []
            self.accepted = {}  # (identity, orderID) -> Order
            self.answered = {}  # (identity, payloadID) -> Order

    def find(self, order_id, identity=None):
        with self.lock:
            for (ident, oid), order in self.accepted.items():
                if oid == order_id and identity in (None, ident):
                    return order
        return None

    def public(self):
        with self.lock:
            return [o.public() for o in self.orders]

    def receive(self, tree, raw, basic_auth):
        """Handle an OrderRequest; return (order, answer dict).

        ``order`` is None for a replay (same payloadID as an order already
        answered for this account): the answer is the earlier one, nothing is
        done twice.
        """
        root = tree.getroot() if tree is not None else None
        order = Order(
            payload_id=root.get("payloadID") if root is not None else None,
            raw_xml=cxml_docs.redact_xml(raw.decode("utf-8", "replace")),
        )
        # One order at a time: a retry racing its original must see it as a replay.
        with self.lock:
            try:
                if tree is None:
                    tree = cxml_docs.parse(raw)
                previous = self._check(tree, order, basic_auth)
                if previous is not None:
                    previous.replay_count += 1
                    return None, previous.answer
                order.answer = {"code": 200, "text": "OK", "detail": ""}
            except CXMLError as exc:
                order.answer = {
                    "code": exc.code,
                    "text": exc.text,
                    "detail": exc.detail,
                }
            self.orders.append(order)
            if order.identity and order.payload_id:
                self.answered[(order.identity, order.payload_id)] = order
        return order, order.answer

    def _check(self, tree, order, basic_auth):
        """Apply Amazon's rules; fill ``order``; return the replayed order or None.

        :raise CXMLError: the receipt's error status.
        """
        root = tree.getroot()
        orq = root.find("Request/OrderRequest")
        if orq is None:
            raise CXMLError(400, "Bad Request", "Request/OrderRequest expected")
        order.validation = self.validator.validate(tree)
        if order.validation["checked"] and not order.validation["valid"]:
            raise CXMLError(
                400,
                "Bad Request",
                "DTD validation failed (cXML.dtd): "
                + "; ".join(order.validation["errors"][:5]),
            )
        account = self.accounts.authenticate(root)
        self.accounts.check_order_basic_auth(account, basic_auth)
        order.identity = account.identity
        previous = self.answered.get((order.identity, order.payload_id))
        if previous is not None:
            return previous
        head = orq.find("OrderRequestHeader")
        if head is None or head.find("Total/Money") is None:
            raise CXMLError(
                400, "Bad Request", "OrderRequestHeader with Total/Money is required"
            )
        order.order_id = head.get("orderID")
        self._check_header(orq, head, account)
        lines = self._check_items(orq, account)
        _check_total(head, lines, account["marketplace"])
        self._accept(order, root, head, lines, account)
        return None

    def _check_header(self, orq, head, account):
        if head.get("type", "new") != "new":
            raise CXMLError(
                400,
                "Bad Request",
                "001-001 OrderRequest type {!r}: update "
                "not supported; cancel on Amazon and send a new order".format(
                    head.get("type")
                ),
            )
        if head.find("Payment") is not None:
            raise CXMLError(
                400,
                "Bad Request",
                "Payment is not accepted: Amazon charges the group's payment method",
            )
        missing = _address_problem(head.find("BillTo"), "BillTo")
        if missing:
            raise CXMLError(400, "Bad Request", missing)
        ship_tos = [head.find("ShipTo")]
        if ship_tos[0] is None:
            ship_tos = [item.find("ShipTo") for item in orq.findall("ItemOut")]
        for ship_to in ship_tos:
            missing = _address_problem(ship_to, "ShipTo")
            if missing:
                raise CXMLError(400, "Bad Request", "001-005 " + missing)
        known = self.accepted.get((account.identity, head.get("orderID")))
        if known is not None:
            raise CXMLError(
                400,
                "Bad Request",
                "Duplicate order: orderID {!r} was "
                "already received with payloadID {!r}".format(
                    head.get("orderID"), known.payload_id
                ),
            )

    def _check_items(self, orq, account):
        mkt = account["marketplace"]
        currency = catalog.MARKETPLACES[mkt]["currency"]
        tolerance = Decimal(str(account["price_tolerance_percent"]))
        lines = []
        for index, item in enumerate(orq.findall("ItemOut"), start=1):
            number = int(item.get("lineNumber") or index)
            asin = text(item, "ItemID/SupplierPartID")
            aux = text(item, "ItemID/SupplierPartAuxiliaryID")
            cart_line = self.shop.issued_line(account.identity, asin, aux)
            if cart_line is None:
                raise CXMLError(
                    400,
                    "Bad Request",
                    f"Line {number}: ASIN {asin!r} with SupplierPartAuxiliaryID "
                    f"{aux!r} was not issued in a cart of this account",
                )
            price = _order_price(item, number, currency)
            cart_price = Decimal(cart_line["price"])
            if abs(price - cart_price) * 100 > tolerance * cart_price:
                raise CXMLError(
                    400,
                    "Bad Request",
                    f"Line {number}: price {price} differs from the cart price "
                    f"{cart_price} by more than {tolerance}% (order safeguard)",
                )
            qty = _decimal(item.get("quantity"), f"Line {number}: quantity")
            if qty <= 0:
                raise CXMLError(
                    400, "Bad Request", f"Line {number}: quantity must be > 0"
                )
            product = catalog.BY_ASIN[asin]
            lines.append(
                {
                    "line_number": number,
                    "asin": asin,
                    "aux_id": aux,
                    "quantity": qty,
                    "price": price,
                    "uom": text(item, "ItemDetail/UnitOfMeasure") or "EA",
                    "description": product["titles"][mkt],
                    "tax_rate": catalog.tax_rate(product, mkt),
                    "shipping_unit": catalog.shipping_estimate(product, mkt),
                    "cart_test": cart_line["test"],
                }
            )
        return lines

    def _accept(self, order, root, head, lines, account):
        facts = catalog.MARKETPLACES[account["marketplace"]]
        deployment = root.find("Request").get("deploymentMode", "production")
        ship_name = text(head, "ShipTo/Address/Name") or text(
            head, "BillTo/Address/Name"
        )
        order.accepted = True
        order.order_date = head.get("orderDate")
        order.deployment_mode = deployment
        order.test = bool(
            deployment == "test"
            or account["mode"] == "test"
            or any(ln["cart_test"] for ln in lines)
        )
        order.marketplace = account["marketplace"]
        order.currency = facts["currency"]
        order.lang = facts["lang"]
        order.tax_category = facts["tax_category"]
        order.tax_label = facts["tax_label"]
        order.ship_to_name = ship_name or "Buyer"
        order.lines = lines
        order.plan = copy.deepcopy(account["plan"])
        order.status = "received"
        self.accepted[(account.identity, order.order_id)] = order


def _check_total(head, lines, mkt):
    currency = catalog.MARKETPLACES[mkt]["currency"]
    total_money = head.find("Total/Money")
    if total_money.get("currency") != currency:
        raise CXMLError(400, "Bad Request", f"Total currency must be {currency}")
    total = _decimal(total_money.text, "Total")
    expected = catalog.quantize(sum(ln["price"] * ln["quantity"] for ln in lines), mkt)
    if catalog.quantize(total, mkt) != expected:
        raise CXMLError(
            400,
            "Bad Request",
            f"Total {total} does not equal the sum of the lines {expected}",
        )


def _decimal(value, what):
    try:
        return Decimal((value or "").strip())
    except InvalidOperation as exc:
        raise CXMLError(
            400, "Bad Request", f"{what}: {value!r} is not a number"
        ) from exc


def _order_price(item, number, currency):
    money = item.find("ItemDetail/UnitPrice/Money")
    if money is None:
        raise CXMLError(
            400,
            "Bad Request",
            f"Line {number}: ItemDetail/UnitPrice/Money is required",
        )
    if money.get("currency") != currency:
        raise CXMLError(
            400,
            "Bad Request",
            f"Line {number}: currency {money.get('currency')!r}, the marketplace "
            f"currency is {currency}",
        )
    return _decimal(money.text, f"Line {number}: price")


def _address_problem(node, label):
    if node is None:
        return f"{label} is required"
    postal = node.find("Address/PostalAddress")
    if postal is None:
        return f"{label}/Address/PostalAddress is required"
    for child in ("Street", "City", "PostalCode"):
        if not text(postal, child):
            return f"{label}/Address/PostalAddress/{child} is required"
    country = postal.find("Country")
    if country is None or not (country.get("isoCountryCode") or "").strip():
        return f"{label}/Address/PostalAddress/Country@isoCountryCode is required"
    return ""
