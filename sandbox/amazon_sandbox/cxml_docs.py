# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The sandbox's own small cXML toolkit: safe parser, DTD validator, builders.

Independent from the addon's cXML layer on purpose: the simulator must not
share bugs with the code it tests.
"""

import os
import re
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from lxml import etree

CXML_VERSION = "1.2.069"
DOCTYPE_URL = "http://xml.cxml.org/schemas/cXML/{}/{}".format(CXML_VERSION, "%s")
USER_AGENT = "Amazon LLC eProcurement Application"
AMAZON_DUNS = "128990368"
AMAZON_SHIPPER_NETWORK_ID = "1122334455"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_BYTES = 2 * 1024 * 1024

DEFAULT_DTD_DIR = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "cxml"
    / "dtd"
    / CXML_VERSION
)
DEFAULT_DTD_DIR = Path(os.environ.get("CXML_DTD_DIR") or DEFAULT_DTD_DIR)  # bin/test


class CXMLError(Exception):
    """A request that must be answered with a cXML error status."""

    def __init__(self, code, text, detail=""):
        super().__init__(f"{code} {text} {detail}")
        self.code = code
        self.text = text
        self.detail = detail


# === PARSING === #


def safe_parser():
    return etree.XMLParser(
        load_dtd=False,
        no_network=True,
        resolve_entities=False,
        remove_blank_text=False,
        huge_tree=False,
    )


def parse(data):
    """Parse bytes safely: no DTD loading, no network, no entity expansion.

    :raise CXMLError: 400 when the body is too large, not XML, or declares
        entities in an internal DTD subset.
    """
    if len(data) > MAX_BYTES:
        raise CXMLError(400, "Bad Request", f"Document larger than {MAX_BYTES} bytes")
    if not data.strip():
        raise CXMLError(400, "Bad Request", "Empty request body")
    try:
        tree = etree.fromstring(data, safe_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise CXMLError(400, "Bad Request", f"Malformed XML: {exc}") from exc
    internal = tree.docinfo.internalDTD
    if internal is not None and (
        list(internal.entities()) or list(internal.elements())
    ):
        raise CXMLError(400, "Bad Request", "Internal DTD subsets are not accepted")
    if tree.getroot().tag != "cXML":
        raise CXMLError(400, "Bad Request", "Root element must be cXML")
    return tree


_SECRET_RE = re.compile(r"(<SharedSecret\b[^>]*>)(.*?)(</SharedSecret>)", re.DOTALL)


def redact_xml(xml):
    """Hide SharedSecret values in a document kept for introspection."""
    return _SECRET_RE.sub(r"\1***\3", xml)


def text(node, path, default=""):
    if node is None:
        return default
    found = node.find(path)
    if found is None or found.text is None:
        return default
    return found.text.strip()


# === DTD VALIDATION === #


class Validator:
    """Validate documents against the local cXML DTDs (never the network)."""

    _cache = {}
    _lock = threading.Lock()

    def __init__(self, dtd_dir=None):
        self.dtd_dir = Path(dtd_dir) if dtd_dir else DEFAULT_DTD_DIR

    @property
    def available(self):
        return (self.dtd_dir / "cXML.dtd").is_file()

    @staticmethod
    def family(root):
        request = root.find("Request")
        if request is not None and len(request):
            tag = request[0].tag
            if tag in ("ConfirmationRequest", "ShipNoticeRequest"):
                return "Fulfill.dtd"
            if tag == "InvoiceDetailRequest":
                return "InvoiceDetail.dtd"
        return "cXML.dtd"

    def _dtd(self, name):
        path = str(self.dtd_dir / name)
        with self._lock:
            if path not in self._cache:
                self._cache[path] = etree.DTD(path)
            return self._cache[path]

    def validate(self, doc, family=None):
        """Return a dict ``{checked, valid, dtd, errors}``; accepts bytes or tree."""
        tree = parse(doc) if isinstance(doc, bytes | str) else doc
        if isinstance(tree, str):
            tree = parse(tree.encode())
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        name = family or self.family(root)
        if not self.available:
            return {"checked": False, "valid": None, "dtd": name, "errors": []}
        dtd = self._dtd(name)
        with self._lock:
            valid = dtd.validate(root)
            errors = [str(e) for e in dtd.error_log.filter_from_errors()]
        return {"checked": True, "valid": bool(valid), "dtd": name, "errors": errors}


# === BUILDING === #


def now():
    return datetime.now(UTC).astimezone()


def timestamp(moment=None):
    """ISO 8601 with a ``±hh:mm`` offset, no fractions."""
    return (moment or now()).replace(microsecond=0).isoformat()


def later(days):
    return timestamp(now() + timedelta(days=days))


def payload_id(host="amazon.com"):
    millis = int(time.time() * 1000)
    return f"{millis}.{os.getpid()}.{secrets.token_hex(6)}@{host}"


def digits(count):
    return "".join(str(secrets.randbelow(10)) for _ in range(count))


def amazon_order_number():
    return f"{digits(3)}-{digits(7)}-{digits(7)}"


def el(parent, tag, text_=None, **attrs):
    """Append a child element; ``lang`` becomes ``xml:lang``; None attrs skipped."""
    lang = attrs.pop("lang", None)
    node = etree.SubElement(parent, tag) if parent is not None else etree.Element(tag)
    if lang:
        node.set(XML_LANG, lang)
    for key, value in attrs.items():
        if value is not None:
            node.set(key, str(value))
    if text_ is not None:
        node.text = str(text_)
    return node


def envelope(lang="en-US", payload=None):
    root = etree.Element("cXML")
    root.set("payloadID", payload or payload_id())
    root.set("timestamp", timestamp())
    root.set(XML_LANG, lang)
    return root


def credential(parent, domain, identity, secret=None):
    cred = el(parent, "Credential", domain=domain)
    el(cred, "Identity", identity)
    if secret is not None:
        el(cred, "SharedSecret", secret)
    return cred


def header(root, from_creds, to_creds, sender_creds):
    """Each *_creds is a list of (domain, identity[, secret]) tuples."""
    head = el(root, "Header")
    for tag, creds in (
        ("From", from_creds),
        ("To", to_creds),
        ("Sender", sender_creds),
    ):
        part = el(head, tag)
        for cred in creds:
            credential(part, *cred)
    el(head.find("Sender"), "UserAgent", USER_AGENT)
    return head


def serialize(root, family="cXML.dtd", doctype=True):
    body = etree.tostring(root, encoding="unicode")
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if doctype:
        prolog += '<!DOCTYPE cXML SYSTEM "%s">\n' % (DOCTYPE_URL % family)
    return (prolog + body).encode("utf-8")


def response(code, text_, detail="", lang="en-US", omit_text=False):
    root = envelope(lang)
    resp = el(root, "Response")
    status = el(resp, "Status", detail or None, code=code)
    if not omit_text:
        status.set("text", text_)
    if detail:
        status.set(XML_LANG, lang)
    return root


def malformed_response():
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<cXML payloadID="x"><Response>'


def money(parent, tag, amount, currency):
    holder = el(parent, tag) if tag else parent
    el(holder, "Money", amount, currency=currency)
    return holder


def tax(parent, amount, currency, lang, label, detail=None):
    """``detail`` = (category, rate, taxable) adds one TaxDetail."""
    node = el(parent, "Tax")
    el(node, "Money", amount, currency=currency)
    el(node, "Description", label, lang=lang)
    if detail:
        category, rate, taxable = detail
        tdet = el(
            node,
            "TaxDetail",
            category=category,
            percentageRate=f"{rate:.2f}",
            purpose="subtotalTax",
        )
        money(tdet, "TaxableAmount", taxable, currency)
        money(tdet, "TaxAmount", amount, currency)
    return node


def shipping(parent, amount, currency, lang, label):
    node = el(parent, "Shipping")
    el(node, "Money", amount, currency=currency)
    el(node, "Description", label, lang=lang)
    return node


# === DOCUMENTS AMAZON SENDS === #


def amazon_from():
    return [("DUNS", AMAZON_DUNS), ("NetworkId", "Amazon")]


def buyer_to(identity):
    return [("NetworkId", identity)]


def setup_response(start_url, omit_status_text=False):
    root = response(200, "OK", omit_text=omit_status_text)
    resp = root.find("Response")
    start = el(el(resp, "PunchOutSetupResponse"), "StartPage")
    el(start, "URL", start_url)
    return root


def order_message(cart, doctype=True):
    """Build a PunchOutOrderMessage from a computed cart (see server.price_cart)."""
    mkt, cur, lang = cart["marketplace"], cart["currency"], cart["lang"]
    root = envelope(lang, cart["payload_id"])
    header(root, amazon_from(), buyer_to(cart["identity"]), amazon_from())
    msg = el(root, "Message")
    if cart["test"]:
        msg.set("deploymentMode", "test")
    poom = el(msg, "PunchOutOrderMessage")
    el(poom, "BuyerCookie", cart["buyer_cookie"])
    head = el(poom, "PunchOutOrderMessageHeader", operationAllowed="create")
    money(head, "Total", cart["total"], cur)
    if cart["options"]["header_tax_shipping"]:
        shipping(
            head, cart["shipping"], cur, lang, "Shipping (not including shipping tax)"
        )
        tax(head, cart["tax"], cur, lang, "Tax (including shipping tax)")
    for line in cart["lines"]:
        _item_in(poom, line, cart, mkt)
    return serialize(root, "cXML.dtd", doctype)


def _item_in(poom, line, cart, mkt):
    cur, lang, opts = cart["currency"], cart["lang"], cart["options"]
    item = el(poom, "ItemIn", quantity=line["quantity"])
    iid = el(item, "ItemID")
    el(iid, "SupplierPartID", line["asin"])
    el(iid, "SupplierPartAuxiliaryID", line["aux_id"])
    det = el(item, "ItemDetail")
    money(det, "UnitPrice", line["price"], cur)
    el(det, "Description", line["title"], lang=lang)
    if not opts["omit_uom_classification"]:
        el(det, "UnitOfMeasure", "EA")
        el(det, "Classification", line["unspsc"], domain="UNSPSC")
    el(det, "ManufacturerPartID", line["manufacturer_part_id"])
    el(det, "ManufacturerName", line["manufacturer"])
    if opts["extrinsics"]:
        for name in ("soldBy", "fulfilledBy", "category", "detailPageURL"):
            el(det, "Extrinsic", line["extrinsics"][name], name=name)
        if mkt == "DE":
            el(det, "Extrinsic", "NA", name="UPC")
    if opts["line_tax"]:
        shipping(item, line["shipping"], cur, lang, "Shipping")
        detail = (cart["tax_category"], line["tax_rate"], line["subtotal"])
        tax(item, line["tax"], cur, lang, cart["tax_label"], detail)


def _callback_root(account, order, from_creds):
    """Envelope of a document Amazon posts to the buyer, authenticated per the
    account's ``inbound_auth`` (``account[name]`` reads a setting)."""
    identity = account.identity
    root = envelope(order.lang)
    if account["inbound_auth"] == "shared_secret":
        sender = [("NetworkId", identity, account["shared_secret"])]
    else:
        sender = from_creds
    header(root, from_creds, buyer_to(identity), sender)
    request = el(root, "Request")
    if order.test:
        request.set("deploymentMode", "test")
    return root, request


