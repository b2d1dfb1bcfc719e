# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""HTTP front of the sandbox and the in-process ``SandboxServer`` API."""

import base64
import json
import logging
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import catalog, cxml_docs, pages, state
from .cxml_docs import CXMLError
from .sandbox import Sandbox

_logger = logging.getLogger("amazon_sandbox")

ROUTES = [
    ("GET", r"/", "page_index"),
    ("GET", r"/eprocurement/initiate-clean-punchout/([0-9-]+)", "page_start"),
    ("GET", r"/shop/(\w+)/?", "page_home"),
    ("GET", r"/shop/(\w+)/dp/(\w+)", "page_product"),
    ("GET", r"/shop/(\w+)/cart", "page_cart"),
    ("POST", r"/shop/(\w+)/cart/(add|update|remove)", "post_cart_change"),
    ("POST", r"/shop/(\w+)/cart/submit", "post_submit"),
    ("GET", r"/dp/(\w+)", "page_public_product"),
    ("POST", r"/punchout(/test)?", "post_setup"),
    ("POST", r"/order", "post_order"),
    (
        "GET",
        r"/_sandbox/(state|sessions|carts|orders|callbacks|accounts|faults)",
        "api_get",
    ),
    ("GET", r"/_sandbox/orders/([^/]+)", "api_get_order"),
    ("POST", r"/_sandbox/reset", "api_reset"),
    ("POST", r"/_sandbox/accounts", "api_accounts"),
    ("POST", r"/_sandbox/faults", "api_faults"),
    ("POST", r"/_sandbox/sessions/(\w+)/cart", "api_fill_cart"),
    ("POST", r"/_sandbox/orders/([^/]+)/advance", "api_advance"),
]
_COMPILED = [(m, re.compile(p + "$"), h) for m, p, h in ROUTES]


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True


