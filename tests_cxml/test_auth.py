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


SECRET_CART = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<cXML payloadID="p@x" timestamp="2026-01-01T00:00:00Z"><Header>'
    b'<From><Credential domain="NetworkId"><Identity>A</Identity></Credential></From>'
    b'<To><Credential domain="NetworkId"><Identity>B</Identity></Credential></To>'
    b'<Sender><Credential domain="NetworkId"><Identity>A</Identity>'
    b"%s</Credential><UserAgent>x</UserAgent></Sender></Header>"
    b"<Message><PunchOutOrderMessage><BuyerCookie>cookie-1</BuyerCookie>"
    b'<PunchOutOrderMessageHeader operationAllowed="create"><Total>'
    b'<Money currency="USD">1.00</Money></Total></PunchOutOrderMessageHeader>'
    b'<ItemIn quantity="1"><ItemID><SupplierPartID>B0001</SupplierPartID></ItemID>'
    b'<ItemDetail><UnitPrice><Money currency="USD">1.00</Money></UnitPrice>'
    b'<Description xml:lang="en">Pen</Description><UnitOfMeasure>EA</UnitOfMeasure>'
    b'<Classification domain="UNSPSC">1</Classification></ItemDetail></ItemIn>'
    b"</PunchOutOrderMessage></Message></cXML>"
)


@pytest.mark.parametrize(
    "secret",
    [
        b"<SharedSecret><![CDATA[topsecret]]></SharedSecret>",
        b"<SharedSecret>top<![CDATA[sec]]>ret</SharedSecret>",
        b"<SharedSecret><![CDATA[top</SharedSecret>secret]]></SharedSecret>",
        b"<!-- <SharedSecret>topsecret</SharedSecret> -->",
        b"<!-- <SharedSecret>topsecret -->",
        b"<!-- old: <SharedSecret>topsecret\n-->",
    ],
)
def test_redact_keeps_the_whole_document(secret):
    data = SECRET_CART % secret
    redacted = cxml.redact(data)
    assert b"topsecret" not in redacted and b"top" not in redacted.split(b"Sender")[1]
    assert b"********" in redacted
    document = cxml.parse_cart(redacted)
    assert document.body.buyer_cookie == "cookie-1"
    assert document.body.items[0].supplier_part_id == "B0001"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_redact_utf16(codec):
    text = (SECRET_CART % b"<SharedSecret>topsecret</SharedSecret>").decode()
    data = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(codec)
    redacted = cxml.redact(data)
    assert "topsecret".encode(codec)[2:] not in redacted
    assert "topsecret".encode("utf-16-le") not in redacted
    assert "topsecret".encode("utf-16-be") not in redacted
    assert redacted.decode(codec).count("********") == 1
    assert cxml.parse_cart(redacted).header.sender.shared_secret == "********"