def _order_reference(parent, order):
    ref = el(parent, "OrderReference", orderID=order.order_id)
    if order.order_date:
        ref.set("orderDate", order.order_date)
    el(ref, "DocumentReference", payloadID=order.payload_id)
    return ref


def confirmation(account, order, group):
    """ConfirmationRequest for one Amazon order (group) or a reject group."""
    lang, cur = order.lang, order.currency
    root, request = _callback_root(account, order, [("NetworkId", "Amazon")])
    conf = el(request, "ConfirmationRequest")
    head = el(
        conf,
        "ConfirmationHeader",
        type=group["type"],
        noticeDate=timestamp(),
        operation="new",
        confirmID=group.get("amazon_order"),
    )
    if group["type"] == "reject":
        el(head, "Comments", group["reason"], lang=lang)
    else:
        money(head, "Total", group["total"], cur)
    _order_reference(conf, order)
    for line in group["lines"]:
        citem = el(conf, "ConfirmationItem", quantity=line["quantity"])
        citem.set("lineNumber", str(line["line_number"]))
        el(citem, "UnitOfMeasure", line["uom"])
        status = el(citem, "ConfirmationStatus", quantity=line["quantity"])
        status.set("type", line["status"])
        if line["status"] == "backordered":
            status.set("deliveryDate", line["delivery_date"])
        el(status, "UnitOfMeasure", line["uom"])
        if line["status"] == "reject":
            el(status, "Comments", group["reason"], lang=lang)
            continue
        money(status, "UnitPrice", line["price"], cur)
        el(status, "Comments", group["amazon_order"], type="confirmID", lang=lang)
    return root


