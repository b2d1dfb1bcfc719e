# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Constants of the cXML wire format (see docs/amazon-cxml.md)."""

CXML_VERSION = "1.2.069"
DTD_URL = "http://xml.cxml.org/schemas/cXML/{version}/{file}"

DTD_CXML = "cXML.dtd"
DTD_FULFILL = "Fulfill.dtd"
DTD_INVOICE = "InvoiceDetail.dtd"

#: document type (root request/response element) -> DTD family file (doc §9)
DTD_FAMILY = {
    "ConfirmationRequest": DTD_FULFILL,
    "ShipNoticeRequest": DTD_FULFILL,
    "ReceiptRequest": DTD_FULFILL,
    "InvoiceDetailRequest": DTD_INVOICE,
}

DEPLOYMENT_MODES = ("production", "test")

#: default limits of the hardened parser
MAX_SIZE = 4 * 1024 * 1024
MAX_DEPTH = 64

#: cXML status codes we use (doc §2.5)
STATUS_TEXT = {
    200: "OK",
    201: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    406: "Not Acceptable",
    409: "Conflict",
    412: "Precondition Failed",
    417: "Expectation Failed",
    500: "Internal Server Error",
    501: "Not Implemented",
}

#: ISO 4217 minor units that differ from 2 (https://www.iso.org/iso-4217)
CURRENCY_DECIMALS = {
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "UYI": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
    "CLF": 4,
    "UYW": 4,
}
DEFAULT_CURRENCY_DECIMALS = 2

#: names of the cart form fields, lower case (doc §4.1)
FORM_FIELD_BASE64 = "cxml-base64"
FORM_FIELD_URLENCODED = "cxml-urlencoded"

REDACTED = "********"
