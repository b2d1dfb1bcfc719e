# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The simulator's state and rules, independent of HTTP plumbing."""

import base64
import copy
import hmac
import secrets
import threading
import time
from decimal import Decimal, InvalidOperation

from . import catalog, cxml_docs, pages, state, supplier
from .cxml_docs import CXMLError, text


def _now():
    return time.time()


class Sandbox:
    """Thread-safe simulator state: accounts, sessions, carts, orders, callbacks."""

    def __init__(self, dtd_dir=None, accounts=None):
        self.lock = threading.RLock()
        self.stop_event = threading.Event()
        self.validator = cxml_docs.Validator(dtd_dir)
        self.url = ""
        if accounts is None:
            accounts = {state.DEFAULT_IDENTITY: {}}
        self._initial_accounts = copy.deepcopy(accounts)
        self.generation = 0
        self.reset()

    # === CONFIGURATION === #

    def reset(self):
        """Forget sessions, carts, orders, callbacks and faults; restore accounts."""
        with self.lock:
            self.generation += 1
            self.accounts = {}
            for identity, settings in self._initial_accounts.items():
                self.accounts[identity] = state.new_account(identity, settings)
            self.global_faults = []
            self.sessions = {}
            self.tokens = {}
            self.carts = []
            self.issued = {}
            self.orders = []
            self.order_index = {}
            self.answers = {}
            self.callbacks = []
            self.request_fault_counts = {}

    def configure_account(self, identity, **settings):
        with self.lock:
            base = self.accounts.get(identity)
            self.accounts[identity] = state.new_account(identity, settings, base)
            return state.redact(self.accounts[identity])

    def set_faults(self, spec, identity=None):
        """Replace the active faults of an account (or the global ones)."""
        with self.lock:
            if identity is None:
                self.global_faults = state.parse_faults(spec)
                return self.global_faults
            account = self.accounts[identity]
            account["faults"] = spec or ""
            account["_faults"] = state.parse_faults(spec)
            return account["_faults"]

    def take_faults(self, account, request_spec, key, kinds):
        """Return {name: value} of faults that fire now; counts are consumed."""
        fired = {}
        with self.lock:
            pools = [self.global_faults]
            if account is not None:
                pools.append(account["_faults"])
            for pool in pools:
                fired.update(self._consume(pool, kinds))
            for fault in state.parse_faults(request_spec):
                if fault["name"] not in kinds:
                    continue
                if fault["remaining"] is not None:
                    counter = (request_spec, key, fault["name"])
                    used = self.request_fault_counts.get(counter, 0)
                    if used >= fault["remaining"]:
                        continue
                    self.request_fault_counts[counter] = used + 1
                fired[fault["name"]] = fault["value"]
        return fired

    @staticmethod
    def _consume(pool, kinds):
        fired = {}
        for fault in list(pool):
            if fault["name"] not in kinds:
                continue
            fired[fault["name"]] = fault["value"]
            if fault["remaining"] is not None:
                fault["remaining"] -= 1
                if fault["remaining"] <= 0:
                    pool.remove(fault)
        return fired

    # === INTROSPECTION === #

    def snapshot(self, part=None):
        with self.lock:
            data = {
                "url": self.url,
                "dtd_dir": str(self.validator.dtd_dir),
                "dtd_available": self.validator.available,
                "accounts": {k: state.redact(v) for k, v in self.accounts.items()},
                "faults": copy.deepcopy(self.global_faults),
                "sessions": [self._public_session(s) for s in self.sessions.values()],
                "carts": copy.deepcopy(self.carts),
                "orders": [self._public_order(o) for o in self.orders],
                "callbacks": copy.deepcopy(self.callbacks),
            }
        return data[part] if part else data

    @staticmethod
    def _public_session(session):
        public = {k: v for k, v in session.items() if not k.startswith("_")}
        public["cart"] = [
            {"asin": a, "quantity": q} for a, q in session["cart"].items()
        ]
        return copy.deepcopy(public)

    @staticmethod
    def _public_order(order):
        return copy.deepcopy({k: v for k, v in order.items() if not k.startswith("_")})

    # === CREDENTIALS === #

    def identify(self, root):
        """The account named by Sender (None when unknown); never authenticates."""
        ident = text(root, "Header/Sender/Credential[@domain='NetworkId']/Identity")
        with self.lock:
            return self.accounts.get(ident)

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
        with self.lock:
            account = self.accounts.get(sender_id)
        if account is None:
            raise CXMLError(
                401,
                "Unauthorized",
                f"Unknown identity {sender_id!r} in "
                "Sender/Credential (domain NetworkId)",
            )
        if from_id != sender_id:
            raise CXMLError(401, "Unauthorized", "From and Sender identities differ")
        secret = text(sender, "SharedSecret")
        expected = account["shared_secret"]
        if not hmac.compare_digest(secret.encode(), expected.encode()):
            raise CXMLError(
                401,
                "Unauthorized",
                "SharedSecret in Sender/Credential "
                f"does not match identity {sender_id!r}",
            )
        return account

    # === PUNCHOUT SETUP === #

    def setup(self, tree, test_path):
        """Handle a PunchOutSetupRequest; return (session, start_url, warnings)."""
        root = tree.getroot()
        validation = self.validator.validate(tree)
        psr = root.find("Request/PunchOutSetupRequest")
        if psr is None:
            raise CXMLError(400, "Bad Request", "Request/PunchOutSetupRequest expected")
        account = self.authenticate(root)
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
        email = self._setup_email(psr)
        if not email:
            raise CXMLError(
                400,
                "Bad Request",
                "A user e-mail is required: send Extrinsic UserEmail or Contact/Email",
            )
        deployment = root.find("Request").get("deploymentMode", "production")
        session = {
            "id": secrets.token_hex(8),
            "identity": account["identity"],
            "email": email,
            "name": self._setup_name(psr),
            "buyer_cookie": cookie,
            "return_url": return_url,
            "business_unit": text(psr, "Extrinsic[@name='UserBusinessUnit']"),
            "deployment_mode": deployment,
            "path": "test" if test_path else "production",
            "test": bool(
                test_path or deployment == "test" or account["mode"] == "test"
            ),
            "marketplace": account["marketplace"],
            "payload_id": root.get("payloadID"),
            "validation": validation,
            "created": _now(),
            "status": "open",
            "cart": {},
        }
        token = f"{cxml_docs.digits(12)}-{cxml_docs.digits(10)}"
        with self.lock:
            self.sessions[session["id"]] = session
            self.tokens[token] = {
                "session": session["id"],
                "expires": _now() + float(account["token_ttl"]),
                "used": False,
            }
        session["start_url"] = (
            self.url + "/eprocurement/initiate-clean-punchout/" + token
        )
        return session, account

    @staticmethod
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

    @staticmethod
    def _setup_name(psr):
        name = text(psr, "Contact/Name")
        if name:
            return name
        parts = [
            text(psr, f"Extrinsic[@name='{n}']") for n in ("FirstName", "LastName")
        ]
        return " ".join(p for p in parts if p)

    def consume_token(self, token):
        """Return (session, None) or (None, reason) for a one-time start URL."""
        with self.lock:
            entry = self.tokens.get(token)
            if entry is None:
                return None, "unknown"
            if entry["used"]:
                return None, "used"
            if entry["expires"] < _now():
                return None, "expired"
            entry["used"] = True
            session = self.sessions[entry["session"]]
            session["started"] = _now()
            return session, None

    # === SHOPPING === #

    def session(self, sid):
        with self.lock:
            return self.sessions.get(sid)

    def update_cart(self, sid, asin, quantity, add=False):
        with self.lock:
            session = self.sessions[sid]
            if session["status"] != "open":
                raise ValueError("session is closed")
            if asin not in catalog.BY_ASIN:
                raise KeyError(asin)
            qty = max(0, min(999, int(quantity)))
            if add:
                qty = min(999, session["cart"].get(asin, 0) + qty)
            if qty:
                session["cart"][asin] = qty
            else:
                session["cart"].pop(asin, None)

    def price_cart(self, session, overrides=None):
        """Compute the lines and totals of a session's cart (Amazon's way)."""
        account = self.accounts[session["identity"]]
        mkt = account["marketplace"]
        facts = catalog.MARKETPLACES[mkt]
        opts = state.cart_options(account, overrides)
        prefix = cxml_docs.amazon_order_number()
        lines, sums = [], {"total": Decimal(0), "tax": Decimal(0), "ship": Decimal(0)}
        for index, (asin, qty) in enumerate(session["cart"].items(), start=1):
            line = self._cart_line(asin, qty, mkt, f"{prefix},{index}")
            lines.append(line)
            sums["total"] += line["_subtotal"]
            sums["ship"] += line["_shipping"]
            ship_tax = line["_shipping"] * line["tax_rate"] / 100
            sums["tax"] += line["_tax"] + catalog.quantize(ship_tax, mkt)
        return {
            "id": secrets.token_hex(6),
            "session": session["id"],
            "identity": session["identity"],
            "marketplace": mkt,
            "currency": facts["currency"],
            "lang": facts["lang"],
            "tax_category": facts["tax_category"],
            "tax_label": facts["tax_label"],
            "buyer_cookie": session["buyer_cookie"],
            "return_url": session["return_url"],
            "test": session["test"],
            "payload_id": cxml_docs.payload_id(),
            "options": opts,
            "lines": lines,
            "total": catalog.fmt_money(sums["total"], mkt),
            "tax": catalog.fmt_money(sums["tax"], mkt),
            "shipping": catalog.fmt_money(sums["ship"], mkt),
        }

    def _cart_line(self, asin, qty, mkt, aux_id):
        product = catalog.BY_ASIN[asin]
        price = product["prices"][mkt]
        rate = catalog.tax_rate(product, mkt)
        subtotal = catalog.quantize(price * qty, mkt)
        tax = catalog.quantize(subtotal * rate / 100, mkt)
        ship = catalog.quantize(catalog.shipping_estimate(product, mkt) * qty, mkt)
        return {
            "asin": asin,
            "aux_id": aux_id,
            "quantity": qty,
            "price": catalog.fmt_money(price, mkt),
            "title": product["titles"][mkt],
            "unspsc": product["unspsc"],
            "manufacturer_part_id": product["manufacturer_part_id"],
            "manufacturer": product["manufacturer"],
            "tax_rate": rate,
            "subtotal": catalog.fmt_money(subtotal, mkt),
            "tax": catalog.fmt_money(tax, mkt),
            "shipping": catalog.fmt_money(ship, mkt),
            "extrinsics": {
                "soldBy": product["sold_by"],
                "fulfilledBy": product["fulfilled_by"],
                "category": catalog.CATEGORIES[product["category"]][0],
                "detailPageURL": f"{self.url}/dp/{asin}",
            },
            "_subtotal": subtotal,
            "_tax": tax,
            "_shipping": ship,
        }

    def submit_cart(self, sid, overrides=None):
        """Issue the PunchOutOrderMessage of a session and close the session."""
        with self.lock:
            session = self.sessions.get(sid)
            if session is None:
                raise KeyError(sid)
            if session["status"] != "open":
                raise ValueError("session {} is {}".format(sid, session["status"]))
            cart = self.price_cart(session, overrides)
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
                "lines": [self._issued_line(line) for line in cart["lines"]],
                "cxml": xml.decode("utf-8"),
                "validation": self.validator.validate(xml),
                "created": _now(),
            }
            self.carts.append(record)
            issued = self.issued.setdefault(cart["identity"], {})
            for line in cart["lines"]:
                issued[(line["asin"], line["aux_id"])] = dict(
                    self._issued_line(line), cart=cart["id"], test=cart["test"]
                )
            session["status"] = "submitted"
            session["cart_id"] = cart["id"]
        form_html = pages.return_form(cart["return_url"], opts["field"], value)
        return {
            "cart_id": cart["id"],
            "form_html": form_html,
            "field": opts["field"],
            "encoding": opts["encoding"],
            "value": value,
            "cxml": record["cxml"],
            "return_url": cart["return_url"],
            "buyer_cookie": cart["buyer_cookie"],
            "lines": record["lines"],
        }

    @staticmethod
    def _issued_line(line):
        keys = ("asin", "aux_id", "price", "quantity", "title", "tax_rate")
        return {k: (str(line[k]) if k == "tax_rate" else line[k]) for k in keys}

    def fill_cart(self, sid, items, options=None):
        """Test convenience: replace the cart of an open session and submit it."""
        with self.lock:
            session = self.sessions.get(sid)
            if session is None:
                raise KeyError(sid)
            if session["status"] != "open":
                raise ValueError("session {} is {}".format(sid, session["status"]))
            for item in items:
                if item["asin"] not in catalog.BY_ASIN:
                    raise KeyError(item["asin"])
            session["cart"] = {}
            for item in items:
                self.update_cart(sid, item["asin"], item.get("quantity", 1), add=True)
            return self.submit_cart(sid, options)

    # === ORDERS === #

    def receive_order(self, tree, raw, basic_auth, callback_faults=None):
        """Handle an OrderRequest; return (code, text, detail) to answer now."""
        record = {
            "order_id": None,
            "payload_id": tree.getroot().get("payloadID") if tree is not None else None,
            "identity": None,
            "received": _now(),
            "raw_xml": cxml_docs.redact_xml(raw.decode("utf-8", "replace")),
            "validation": None,
            "accepted": False,
            "replay_count": 0,
        }
        # One order at a time: a retry racing its original must see it as a replay.
        with self.lock:
            try:
                if tree is None:
                    tree = cxml_docs.parse(raw)
                code, text_, detail = self._check_order(tree, record, basic_auth)
            except CXMLError as exc:
                code, text_, detail = exc.code, exc.text, exc.detail
            if record.get("_replay"):
                return code, text_, detail
            record["answer"] = {"code": code, "text": text_, "detail": detail}
            self.orders.append(record)
            if record["identity"] and record["payload_id"]:
                self.answers[(record["identity"], record["payload_id"])] = record
        if record["accepted"]:
            self._start_plan(record, callback_faults or {})
        return code, text_, detail

    def _check_order(self, tree, record, basic_auth):
        root = tree.getroot()
        orq = root.find("Request/OrderRequest")
        if orq is None:
            raise CXMLError(400, "Bad Request", "Request/OrderRequest expected")
        validation = self.validator.validate(tree)
        record["validation"] = validation
        if validation["checked"] and not validation["valid"]:
            raise CXMLError(
                400,
                "Bad Request",
                "DTD validation failed (cXML.dtd): "
                + "; ".join(validation["errors"][:5]),
            )
        account = self.authenticate(root)
        if account["order_auth_user"]:
            expected = "{}:{}".format(
                account["order_auth_user"], account["order_auth_password"]
            )
            if not hmac.compare_digest((basic_auth or "").encode(), expected.encode()):
                raise CXMLError(401, "Unauthorized", "HTTP Basic authentication failed")
        record["identity"] = account["identity"]
        replay = self._replay(record)
        if replay:
            return replay
        head = orq.find("OrderRequestHeader")
        if head is None or head.find("Total/Money") is None:
            raise CXMLError(
                400, "Bad Request", "OrderRequestHeader with Total/Money is required"
            )
        record["order_id"] = head.get("orderID")
        self._check_order_rules(root, orq, head, account)
        lines = self._check_items(orq, account)
        self._check_total(head, lines, account)
        self._register_order(record, root, head, lines, account)
        return 200, "OK", ""

    def _replay(self, record):
        with self.lock:
            previous = self.answers.get((record["identity"], record["payload_id"]))
            if previous is None:
                return None
            previous["replay_count"] += 1
            record["_replay"] = True
            answer = previous["answer"]
            return answer["code"], answer["text"], answer["detail"]

    def _check_order_rules(self, root, orq, head, account):
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
        with self.lock:
            known = self.order_index.get((account["identity"], head.get("orderID")))
        if known is not None:
            raise CXMLError(
                400,
                "Bad Request",
                "Duplicate order: orderID {!r} was "
                "already received with payloadID {!r}".format(
                    head.get("orderID"), known["payload_id"]
                ),
            )

    def _check_items(self, orq, account):
        mkt = account["marketplace"]
        currency = catalog.MARKETPLACES[mkt]["currency"]
        tolerance = Decimal(str(account["price_tolerance_percent"]))
        with self.lock:
            issued = dict(self.issued.get(account["identity"], {}))
        lines = []
        for index, item in enumerate(orq.findall("ItemOut"), start=1):
            number = int(item.get("lineNumber") or index)
            asin = text(item, "ItemID/SupplierPartID")
            aux = text(item, "ItemID/SupplierPartAuxiliaryID")
            cart_line = issued.get((asin, aux))
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

    @staticmethod
    def _check_total(head, lines, account):
        mkt = account["marketplace"]
        currency = catalog.MARKETPLACES[mkt]["currency"]
        total_money = head.find("Total/Money")
        if total_money.get("currency") != currency:
            raise CXMLError(400, "Bad Request", f"Total currency must be {currency}")
        total = _decimal(total_money.text, "Total")
        expected = catalog.quantize(
            sum(ln["price"] * ln["quantity"] for ln in lines), mkt
        )
        if catalog.quantize(total, mkt) != expected:
            raise CXMLError(
                400,
                "Bad Request",
                f"Total {total} does not equal the sum of the lines {expected}",
            )

    def _register_order(self, record, root, head, lines, account):
        mkt = account["marketplace"]
        facts = catalog.MARKETPLACES[mkt]
        deployment = root.find("Request").get("deploymentMode", "production")
        ship_name = text(head, "ShipTo/Address/Name") or text(
            head, "BillTo/Address/Name"
        )
        record.update(
            {
                "accepted": True,
                "order_date": head.get("orderDate"),
                "deployment_mode": deployment,
                "test": bool(
                    deployment == "test"
                    or account["mode"] == "test"
                    or any(ln["cart_test"] for ln in lines)
                ),
                "marketplace": mkt,
                "currency": facts["currency"],
                "lang": facts["lang"],
                "tax_category": facts["tax_category"],
                "tax_label": facts["tax_label"],
                "ship_to_name": ship_name or "Buyer",
                "lines": lines,
                "plan": copy.deepcopy(account["plan"]),
                "status": "received",
                "steps_done": 0,
                "steps_total": 0,
            }
        )
        with self.lock:
            key = (account["identity"], record["order_id"])
            if key in self.order_index:
                raise CXMLError(400, "Bad Request", f"Duplicate order {key[1]!r}")
            self.order_index[key] = record

    # === SUPPLIER PLAN === #

    def _start_plan(self, order, faults):
        account = self.accounts[order["identity"]]
        steps = supplier.build_plan(order, order["plan"], account["invoicing"])
        if "out_of_order" in faults:
            steps.reverse()
        order["_steps"] = steps
        order["_faults"] = faults
        order["faults"] = sorted(faults)
        order["steps_total"] = len(steps)
        order["pending"] = [s["kind"] for s in steps]
        if order["plan"].get("mode") == "manual":
            order["status"] = "waiting (manual plan)"
            return
        generation = self.generation
        thread = threading.Thread(
            target=self._run_auto, args=(order, generation), daemon=True
        )
        thread.start()

    def _run_auto(self, order, generation):
        delay = float(order["plan"].get("delay", 0.2))
        while order["_steps"]:
            if self.stop_event.wait(delay) or generation != self.generation:
                return
            self.advance_order(order)
        order["status"] = "done"

    def find_order(self, order_id, identity=None):
        with self.lock:
            for (ident, oid), order in self.order_index.items():
                if oid == order_id and identity in (None, ident):
                    return order
        return None

    def advance_order(self, order, steps=1):
        """Play the next ``steps`` steps (or all when steps is None)."""
        sent = []
        while order["_steps"] and (steps is None or len(sent) < steps):
            with self.lock:
                step = order["_steps"].pop(0)
                order["pending"] = [s["kind"] for s in order["_steps"]]
            sent.extend(self._deliver(order, step))
            order["steps_done"] += 1
            order["status"] = "in progress" if order["_steps"] else "done"
        return sent

    def _deliver(self, order, step):
        account = self.accounts[order["identity"]]
        root, family, name = supplier.build_document(step, account, order)
        body = cxml_docs.serialize(root, family)
        validation = self.validator.validate(body, family)
        copies = 2 if "duplicate" in order["_faults"] else 1
        records = []
        for copy_index in range(copies):
            records.extend(
                self._post_with_retry(order, step, name, body, validation, copy_index)
            )
        return records

    def _post_with_retry(self, order, step, name, body, validation, copy_index):
        account = self.accounts[order["identity"]]
        url = supplier.callback_url(account, step["kind"])
        retry = account["retry"]
        base = {
            "order_id": order["order_id"],
            "identity": order["identity"],
            "kind": step["kind"],
            "document": name,
            "type": (step.get("group") or {}).get("type"),
            "payload_id": _payload_of(body),
            "url": url,
            "delivery": copy_index + 1,
            "valid": validation["valid"],
            "dtd": validation["dtd"],
            "dtd_errors": validation["errors"],
            "xml": cxml_docs.redact_xml(body.decode("utf-8")),
        }
        if not url:
            return [
                self._record(base, attempt=0, error="no buyer_inbound_url configured")
            ]
        if not account["allow_remote_callbacks"] and not supplier.is_loopback(url):
            return [self._record(base, attempt=0, error="refused: not a loopback URL")]
        records = []
        attempts = max(1, int(retry["attempts"]))
        for attempt in range(1, attempts + 1):
            result = supplier.post_once(url, body, account, float(retry["timeout"]))
            records.append(self._record(base, attempt=attempt, **result))
            if not supplier.should_retry(result) or attempt == attempts:
                break
            if self.stop_event.wait(float(retry["backoff"]) * 2 ** (attempt - 1)):
                break
        return records

    def _record(self, base, **result):
        record = dict(base, sent=_now(), **result)
        record.setdefault("http_status", None)
        record.setdefault("cxml_code", None)
        record.setdefault("cxml_text", None)
        record.setdefault("error", None)
        with self.lock:
            self.callbacks.append(record)
        return record


def _payload_of(body):
    return cxml_docs.parse(body).getroot().get("payloadID")


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