def ship_notice(account, order, shipment):
    from_creds = [("NetworkId", AMAZON_SHIPPER_NETWORK_ID)]
    root, request = _callback_root(account, order, from_creds)
    sn = el(request, "ShipNoticeRequest")
    el(
        sn,
        "ShipNoticeHeader",
        shipmentID=shipment["shipment_id"],
        operation="new",
        noticeDate=timestamp(),
        shipmentDate=shipment["shipment_date"],
        deliveryDate=shipment["delivery_date"],
        shipmentType="actual",
        fulfillmentType=shipment["fulfillment_type"],
    )
    ctrl = el(sn, "ShipControl")
    el(ctrl, "CarrierIdentifier", shipment["carrier"], domain="companyName")
    el(ctrl, "ShipmentIdentifier", shipment["tracking"])
    el(ctrl, "PackageIdentification", rangeBegin=1, rangeEnd=1)
    portion = el(sn, "ShipNoticePortion")
    _order_reference(portion, order)
    # Amazon lists the shipped items in no particular order.
    for line in reversed(shipment["lines"]):
        sitem = el(sn.find("ShipNoticePortion"), "ShipNoticeItem")
        sitem.set("quantity", str(line["quantity"]))
        sitem.set("lineNumber", str(line["line_number"]))
        iid = el(sitem, "ItemID")
        el(iid, "SupplierPartID", line["asin"])
        el(iid, "SupplierPartAuxiliaryID", line["aux_id"])
        el(sitem, "UnitOfMeasure", line["uom"])
    return root


