# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""payloadID factory, shared-secret comparison, redaction."""

import os
import re

import cxml
import pytest
from conftest import read_public


def test_new_payload_id_shape_and_uniqueness():
    ids = {cxml.new_payload_id("odoo.example") for _ in range(1000)}
    assert len(ids) == 1000
    sample = next(iter(ids))
    assert re.fullmatch(r"\d{13}\.\d+\.[0-9a-f]{16}@odoo\.example", sample)
    assert f".{os.getpid()}." in sample
    assert "@" in cxml.new_payload_id()
    assert cxml.new_payload_id("bad host/name").endswith("@bad-host-name")


def test_verify_shared_secret():
    assert cxml.verify_shared_secret("s3cr3t", "s3cr3t")
    assert not cxml.verify_shared_secret("s3cr3t", "s3cr3T")
    assert not cxml.verify_shared_secret("s3cr3t", None)
    assert not cxml.verify_shared_secret("s3cr3t", "")
    assert not cxml.verify_shared_secret("", "")
    assert not cxml.verify_shared_secret(None, None)
    assert cxml.verify_shared_secret("pässwört", "pässwört")


@pytest.mark.parametrize(
    "text",
    [
        "<SharedSecret>topsecret</SharedSecret>",
        "<SharedSecret >topsecret</SharedSecret >",
        '<SharedSecret xml:lang="en">topsecret</SharedSecret>',
        "<sharedsecret>topsecret</sharedsecret>",
        "<SHAREDSECRET>\n  topsecret\n</SHAREDSECRET>",
        "<SharedSecret><![CDATA[topsecret]]></SharedSecret>",
        "<cxml:SharedSecret>topsecret</cxml:SharedSecret>",
        "<SharedSecret>topsecret",  # truncated log line
        "Authorization: Basic dG9wc2VjcmV0OnRvcHNlY3JldA==",
        "authorization=Basic topsecret",
        "https://user:topsecret@example.com/path",
        "GET ftp://topsecret@host/",
        "header Basic dG9wc2VjcmV0",
    ],
)
def test_redact_str(text):
    redacted = cxml.redact(text)
    assert "topsecret" not in redacted
    assert "dG9wc2VjcmV0" not in redacted
    assert "********" in redacted


def test_redact_bytes_and_keeps_the_rest():
    data = read_public("cxml-php/PunchOutSetupRequest.xml")
    redacted = cxml.redact(data)
    assert isinstance(redacted, bytes)
    doc = cxml.parse(data)
    secret = doc.header.sender.shared_secret
    assert secret
    assert b"<SharedSecret>" + secret.encode() not in redacted
    parsed = cxml.parse(redacted)
    assert parsed.header.sender.shared_secret == "********"
    assert parsed.body.buyer_cookie == doc.body.buyer_cookie


def test_redact_multiple_and_non_ascii():
    text = (
        "<SharedSecret>a</SharedSecret> keep <SharedSecret>é€</SharedSecret> "
        "<SharedSecret/> tail"
    )
    assert cxml.redact(text) == (
        "<SharedSecret>********</SharedSecret> keep "
        "<SharedSecret>********</SharedSecret> <SharedSecret/> tail"
    )
    assert cxml.redact(text.encode()) == cxml.redact(text).encode()
    assert cxml.redact(None) is None
