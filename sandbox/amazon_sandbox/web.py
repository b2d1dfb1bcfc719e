# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The sandbox's HTTP face: a werkzeug WSGI application (routes and views)."""

import json
import logging

from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from . import catalog, cxml_docs, pages
from .cxml_docs import CXMLError
from .faults import CALLBACK_FAULTS, DEFAULT_TIMEOUT_SLEEP, RESPONSE_FAULTS

_logger = logging.getLogger("amazon_sandbox")

API_PARTS = "state,sessions,carts,orders,callbacks,accounts,faults"

URL_MAP = Map(
    [
        Rule("/", endpoint="index", methods=["GET"]),
        Rule(
            "/eprocurement/initiate-clean-punchout/<token>",
            endpoint="start",
            methods=["GET"],
        ),
        Rule("/shop/<sid>/", endpoint="home", methods=["GET"]),
        Rule("/shop/<sid>/dp/<asin>", endpoint="product", methods=["GET"]),
        Rule("/shop/<sid>/cart", endpoint="cart", methods=["GET"]),
        Rule(
            "/shop/<sid>/cart/<any(add,update,remove):action>",
            endpoint="cart_change",
            methods=["POST"],
        ),
        Rule("/shop/<sid>/cart/submit", endpoint="submit", methods=["POST"]),
        Rule("/dp/<asin>", endpoint="public_product", methods=["GET"]),
        Rule("/punchout", endpoint="setup", methods=["POST"], defaults={"test": False}),
        Rule(
            "/punchout/test",
            endpoint="setup",
            methods=["POST"],
            defaults={"test": True},
        ),
        Rule("/order", endpoint="order", methods=["POST"]),
        Rule(f"/_sandbox/<any({API_PARTS}):part>", endpoint="api_get", methods=["GET"]),
        Rule("/_sandbox/orders/<order_id>", endpoint="api_order", methods=["GET"]),
        Rule("/_sandbox/reset", endpoint="api_reset", methods=["POST"]),
        Rule("/_sandbox/accounts", endpoint="api_accounts", methods=["POST"]),
        Rule("/_sandbox/faults", endpoint="api_faults", methods=["POST"]),
        Rule(
            "/_sandbox/sessions/<sid>/cart", endpoint="api_fill_cart", methods=["POST"]
        ),
        Rule(
            "/_sandbox/orders/<order_id>/advance",
            endpoint="api_advance",
            methods=["POST"],
        ),
    ]
)


class SandboxRequest(Request):
    # Bodies over the cap are refused (413) before they are read.
    max_content_length = cxml_docs.MAX_BYTES


def html(body, status=200):
    return Response(
        body,
        status,
        content_type="text/html; charset=utf-8",
        headers={"X-Frame-Options": "SAMEORIGIN", "Cache-Control": "no-store"},
    )


def as_json(data, status=200):
    body = json.dumps(data, indent=1, default=str, ensure_ascii=False)
    return Response(body, status, content_type="application/json; charset=utf-8")


def cxml(root, status=200):
    return Response(
        cxml_docs.serialize(root), status, content_type="text/xml; charset=UTF-8"
    )


def cxml_error(exc, status=200):
    return cxml(cxml_docs.response(exc.code, exc.text, exc.detail), status)


def plain(body, status):
    return Response(body, status, content_type="text/plain")


def json_body(request):
    data = request.get_data()
    return json.loads(data) if data.strip() else {}


