# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Errors of the cXML layer.

Every error carries a cXML status code and a human-readable text that is safe
to show to a user or to send back in a cXML ``Status``: it never contains a
shared secret or a raw payload.
"""


class CXMLError(Exception):
    """Base class of every error raised by the cXML layer."""

    status_code = 500
    default_text = "cXML error"

    def __init__(self, text=None, status_code=None):
        self.text = str(text or self.default_text)
        if status_code is not None:
            self.status_code = int(status_code)
        super().__init__(self.text)

    def __str__(self):
        return self.text

    def as_dict(self):
        return {"status_code": self.status_code, "text": self.text}


class CXMLParseError(CXMLError):
    """The input is not a usable cXML document (cXML 400 Bad Request)."""

    status_code = 400
    default_text = "Malformed cXML document"


class CXMLSizeError(CXMLParseError):
    """The input exceeds the size limit.

    HTTP would say 413; cXML has no such code, so the cXML status is 400 with a
    clear text.
    """

    status_code = 400
    default_text = "cXML document too large"


class CXMLAuthError(CXMLError):
    """Credentials were not recognised (cXML 401 Unauthorized)."""

    status_code = 401
    default_text = "Credentials not recognised"


class CXMLUnsupportedError(CXMLError):
    """Well-formed cXML of a kind we do not handle (cXML 501 Not Implemented)."""

    status_code = 501
    default_text = "Unsupported cXML document type"
