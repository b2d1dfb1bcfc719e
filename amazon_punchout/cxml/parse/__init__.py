# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hardened, lenient cXML parsing: bytes -> dataclasses + warnings.

``load`` reads bytes safely; ``cart``, ``responses``, ``fulfill``,
``invoice`` and ``orders`` map one document family each, with the steps of
``common``. Parsing is lenient about what real senders do (no DOCTYPE, odd
timestamps, missing UoM, ...) and reports it as warnings (doc §7). Malformed
or hostile input raises a :class:`~..exceptions.CXMLError` subclass, never
another exception.
"""

from dataclasses import replace

from ..const import DTD_CXML, DTD_FAMILY, MAX_DEPTH, MAX_SIZE
from ..exceptions import CXMLError, CXMLParseError, CXMLUnsupportedError
from ..model import CXMLDocument
from .cart import punchout_order_message
from .common import XML_LANG, header, timestamp
from .fulfill import confirmation_request, ship_notice_request
from .invoice import invoice_detail_request
from .load import load_xml
from .orders import order_request, punchout_setup_request
from .responses import response

__all__ = ["dtd_family", "load_xml", "parse", "parse_cart"]

#: document type -> parser(element, warnings)
_PARSERS = {
    "PunchOutOrderMessage": punchout_order_message,
    "ConfirmationRequest": confirmation_request,
    "ShipNoticeRequest": ship_notice_request,
    "InvoiceDetailRequest": invoice_detail_request,
}
#: our own requests, read back: parser(element, warnings, envelope values)
_OWN_PARSERS = {
    "PunchOutSetupRequest": punchout_setup_request,
    "OrderRequest": order_request,
}
_ENVELOPES = ("Request", "Message", "Response")


def dtd_family(name):
    """DTD file of a document type (or of a parsed ``cXML`` root element)."""
    if name is not None and not isinstance(name, str):
        envelope = next((el for el in name if el.tag in _ENVELOPES), None)
        inner = (
            next((el for el in envelope if el.tag != "Status"), None)
            if envelope is not None
            else None
        )
        name = inner.tag if inner is not None else None
    return DTD_FAMILY.get(name or "", DTD_CXML)


def _check_root(root):
    tag = str(root.tag)[:60]
    if tag == "cXML":
        return
    if tag.lower() == "cxml":
        raise CXMLParseError(
            f"Root element is <{tag}>, expected <cXML> "
            "(XML element names are case-sensitive)"
        )
    raise CXMLParseError(f"Root element is <{tag}>, expected <cXML>")


def _doctype_warnings(root):
    docinfo = root.getroottree().docinfo
    if not docinfo.doctype:
        return ["no DOCTYPE"]
    url = (docinfo.system_url or "").lower()
    if url and not url.startswith(("http://xml.cxml.org/", "https://xml.cxml.org/")):
        return ["DOCTYPE names a non-cXML DTD (not loaded)"]
    return []


def _document(root, warnings):
    _check_root(root)
    timestamp_raw = root.get("timestamp")
    values = {
        "payload_id": root.get("payloadID"),
        "timestamp": timestamp(timestamp_raw, "timestamp", warnings),
        "header": header(root.find("Header"), warnings),
        "deployment_mode": None,
    }
    if not values["payload_id"]:
        warnings.append("payloadID missing")
    envelope = next((el for el in root if el.tag in _ENVELOPES), None)
    if envelope is None:
        raise CXMLParseError("cXML document without Request, Message or Response")
    status = None
    if envelope.tag == "Response":
        doc_type, status, body = response(envelope, warnings)
    else:
        if values["header"] is None:
            warnings.append(f"{envelope.tag} without Header")
        values["deployment_mode"] = envelope.get("deploymentMode") or "production"
        inner = next(iter(envelope), None)
        if inner is None:
            raise CXMLParseError(f"empty <{envelope.tag}>")
        doc_type = inner.tag
        body = None
        if doc_type in _PARSERS:
            body = _PARSERS[doc_type](inner, warnings)
        elif doc_type in _OWN_PARSERS:
            body = _OWN_PARSERS[doc_type](inner, warnings, values)
        else:
            warnings.append(f"{doc_type}: document type not mapped, body omitted")
    return CXMLDocument(
        doc_type=doc_type,
        payload_id=values["payload_id"],
        timestamp=values["timestamp"],
        timestamp_raw=timestamp_raw,
        version=root.get("version"),
        deployment_mode=values["deployment_mode"],
        header=values["header"],
        status=status,
        body=body,
        warnings=tuple(warnings),
        lang=root.get(XML_LANG),
        doctype_system_url=root.getroottree().docinfo.system_url,
        envelope=envelope.tag,
    )


def parse(data, *, max_size=MAX_SIZE, max_depth=MAX_DEPTH):
    """Parse any cXML document into a :class:`CXMLDocument`.

    :raise CXMLParseError: malformed, hostile or oversized input (cXML 400)
    """
    root = load_xml(data, max_size=max_size, max_depth=max_depth)
    warnings = _doctype_warnings(root)
    try:
        return _document(root, warnings)
    except CXMLError:
        raise
    except Exception as exc:  # noqa: BLE001 - defensive: only CXMLError leaves
        raise CXMLParseError(f"Unusable cXML document ({type(exc).__name__})") from None


def parse_cart(data, **kwargs):
    """Parse a PunchOutOrderMessage; other document types are refused."""
    document = parse(data, **kwargs)
    if document.doc_type != "PunchOutOrderMessage":
        raise CXMLUnsupportedError(
            f"expected a PunchOutOrderMessage, got {document.doc_type}", 406
        )
    return document
