# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Cart form decoding in every casing and encoding (doc §4.1)."""

import base64
from urllib.parse import quote, quote_plus, urlencode

import cxml
import pytest
from conftest import read_own

CART = read_own("amazon_de_cart.xml")
CART_TEXT = CART.decode("utf-8")

NAMES_B64 = [
    "cXML-base64",
    "cxml-base64",
    "CXML-BASE64",
    "Cxml-Base64",
    " cxml-base64 ",
]
NAMES_URL = ["cXML-urlencoded", "cxml-urlencoded", "CXML-URLENCODED", "cXML-UrlEncoded"]


def _check(data):
    doc = cxml.parse_cart(data)
    assert doc.body.items[0].description.endswith("Größe M")
    return doc


@pytest.mark.parametrize("name", NAMES_B64)
def test_base64_field_any_casing(name):
    value = base64.b64encode(CART).decode()
    assert cxml.decode_cart_form({name: value}) == CART
    _check(cxml.decode_cart_form({name: value.encode()}))


def test_base64_wrapped_and_plus_lost():
    value = base64.encodebytes(CART).decode()  # wrapped every 76 chars
    assert cxml.decode_cart_form({"cXML-base64": value}) == CART
    mangled = base64.b64encode(CART).decode().replace("+", " ")
    assert cxml.decode_cart_form({"cXML-base64": mangled}) == CART
    urlsafe = base64.urlsafe_b64encode(CART).decode().rstrip("=")
    assert cxml.decode_cart_form({"cXML-base64": urlsafe}) == CART


def test_base64_latin1_document_honours_declaration():
    latin = CART_TEXT.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    latin = latin.replace("–", "-").encode("iso-8859-1")
    data = cxml.decode_cart_form({"cxml-base64": base64.b64encode(latin)})
    doc = cxml.parse_cart(data)
    assert doc.body.items[0].description.endswith("Größe M")


@pytest.mark.parametrize("name", NAMES_URL)
def test_urlencoded_field_any_casing(name):
    # frameworks hand us the decoded str
    _check(cxml.decode_cart_form({name: CART_TEXT}))


def test_base64_preferred_over_urlencoded():
    other = CART_TEXT.replace("de-cookie-0001", "from-urlencoded")
    data = cxml.decode_cart_form(
        {"cxml-urlencoded": other, "cXML-base64": base64.b64encode(CART).decode()}
    )
    assert cxml.parse_cart(data).body.buyer_cookie == "de-cookie-0001"


def test_urlencoded_str_with_latin1_declaration_is_reencoded():
    text = CART_TEXT.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    _check(cxml.decode_cart_form({"cXML-urlencoded": text}))


def test_urlencoded_double_encoded():
    _check(cxml.decode_cart_form({"cxml-urlencoded": quote(CART_TEXT)}))


@pytest.mark.parametrize("name", NAMES_URL + NAMES_B64[:3])
@pytest.mark.parametrize("plus", [True, False])
def test_raw_form_body(name, plus):
    if "base64" in name.lower():
        value = base64.b64encode(CART).decode()
    else:
        value = CART_TEXT
    quoter = quote_plus if plus else quote
    body = f"foo=bar&{quoter(name.strip())}={quoter(value)}&x=".encode()
    data = cxml.decode_cart_form(
        None, body, "application/x-www-form-urlencoded; charset=UTF-8"
    )
    _check(data)


def test_raw_form_body_latin1_bytes():
    text = CART_TEXT.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    latin = text.replace("–", "-").encode("iso-8859-1")
    body = urlencode({"cxml-urlencoded": latin}).encode()
    _check(cxml.decode_cart_form({}, body))


def test_raw_xml_body():
    _check(cxml.decode_cart_form(None, CART, "text/xml; charset=UTF-8"))
    _check(cxml.decode_cart_form({}, b"\n  " + CART))
    _check(cxml.decode_cart_form({"unrelated": "1"}, CART, ""))


def test_form_size_limit():
    big = base64.b64encode(CART).decode()
    with pytest.raises(cxml.CXMLSizeError):
        cxml.decode_cart_form({"cxml-base64": big}, max_size=100)
    with pytest.raises(cxml.CXMLSizeError):
        cxml.decode_cart_form({"cxml-urlencoded": CART_TEXT}, max_size=100)


def test_no_cart_message():
    with pytest.raises(cxml.CXMLParseError) as info:
        cxml.decode_cart_form({"foo": "bar"}, b"")
    assert "cXML-base64" in info.value.text and "cXML-urlencoded" in info.value.text
