# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures: a sandbox on loopback, cXML request builders, a buyer receiver."""

import base64
import importlib
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "sandbox"))
sys.path.insert(0, str(REPO / "bin"))

# Imported by name after the path change (keeps imports at the top for linters).
SandboxServer = importlib.import_module("amazon_sandbox").SandboxServer
Validator = importlib.import_module("amazon_sandbox.cxml_docs").Validator
cxml_dtd = importlib.import_module("cxml_dtd")

IDENTITY = "PunchoutGroup1000"
SECRET = "test-secret-1"
PARSER = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# The DTDs as every suite finds them (bin/cxml_dtd.py); the sandboxes use them too.
DTD_DIR, DTD_MISSING = cxml_dtd.find()
VALIDATOR = Validator(DTD_DIR)


def pytest_terminal_summary(terminalreporter):
    for line in (DTD_MISSING, cxml_dtd.skipped_summary()):
        if line:
            terminalreporter.write_line(line)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


def http(url, data=None, headers=None, method=None, opener=OPENER, timeout=10):
    """Return (status, headers, body bytes) without raising on HTTP errors."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    req = urllib.request.Request(url, data, headers or {}, method=method)
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def post_json(url, payload):
    status, _h, body = http(
        url, json.dumps(payload), {"Content-Type": "application/json"}
    )
    return status, json.loads(body)


def post_xml(url, xml, headers=None):
    return http(
        url, xml, {"Content-Type": "text/xml; charset=UTF-8", **(headers or {})}
    )


def parse(body):
    return etree.fromstring(body, PARSER)


def status_of(body):
    status = parse(body).find("Response/Status")
    return int(status.get("code")), status.get("text"), (status.text or "")


def have_dtds():
    """True with DTDs. Without (a clone without ../shared), the current test's DTD
    checks are noted as skipped and its other checks still run; under CI it fails."""
    if VALIDATOR.available:
        return True
    if cxml_dtd.required():
        pytest.fail(f"CI=true: {DTD_MISSING}")
    cxml_dtd.note_skipped(cxml_dtd.NO_DTDS)
    return False


def require_dtds():
    """For tests of DTD validation itself: skipped without DTDs."""
    if not have_dtds():
        pytest.skip(DTD_MISSING)


def assert_valid(xml, family=None):
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    if not have_dtds():
        return
    result = VALIDATOR.validate(xml, family)
    assert result["checked"], "DTDs not found"
    assert result["valid"], result["errors"]


def assert_recorded_valid(records):
    """The sandbox's own validations (``validation`` dicts, callback records):
    all DTD-valid, or all unchecked (``valid`` None) when it has no DTDs."""
    if not have_dtds():
        assert all(r["valid"] is None for r in records), records
        return
    assert all(r["valid"] is True for r in records), records


def setup_xml(
    identity=IDENTITY,
    secret=SECRET,
    email="jane@corp.example",
    to="Amazon",
    operation="create",
    cookie="cookie-123",
    return_url="http://127.0.0.1:8069/amazon_punchout/return/tok",
    secret_under_from=False,
    deployment=None,
):
    from_secret = f"<SharedSecret>{secret}</SharedSecret>" if secret_under_from else ""
    sender_secret = (
        "" if secret_under_from else f"<SharedSecret>{secret}</SharedSecret>"
    )
    email_xml = f'<Extrinsic name="UserEmail">{email}</Extrinsic>' if email else ""
    contact = (
        '<Contact role="endUser"><Name xml:lang="en-US">Jane Doe</Name>'
        f"<Email>{email}</Email></Contact>"
        if email
        else '<Contact role="endUser"><Name xml:lang="en-US">Jane Doe</Name></Contact>'
    )
    mode = f' deploymentMode="{deployment}"' if deployment else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd">
<cXML payloadID="1767225600.1.setup@odoo.example" timestamp="2026-01-01T00:00:00+00:00">
<Header><From><Credential domain="NetworkId"><Identity>{identity}</Identity>
{from_secret}</Credential></From><To><Credential domain="NetworkId">
<Identity>{to}</Identity>
</Credential></To><Sender><Credential domain="NetworkId"><Identity>{identity}</Identity>
{sender_secret}</Credential><UserAgent>Odoo 19 amazon_punchout</UserAgent></Sender>
</Header><Request{mode}><PunchOutSetupRequest operation="{operation}">
<BuyerCookie>{cookie}</BuyerCookie>{email_xml}
<Extrinsic name="UserBusinessUnit">Purchasing</Extrinsic>
<BrowserFormPost><URL>{return_url}</URL></BrowserFormPost>{contact}
</PunchOutSetupRequest></Request></cXML>"""


ADDRESS = """<Address><Name xml:lang="en-US">Corp Inc.</Name><PostalAddress>
<Street>1 Main St</Street><City>Springfield</City>{postal}
<Country isoCountryCode="US">United States</Country></PostalAddress></Address>"""


