# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pure-Python cXML layer of ``amazon_punchout`` (lxml + stdlib, no odoo).

Importable as ``odoo.addons.amazon_punchout.cxml`` and as top-level ``cxml``.
"""

from .auth import new_payload_id, redact, verify_shared_secret
from .build import (
    build_order_request,
    build_punchout_setup_request,
    build_response,
    order_total,
)
from .const import CXML_VERSION, MAX_DEPTH, MAX_SIZE
from .exceptions import (
    CXMLAuthError,
    CXMLError,
    CXMLParseError,
    CXMLSizeError,
    CXMLUnsupportedError,
)
from .form import decode_cart_form
from .jsonify import to_json_dict
from .model import (
    Address,
    Comment,
    ConfirmationItem,
    ConfirmationRequest,
    ConfirmationStatus,
    Credential,
    CXMLDocument,
    Header,
    InvoiceDetailItem,
    InvoiceDetailOrder,
    InvoiceDetailOrderSummary,
    InvoiceDetailRequest,
    InvoiceDiscount,
    ItemIn,
    ItemOut,
    Money,
    OrderRequest,
    PaymentTerm,
    PriceBasis,
    PunchOutOrderMessage,
    PunchOutSetupRequest,
    PunchOutSetupResponse,
    Response,
    ShipControl,
    ShipNoticeItem,
    ShipNoticePortion,
    ShipNoticeRequest,
    Status,
    TaxDetail,
)
from .parse import dtd_family, load_xml, parse, parse_cart
from .values import (
    currency_decimals,
    format_money,
    format_timestamp,
    parse_timestamp,
)

__all__ = [
    "CXML_VERSION",
    "MAX_DEPTH",
    "MAX_SIZE",
    "Address",
    "CXMLAuthError",
    "CXMLDocument",
    "CXMLError",
    "CXMLParseError",
    "CXMLSizeError",
    "CXMLUnsupportedError",
    "Comment",
    "ConfirmationItem",
    "ConfirmationRequest",
    "ConfirmationStatus",
    "Credential",
    "Header",
    "InvoiceDetailItem",
    "InvoiceDetailOrder",
    "InvoiceDetailOrderSummary",
    "InvoiceDetailRequest",
    "InvoiceDiscount",
    "ItemIn",
    "ItemOut",
    "Money",
    "OrderRequest",
    "PaymentTerm",
    "PriceBasis",
    "PunchOutOrderMessage",
    "PunchOutSetupRequest",
    "PunchOutSetupResponse",
    "Response",
    "ShipControl",
    "ShipNoticeItem",
    "ShipNoticePortion",
    "ShipNoticeRequest",
    "Status",
    "TaxDetail",
    "build_order_request",
    "build_punchout_setup_request",
    "build_response",
    "currency_decimals",
    "decode_cart_form",
    "dtd_family",
    "format_money",
    "format_timestamp",
    "load_xml",
    "new_payload_id",
    "order_total",
    "parse",
    "parse_cart",
    "parse_timestamp",
    "redact",
    "to_json_dict",
    "verify_shared_secret",
]