class SandboxApp:
    """WSGI application over a :class:`~amazon_sandbox.sandbox.Sandbox`."""

    def __init__(self, sandbox):
        self.sandbox = sandbox

    def __call__(self, environ, start_response):
        request = SandboxRequest(environ)
        try:
            endpoint, args = URL_MAP.bind_to_environ(environ).match()
            response = getattr(self, "on_" + endpoint)(request, **args)
        except HTTPException as exc:
            response = exc
        except json.JSONDecodeError as exc:
            response = as_json({"error": f"invalid JSON body: {exc}"}, 400)
        except Exception:
            _logger.exception("sandbox handler for %s failed", request.path)
            response = plain("Internal sandbox error", 500)
        return response(environ, start_response)

    # === SHOP PAGES === #

    def on_index(self, request):
        accounts = self.sandbox.accounts.public().values()
        return html(pages.index(self.sandbox.url, accounts))

    def on_start(self, request, token):
        session, reason = self.sandbox.shop.consume_token(token)
        if session is None:
            text = {
                "used": "This punchout link has already been used.",
                "expired": "This punchout link has expired.",
            }.get(reason, "This punchout link is not valid.")
            return html(pages.message("Punchout link expired or used", text), 410)
        return redirect(f"/shop/{session.id}/", 303)

    def _open_session(self, sid):
        """Return (session, None) or (None, the error page)."""
        session = self.sandbox.shop.session(sid)
        if session is None:
            page = pages.message("Unknown session", "No such punchout session.")
            return None, html(page, 404)
        if session.status != "open":
            page = pages.message(
                "Punchout session ended",
                "This cart was already returned to your procurement system.",
            )
            return None, html(page, 410)
        return session, None

    def on_home(self, request, sid):
        session, error = self._open_session(sid)
        if error:
            return error
        query, cat = request.args.get("q", ""), request.args.get("cat")
        cat = cat if cat in catalog.CATEGORIES else None
        found = catalog.search(query, cat, session.marketplace)
        return html(pages.home(session, found, query, cat))

    def on_product(self, request, sid, asin):
        session, error = self._open_session(sid)
        if error:
            return error
        product = catalog.BY_ASIN.get(asin)
        if product is None:
            return html(pages.message("Not found", "Unknown ASIN.", session), 404)
        return html(pages.product_page(session, product, session.marketplace))

    def on_public_product(self, request, asin):
        product = catalog.BY_ASIN.get(asin)
        if product is None:
            return html(pages.message("Not found", "Unknown ASIN."), 404)
        mkt = request.args.get("marketplace", "US")
        mkt = mkt if mkt in catalog.MARKETPLACES else "US"
        return html(pages.product_page(None, product, mkt))

    def on_cart(self, request, sid):
        session, error = self._open_session(sid)
        return error or html(pages.cart_page(session))

    def on_cart_change(self, request, sid, action):
        session, error = self._open_session(sid)
        if error:
            return error
        try:
            qty = 0 if action == "remove" else int(request.form.get("quantity", "1"))
            self.sandbox.update_cart(
                sid, request.form.get("asin", ""), qty, add=action == "add"
            )
        except (KeyError, ValueError):
            page = pages.message(
                "Invalid request", "Unknown item or quantity.", session
            )
            return html(page, 400)
        return redirect(f"/shop/{sid}/cart", 303)

    def on_submit(self, request, sid):
        _session, error = self._open_session(sid)
        if error:
            return error
        try:
            result = self.sandbox.submit_cart(sid, request.args.to_dict())
        except ValueError as exc:
            return html(pages.message("Invalid request", str(exc)), 400)
        return html(result["form_html"])

    # === CXML ENDPOINTS === #

    def _parse_with_faults(self, request, kinds):
        """Read and parse a cXML body; return (tree or None, raw, fired faults).

        :raise RequestEntityTooLarge: over the size cap.
        """
        raw = request.get_data()
        spec = request.headers.get("X-Sandbox-Fault") or request.args.get("fault", "")
        try:
            tree = cxml_docs.parse(raw)
        except CXMLError:
            tree = None
        account, key = None, request.full_path
        if tree is not None:
            account = self.sandbox.accounts.identify(tree.getroot())
            key = tree.getroot().get("payloadID") or key
        faults = self.sandbox.faults.take(account, spec, key, kinds)
        return tree, raw, faults

    @staticmethod
    def _fault_response(faults):
        """The answer an error fault imposes, or None."""
        if "http500" in faults:
            return plain("Internal Server Error (sandbox fault)", 500)
        if "cxml500" in faults:
            return cxml(
                cxml_docs.response(
                    500, "Internal Server Error", "Sandbox fault cxml500"
                )
            )
        if "malformed" in faults:
            return Response(
                cxml_docs.malformed_response(),
                content_type="text/xml; charset=UTF-8",
            )
        return None

    def _delay(self, faults):
        wait = faults.get("latency") or 0
        if "timeout" in faults:
            wait = faults["timeout"] or DEFAULT_TIMEOUT_SLEEP
        if wait:
            self.sandbox.stop_event.wait(float(wait))

    def on_setup(self, request, test):
        try:
            tree, raw, faults = self._parse_with_faults(request, RESPONSE_FAULTS)
        except RequestEntityTooLarge:
            return cxml_error(
                CXMLError(400, "Request Entity Too Large", "Body too large")
            )
        error = self._fault_response(faults)
        if error:
            return error
        try:
            if tree is None:
                cxml_docs.parse(raw)  # raises the parse error
            session, account = self.sandbox.setup(tree, test)
            root = cxml_docs.setup_response(
                session.start_url, omit_status_text=not account["setup_status_text"]
            )
        except CXMLError as exc:
            root = cxml_docs.response(exc.code, exc.text, exc.detail)
        self._delay(faults)
        return cxml(root)

    def on_order(self, request):
        try:
            kinds = RESPONSE_FAULTS | CALLBACK_FAULTS
            tree, raw, faults = self._parse_with_faults(request, kinds)
        except RequestEntityTooLarge:
            error = CXMLError(400, "Request Entity Too Large", "Body too large")
            return cxml_error(error, 413)
        error = self._fault_response(faults)
        if error:
            return error
        callback_faults = {k: v for k, v in faults.items() if k in CALLBACK_FAULTS}
        code, text, detail = self.sandbox.receive_order(
            tree, raw, _basic_auth(request), callback_faults
        )
        # A wrong Basic header gets an HTTP 401 too; a missing one only the cXML 401.
        sent_auth = request.headers.get("Authorization") is not None
        self._delay(faults)
        return cxml(
            cxml_docs.response(code, text, detail),
            401 if code == 401 and sent_auth else 200,
        )

    # === INTROSPECTION API === #

    def on_api_get(self, request, part):
        return as_json(self.sandbox.snapshot(None if part == "state" else part))

    def on_api_order(self, request, order_id):
        order = self.sandbox.orders.find(order_id)
        if order is None:
            return as_json({"error": "unknown order"}, 404)
        return as_json(order.public())

    def on_api_reset(self, request):
        self.sandbox.reset()
        return as_json({"ok": True})

    def on_api_accounts(self, request):
        data = json_body(request)
        identity = data.pop("identity", None)
        if not identity:
            return as_json({"error": "identity is required"}, 400)
        try:
            return as_json(self.sandbox.accounts.configure(identity, **data))
        except (ValueError, TypeError) as exc:
            return as_json({"error": str(exc)}, 400)

    def on_api_faults(self, request):
        data = json_body(request)
        try:
            faults = self.sandbox.set_faults(
                data.get("fault", ""), data.get("identity")
            )
        except (ValueError, KeyError) as exc:
            return as_json({"error": str(exc)}, 400)
        return as_json({"faults": faults})

    def on_api_fill_cart(self, request, sid):
        data = json_body(request)
        try:
            result = self.sandbox.fill_cart(
                sid, data.get("items", []), data.get("options")
            )
        except KeyError as exc:
            return as_json({"error": f"unknown session or ASIN {exc}"}, 404)
        except ValueError as exc:
            return as_json({"error": str(exc)}, 409)
        return as_json(result)

    def on_api_advance(self, request, order_id):
        data = json_body(request)
        order = self.sandbox.orders.find(order_id)
        if order is None:
            return as_json({"error": "unknown order"}, 404)
        steps = data.get("steps", 1)
        sent = self.sandbox.fulfilment.advance(
            order, None if steps == "all" else int(steps)
        )
        return as_json({"sent": sent, "pending": order.pending})


def _basic_auth(request):
    """``"user:password"`` of an HTTP Basic header, else ``""``."""
    auth = request.authorization
    if auth is None or auth.type != "basic":
        return ""
    return f"{auth.username}:{auth.password}"