def invoice(account, order, shipment, header=False):
    """InvoiceDetailRequest of one shipment; ``header``: only the order's totals."""
    lang, cur = order.lang, order.currency
    root, request = _callback_root(account, order, [("NetworkId", "Amazon")])
    inv = el(request, "InvoiceDetailRequest")
    head = el(
        inv,
        "InvoiceDetailRequestHeader",
        invoiceID=shipment["invoice_id"],
        purpose="standard",
        operation="new",
        invoiceDate=timestamp(),
    )
    if header:
        el(head, "InvoiceDetailHeaderIndicator", isHeaderInvoice="yes")
        el(head, "InvoiceDetailLineIndicator")
    else:
        el(head, "InvoiceDetailHeaderIndicator")
        el(
            head,
            "InvoiceDetailLineIndicator",
            isTaxInLine="yes",
            isShippingInLine="yes",
        )
    totals = shipment["totals"]
    if header:
        _header_order(inv, order, shipment)
    else:
        ido = el(inv, "InvoiceDetailOrder")
        info = el(ido, "InvoiceDetailOrderInfo")
        _order_reference(info, order)
        el(info, "SupplierOrderInfo", orderID=shipment["amazon_order"])
        sni = el(ido, "InvoiceDetailShipNoticeInfo")
        el(sni, "ShipNoticeIDInfo", shipNoticeID=shipment["shipment_id"])
        for index, line in enumerate(shipment["lines"], start=1):
            _invoice_item(ido, index, line, order, shipment)
    summary = el(inv, "InvoiceDetailSummary")
    money(summary, "SubtotalAmount", totals["subtotal"], cur)
    rate = shipment["lines"][0]["tax_rate"]
    detail = (order.tax_category, rate, totals["subtotal"]) if header else None
    tax(summary, totals["tax"], cur, lang, order.tax_label, detail)
    money(summary, "ShippingAmount", totals["shipping"], cur)
    money(summary, "GrossAmount", totals["gross"], cur)
    money(summary, "NetAmount", totals["gross"], cur)
    money(summary, "DueAmount", totals["gross"], cur)
    return root


def _header_order(parent, order, shipment):
    """InvoiceDetailHeaderOrder: the order's amounts without item lines."""
    cur = order.currency
    totals = shipment["totals"]
    iho = el(parent, "InvoiceDetailHeaderOrder")
    info = el(iho, "InvoiceDetailOrderInfo")
    _order_reference(info, order)
    el(info, "SupplierOrderInfo", orderID=shipment["amazon_order"])
    summary = el(iho, "InvoiceDetailOrderSummary", invoiceLineNumber=1)
    money(summary, "SubtotalAmount", totals["subtotal"], cur)
    money(summary, "GrossAmount", totals["gross"], cur)
    money(summary, "NetAmount", totals["gross"], cur)