def order_xml(
    lines,
    order_id="PO0001",
    payload="1767225600.2.order@odoo.example",
    currency="USD",
    type_="new",
    deployment=None,
    secret=SECRET,
    ship_to=True,
    postal=True,
    payment=False,
    total=None,
    price_factor=Decimal(1),
):
    """lines: issued cart lines (dicts with asin, aux_id, price, quantity)."""
    postal_xml = "<PostalCode>12345</PostalCode>" if postal else ""
    address = ADDRESS.format(postal=postal_xml)
    items, computed = [], Decimal(0)
    for number, line in enumerate(lines, start=1):
        price = Decimal(line["price"]) * price_factor
        computed += price * Decimal(line["quantity"])
        items.append(
            f"""<ItemOut quantity="{line["quantity"]}" lineNumber="{number * 10}">
<ItemID><SupplierPartID>{line["asin"]}</SupplierPartID>
<SupplierPartAuxiliaryID>{line["aux_id"]}</SupplierPartAuxiliaryID></ItemID>
<ItemDetail><UnitPrice><Money currency="{currency}">{price}</Money></UnitPrice>
<Description xml:lang="en-US">{line.get("title", "x")}</Description>
<UnitOfMeasure>EA</UnitOfMeasure><Classification domain="UNSPSC">1</Classification>
</ItemDetail></ItemOut>"""
        )
    total = computed if total is None else total
    mode = f' deploymentMode="{deployment}"' if deployment else ""
    ship = f"<ShipTo>{address}</ShipTo>" if ship_to else ""
    pay = (
        '<Payment><PCard number="4111111111111111" expiration="2030-01-01"/></Payment>'
        if payment
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd">
<cXML payloadID="{payload}" timestamp="2026-01-01T00:00:00+00:00">
<Header><From><Credential domain="NetworkId"><Identity>{IDENTITY}</Identity>
</Credential></From><To><Credential domain="NetworkId"><Identity>Amazon</Identity>
</Credential></To>
<Sender><Credential domain="NetworkId"><Identity>{IDENTITY}</Identity>
<SharedSecret>{secret}</SharedSecret></Credential><UserAgent>Odoo</UserAgent></Sender>
</Header><Request{mode}><OrderRequest>
<OrderRequestHeader orderID="{order_id}" orderDate="2026-01-01T00:00:00+00:00"
 type="{type_}">
<Total><Money currency="{currency}">{total}</Money></Total>{ship}
<BillTo>{address}</BillTo>{pay}</OrderRequestHeader>{"".join(items)}
</OrderRequest></Request></cXML>"""


@pytest.fixture
def srv():
    server = SandboxServer(
        dtd_dir=DTD_DIR,
        accounts={IDENTITY: {"shared_secret": SECRET, "retry": {"backoff": 0.01}}},
    ).start()
    yield server
    server.stop()


def start_session(srv, path="/punchout", **kwargs):
    status, _h, body = post_xml(srv.url + path, setup_xml(**kwargs))
    assert status == 200
    code, text, detail = status_of(body)
    assert code == 200, (code, text, detail)
    url = parse(body).findtext("Response/PunchOutSetupResponse/StartPage/URL")
    return url, srv.sessions()[-1]


def cart_lines(srv, items, options=None, **setup_kwargs):
    """Open a session and fill its cart through the convenience API."""
    _url, session = start_session(srv, **setup_kwargs)
    status, result = post_json(
        srv.url + "/_sandbox/sessions/{}/cart".format(session["id"]),
        {"items": items, "options": options or {}},
    )
    assert status == 200, result
    return result


def decode_form_value(result):
    if result["encoding"] == "base64":
        return base64.b64decode(result["value"])
    return result["value"].encode("utf-8")


class Receiver:
    """A tiny buyer endpoint recording what the sandbox posts to it."""

    def __init__(self, answers=None):
        self.received = []
        self.answers = list(answers or [])  # list of (http_status, cxml_code)
        self.lock = threading.Lock()
        receiver = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.received.append(
                        {"body": body, "headers": dict(self.headers), "path": self.path}
                    )
                    answer = receiver.answers.pop(0) if receiver.answers else (200, 200)
                http_status, cxml_code = answer
                out = (
                    '<?xml version="1.0"?><cXML payloadID="r@buyer" timestamp="2026-01-'
                    f'01T00:00:00+00:00"><Response><Status code="{cxml_code}" '
                    f'text="t{cxml_code}"/></Response></cXML>'
                ).encode()
                self.send_response(http_status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = (
            f"http://127.0.0.1:{self.httpd.server_address[1]}/amazon_punchout/cxml/tok"
        )
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def docs(self):
        with self.lock:
            return [parse(r["body"]) for r in self.received]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver():
    rec = Receiver()
    yield rec
    rec.close()


def quick_order(
    srv,
    items=None,
    options=None,
    order_id="PO0001",
    payload="1767225600.2.order@odoo.example",
    headers=None,
    **order_kwargs,
):
    result = cart_lines(srv, items or [{"asin": "B0SBX1PEN1", "quantity": 2}], options)
    xml = order_xml(result["lines"], order_id=order_id, payload=payload, **order_kwargs)
    status, _h, body = post_xml(srv.url + "/order", xml, headers)
    return result, status, body
