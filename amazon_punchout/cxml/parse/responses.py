# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Synchronous answers: Response, PunchOutSetupResponse, Status (doc §2.5, §3)."""

from ..exceptions import CXMLParseError
from ..model import PunchOutSetupResponse, Response
from .common import child_text, status


def response(envelope, warnings):
    """(document type, Status, body) of a ``<Response>`` envelope."""
    found = status(envelope.find("Status"), warnings)
    if found is None:
        raise CXMLParseError("Response without Status")
    specific = next((child for child in envelope if child.tag != "Status"), None)
    if specific is not None and specific.tag == "PunchOutSetupResponse":
        url = child_text(specific.find("StartPage"), "URL") or None
        return (
            "PunchOutSetupResponse",
            found,
            PunchOutSetupResponse(status=found, start_page_url=url),
        )
    body_type = specific.tag if specific is not None else None
    return "Response", found, Response(status=found, body_type=body_type)