def credit_memo(account, order, credit):
    """A line-level credit memo for returned units: negative amounts."""
    lang, cur = order.lang, order.currency
    root, request = _callback_root(account, order, [("NetworkId", "Amazon")])
    inv = el(request, "InvoiceDetailRequest")
    head = el(
        inv,
        "InvoiceDetailRequestHeader",
        invoiceID=credit["invoice_id"],
        purpose="lineLevelCreditMemo",
        operation="new",
        invoiceDate=timestamp(),
    )
    el(head, "InvoiceDetailHeaderIndicator")
    el(head, "InvoiceDetailLineIndicator", isTaxInLine="yes")
    el(head, "InvoiceIDInfo", invoiceID=credit["original_invoice_id"])
    ido = el(inv, "InvoiceDetailOrder")
    info = el(ido, "InvoiceDetailOrderInfo")
    _order_reference(info, order)
    el(info, "SupplierOrderInfo", orderID=credit["amazon_order"])

    def neg(value):
        return "-" + value if value.strip("0.") else value

    for index, line in enumerate(credit["lines"], start=1):
        item = el(ido, "InvoiceDetailItem", invoiceLineNumber=index)
        item.set("quantity", "-" + str(line["quantity"]))
        item.set("reason", "return")
        el(item, "UnitOfMeasure", line["uom"])
        money(item, "UnitPrice", line["price"], cur)
        ref = el(item, "InvoiceDetailItemReference", lineNumber=line["line_number"])
        iid = el(ref, "ItemID")
        el(iid, "SupplierPartID", line["asin"])
        el(iid, "SupplierPartAuxiliaryID", line["aux_id"])
        el(ref, "Description", line["description"], lang=lang)
        money(item, "SubtotalAmount", neg(line["subtotal"]), cur)
        detail = (order.tax_category, line["tax_rate"], neg(line["subtotal"]))
        tax(item, neg(line["tax"]), cur, lang, order.tax_label, detail)
        money(item, "GrossAmount", neg(line["gross"]), cur)
        money(item, "NetAmount", neg(line["gross"]), cur)
    totals = credit["totals"]
    summary = el(inv, "InvoiceDetailSummary")
    money(summary, "SubtotalAmount", neg(totals["subtotal"]), cur)
    tax(summary, neg(totals["tax"]), cur, lang, order.tax_label)
    money(summary, "GrossAmount", neg(totals["gross"]), cur)
    money(summary, "NetAmount", neg(totals["gross"]), cur)
    money(summary, "DueAmount", neg(totals["gross"]), cur)
    return root


def _invoice_item(parent, index, line, order, shipment):
    lang, cur = order.lang, order.currency
    item = el(parent, "InvoiceDetailItem", invoiceLineNumber=index)
    item.set("quantity", str(line["quantity"]))
    el(item, "UnitOfMeasure", line["uom"])
    money(item, "UnitPrice", line["price"], cur)
    ref = el(item, "InvoiceDetailItemReference", lineNumber=line["line_number"])
    iid = el(ref, "ItemID")
    el(iid, "SupplierPartID", line["asin"])
    el(iid, "SupplierPartAuxiliaryID", line["aux_id"])
    el(ref, "Description", line["description"], lang=lang)
    money(item, "SubtotalAmount", line["subtotal"], cur)
    detail = (order.tax_category, line["tax_rate"], line["subtotal"])
    tax(item, line["tax"], cur, lang, order.tax_label, detail)
    lship = el(item, "InvoiceDetailLineShipping")
    ids = el(lship, "InvoiceDetailShipping", shippingDate=shipment["shipment_date"])
    for role, name in (("shipFrom", "Amazon"), ("shipTo", order.ship_to_name)):
        el(el(ids, "Contact", role=role), "Name", name, lang=lang)
    el(lship, "Money", line["shipping"], currency=cur)
    money(item, "GrossAmount", line["gross"], cur)
    money(item, "NetAmount", line["gross"], cur)