class Handler(BaseHTTPRequestHandler):
    server_version = "AmazonSandbox/1.0"
    protocol_version = "HTTP/1.1"

    @property
    def sandbox(self):
        return self.server.sandbox

    def log_message(self, fmt, *args):
        # Paths carry no secrets; bodies are never logged.
        _logger.debug("%s %s", self.address_string(), fmt % args)

    # === DISPATCH === #

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _dispatch(self, method):
        split = urllib.parse.urlsplit(self.path)
        self.query = dict(urllib.parse.parse_qsl(split.query))
        for route_method, regex, name in _COMPILED:
            match = regex.match(split.path)
            if match and route_method == method:
                try:
                    getattr(self, name)(*match.groups())
                except json.JSONDecodeError as exc:
                    self.close_connection = True
                    self._json({"error": f"invalid JSON body: {exc}"}, 400)
                except Exception:
                    _logger.exception("sandbox handler %s failed", name)
                    self.close_connection = True
                    self._send(500, b"Internal sandbox error", "text/plain")
                return
        self.close_connection = True  # an unread body must not poison keep-alive
        self._send(404, b"Not found", "text/plain")

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > cxml_docs.MAX_BYTES:
            self.close_connection = True
            self._drain(length)
            raise CXMLError(413, "Request Entity Too Large", "Body too large")
        return self.rfile.read(length) if length else b""

    def _drain(self, length):
        """Read and drop a too-large body so that the client gets the answer."""
        if length > 16 * cxml_docs.MAX_BYTES:
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                return
            length -= len(chunk)

    def _send(self, status, body, ctype, headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html(self, html, status=200):
        self._send(
            status,
            html,
            "text/html; charset=utf-8",
            {"X-Frame-Options": "SAMEORIGIN", "Cache-Control": "no-store"},
        )

    def _redirect(self, location):
        self._send(303, b"", "text/plain", {"Location": location})

    def _json(self, data, status=200):
        body = json.dumps(data, indent=1, default=str, ensure_ascii=False)
        self._send(status, body, "application/json; charset=utf-8")

    def _cxml(self, root, status=200):
        self._send(status, cxml_docs.serialize(root), "text/xml; charset=UTF-8")

    def _form(self):
        data = self._body().decode("utf-8", "replace")
        return dict(urllib.parse.parse_qsl(data))

    def _json_body(self):
        data = self._body()
        return json.loads(data) if data.strip() else {}

    # === SHOP PAGES === #

    def page_index(self):
        accounts = self.sandbox.snapshot("accounts").values()
        self._html(pages.index(self.sandbox.url, accounts))

    def page_start(self, token):
        session, reason = self.sandbox.consume_token(token)
        if session is None:
            text = {
                "used": "This punchout link has already been used.",
                "expired": "This punchout link has expired.",
            }.get(reason, "This punchout link is not valid.")
            self._html(pages.message("Punchout link expired or used", text), 410)
            return
        self._redirect("/shop/{}/".format(session["id"]))

    def _open_session(self, sid):
        session = self.sandbox.session(sid)
        if session is None:
            self._html(
                pages.message("Unknown session", "No such punchout session."), 404
            )
            return None
        if session["status"] != "open":
            self._html(
                pages.message(
                    "Punchout session ended",
                    "This cart was already returned to your procurement system.",
                ),
                410,
            )
            return None
        return session

    def page_home(self, sid):
        session = self._open_session(sid)
        if session:
            query, cat = self.query.get("q", ""), self.query.get("cat")
            cat = cat if cat in catalog.CATEGORIES else None
            found = catalog.search(query, cat, session["marketplace"])
            self._html(pages.home(session, found, query, cat))

    def page_product(self, sid, asin):
        session = self._open_session(sid)
        if session:
            product = catalog.BY_ASIN.get(asin)
            if product is None:
                self._html(pages.message("Not found", "Unknown ASIN.", session), 404)
                return
            self._html(pages.product_page(session, product, session["marketplace"]))

    def page_public_product(self, asin):
        product = catalog.BY_ASIN.get(asin)
        if product is None:
            self._html(pages.message("Not found", "Unknown ASIN."), 404)
            return
        mkt = self.query.get("marketplace", "US")
        mkt = mkt if mkt in catalog.MARKETPLACES else "US"
        self._html(pages.product_page(None, product, mkt))

    def page_cart(self, sid):
        session = self._open_session(sid)
        if session:
            self._html(pages.cart_page(session))

    def post_cart_change(self, sid, action):
        form = self._form()
        session = self._open_session(sid)
        if not session:
            return
        try:
            qty = 0 if action == "remove" else int(form.get("quantity", "1"))
            self.sandbox.update_cart(
                sid, form.get("asin", ""), qty, add=action == "add"
            )
        except (KeyError, ValueError):
            self._html(
                pages.message("Invalid request", "Unknown item or quantity.", session),
                400,
            )
            return
        self._redirect(f"/shop/{sid}/cart")

    def post_submit(self, sid):
        self._form()
        if not self._open_session(sid):
            return
        try:
            result = self.sandbox.submit_cart(sid, self.query)
        except ValueError as exc:
            self._html(pages.message("Invalid request", str(exc)), 400)
            return
        self._html(result["form_html"])

    # === CXML ENDPOINTS === #

    def _parse_with_faults(self, kinds):
        """Read and parse a cXML body; return (tree, raw, account, faults)."""
        raw = self._body()
        spec = self.headers.get("X-Sandbox-Fault") or self.query.get("fault", "")
        tree, account = None, None
        try:
            tree = cxml_docs.parse(raw)
        except CXMLError:
            tree = None
        if tree is not None:
            account = self.sandbox.identify(tree.getroot())
            key = tree.getroot().get("payloadID") or self.path
        else:
            key = self.path
        faults = self.sandbox.take_faults(account, spec, key, kinds)
        return tree, raw, faults

    def _fault_response(self, faults):
        """Answer an error fault; return True when the request is done."""
        if "http500" in faults:
            self._send(500, b"Internal Server Error (sandbox fault)", "text/plain")
        elif "cxml500" in faults:
            self._cxml(
                cxml_docs.response(
                    500, "Internal Server Error", "Sandbox fault cxml500"
                )
            )
        elif "malformed" in faults:
            self._send(200, cxml_docs.malformed_response(), "text/xml; charset=UTF-8")
        else:
            return False
        return True

    def _delay(self, faults):
        wait = faults.get("latency") or 0
        if "timeout" in faults:
            wait = faults["timeout"] or state.DEFAULT_TIMEOUT_SLEEP
        if wait:
            self.sandbox.stop_event.wait(float(wait))

    def post_setup(self, test_suffix):
        try:
            tree, raw, faults = self._parse_with_faults(state.RESPONSE_FAULTS)
        except CXMLError as exc:
            self._cxml(cxml_docs.response(400, exc.text, exc.detail))
            return
        if self._fault_response(faults):
            return
        try:
            if tree is None:
                cxml_docs.parse(raw)
            session, account = self.sandbox.setup(tree, bool(test_suffix))
            root = cxml_docs.setup_response(
                session["start_url"], omit_status_text=not account["setup_status_text"]
            )
        except CXMLError as exc:
            root = cxml_docs.response(exc.code, exc.text, exc.detail)
        self._delay(faults)
        self._cxml(root)

    def post_order(self):
        try:
            kinds = state.RESPONSE_FAULTS | state.CALLBACK_FAULTS
            tree, raw, faults = self._parse_with_faults(kinds)
        except CXMLError as exc:
            self._cxml(cxml_docs.response(400, exc.text, exc.detail), 413)
            return
        if self._fault_response(faults):
            return
        http_status = 200
        code, text, detail = self.sandbox.receive_order(
            tree, raw, self._basic_auth(), faults
        )
        if code == 401 and self.headers.get("Authorization") is not None:
            http_status = 401
        self._delay(faults)
        self._cxml(cxml_docs.response(code, text, detail), http_status)

    def _basic_auth(self):
        value = self.headers.get("Authorization") or ""
        if not value.lower().startswith("basic "):
            return ""
        try:
            return base64.b64decode(value[6:].strip()).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return ""

    # === INTROSPECTION API === #

    def api_get(self, part):
        if part == "faults":
            self._json(self.sandbox.snapshot("faults"))
            return
        self._json(self.sandbox.snapshot(None if part == "state" else part))

    def api_get_order(self, order_id):
        order = self.sandbox.find_order(order_id)
        if order is None:
            self._json({"error": "unknown order"}, 404)
            return
        self._json(self.sandbox._public_order(order))

    def api_reset(self):
        self._body()
        self.sandbox.reset()
        self._json({"ok": True})

    def api_accounts(self):
        data = self._json_body()
        identity = data.pop("identity", None)
        if not identity:
            self._json({"error": "identity is required"}, 400)
            return
        try:
            account = self.sandbox.configure_account(identity, **data)
        except (ValueError, TypeError) as exc:
            self._json({"error": str(exc)}, 400)
            return
        self._json(account)

    def api_faults(self):
        data = self._json_body()
        try:
            faults = self.sandbox.set_faults(
                data.get("fault", ""), data.get("identity")
            )
        except (ValueError, KeyError) as exc:
            self._json({"error": str(exc)}, 400)
            return
        self._json({"faults": faults})

    def api_fill_cart(self, sid):
        data = self._json_body()
        try:
            result = self.sandbox.fill_cart(
                sid, data.get("items", []), data.get("options")
            )
        except KeyError as exc:
            self._json({"error": f"unknown session or ASIN {exc}"}, 404)
            return
        except ValueError as exc:
            self._json({"error": str(exc)}, 409)
            return
        self._json(result)

    def api_advance(self, order_id):
        data = self._json_body()
        order = self.sandbox.find_order(urllib.parse.unquote(order_id))
        if order is None:
            self._json({"error": "unknown order"}, 404)
            return
        steps = data.get("steps", 1)
        sent = self.sandbox.advance_order(order, None if steps == "all" else int(steps))
        self._json({"sent": sent, "pending": order.get("pending", [])})


class SandboxServer:
    """Run the sandbox in a daemon thread (tests) or in the foreground (CLI).

    ``srv = SandboxServer(port=0).start()``; ``srv.url``; ``srv.stop()``.
    """

    def __init__(
        self,
        host="127.0.0.1",
        port=0,
        public_host="localhost",
        dtd_dir=None,
        accounts=None,
    ):
        self.sandbox = Sandbox(dtd_dir=dtd_dir, accounts=accounts)
        self.httpd = _HTTPServer((host, port), Handler)
        self.httpd.sandbox = self.sandbox
        self.host = host
        self.port = self.httpd.server_address[1]
        self.url = f"http://{public_host or host}:{self.port}"
        self.sandbox.url = self.url
        self._thread = None

    def start(self):
        self._thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="amazon-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self):
        self.httpd.serve_forever(poll_interval=0.2)

    def stop(self):
        self.sandbox.stop_event.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # === STATE AND CONFIGURATION (mirrors /_sandbox/) === #

    def reset(self):
        self.sandbox.reset()

    def configure_account(self, identity, **settings):
        return self.sandbox.configure_account(identity, **settings)

    def set_faults(self, spec, identity=None):
        return self.sandbox.set_faults(spec, identity)

    def state(self):
        return self.sandbox.snapshot()

    def accounts(self):
        return self.sandbox.snapshot("accounts")

    def sessions(self):
        return self.sandbox.snapshot("sessions")

    def carts(self):
        return self.sandbox.snapshot("carts")

    def orders(self):
        return self.sandbox.snapshot("orders")

    def callbacks(self):
        return self.sandbox.snapshot("callbacks")

    def fill_cart(self, session_id, items, options=None):
        return self.sandbox.fill_cart(session_id, items, options)

    def advance(self, order_id, steps=1):
        order = self.sandbox.find_order(order_id)
        if order is None:
            raise KeyError(order_id)
        return self.sandbox.advance_order(order, steps)

    def wait_for_callbacks(self, count, timeout=5.0, predicate=None):
        """Wait until ``count`` callback attempts (matching predicate) exist."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.callbacks() if predicate is None or predicate(c)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    def wait_for_order(self, order_id, status="done", timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            order = self.sandbox.find_order(order_id)
            if order is not None and order.get("status") == status:
                return self.sandbox._public_order(order)
            time.sleep(0.02)
        order = self.sandbox.find_order(order_id)
        return self.sandbox._public_order(order) if order else None
