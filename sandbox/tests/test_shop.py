# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shopping pages over HTTP (urllib) and the PunchOutOrderMessage they return."""

import base64
import re
import urllib.parse

import pytest
from amazon_sandbox import catalog
from conftest import (
    IDENTITY,
    VALIDATOR,
    assert_valid,
    cart_lines,
    decode_form_value,
    http,
    parse,
    require_dtds,
    start_session,
)
from lxml import html as lhtml


def form_post(url, fields):
    return http(url, urllib.parse.urlencode(fields), method="POST")


def return_form(page):
    doc = lhtml.fromstring(page)
    form = doc.get_element_by_id("sb-return-form")
    inputs = form.xpath(".//input[@type='hidden']")
    assert len(inputs) == 1
    return form, inputs[0].get("name"), inputs[0].get("value")


def test_catalog_shape():
    assert len(catalog.PRODUCTS) >= 30
    assert len({p["category"] for p in catalog.PRODUCTS}) >= 5
    assert all(re.fullmatch(r"B0[A-Z0-9]{8}", p["asin"]) for p in catalog.PRODUCTS)
    assert any(not p["unspsc"] for p in catalog.PRODUCTS)
    assert sum(bool(p["unspsc"]) for p in catalog.PRODUCTS) > len(catalog.PRODUCTS) / 2
    assert {p["sold_by"] for p in catalog.PRODUCTS} - {"Amazon"}
    assert {p["fulfilled_by"] for p in catalog.PRODUCTS} == {"Amazon", "Merchant"}
    assert all(p["prices"]["JP"] == int(p["prices"]["JP"]) for p in catalog.PRODUCTS)


def test_full_shop_flow(srv):
    start_url, session = start_session(srv)
    sid = session["id"]
    status, _h, page = http(start_url)  # follows the 303 to /shop/<sid>/
    assert status == 200
    assert b"SANDBOX" in page and b"not Amazon" in page
    doc = lhtml.fromstring(page)
    assert len(doc.xpath("//a[@class='sb-product-link']")) == len(catalog.PRODUCTS)
    assert doc.xpath("//input[@id='sb-search']") and doc.xpath(
        "//a[@id='sb-cart-link']"
    )
    # search
    _s, _h, page = http(srv.url + f"/shop/{sid}/?q=gel+pens")
    links = lhtml.fromstring(page).xpath("//a[@class='sb-product-link']")
    assert [a.get("href") for a in links] == [f"/shop/{sid}/dp/B0SBX1PEN1"]
    # category filter
    _s, _h, page = http(srv.url + f"/shop/{sid}/?cat=books")
    assert len(lhtml.fromstring(page).xpath("//a[@class='sb-product-link']")) == 5
    # product page
    _s, _h, page = http(srv.url + f"/shop/{sid}/dp/B0SBX1PEN1")
    doc = lhtml.fromstring(page)
    assert doc.xpath("//button[@id='sb-add-to-cart']")
    assert doc.xpath("//input[@name='quantity']")
    # add, add again, add another, update, remove
    base = srv.url + f"/shop/{sid}/cart/"
    status, _h, page = form_post(base + "add", {"asin": "B0SBX1PEN1", "quantity": "2"})
    assert status == 200 and b'data-asin="B0SBX1PEN1"' in page
    form_post(base + "add", {"asin": "B0SBX1PEN1", "quantity": "1"})
    form_post(base + "add", {"asin": "B0SBXMON10", "quantity": "1"})
    form_post(base + "add", {"asin": "B0SBXTEA21", "quantity": "1"})
    form_post(base + "update", {"asin": "B0SBXMON10", "quantity": "4"})
    _s, _h, page = form_post(base + "remove", {"asin": "B0SBXTEA21"})
    doc = lhtml.fromstring(page)
    assert [r.get("data-asin") for r in doc.xpath("//tr[@class='sb-cart-line']")] == [
        "B0SBX1PEN1",
        "B0SBXMON10",
    ]
    assert doc.get_element_by_id("sb-cart-count").text == "7"
    assert doc.xpath("//button[@id='sb-submit-cart']")
    # submit: an auto-posting form back to the buyer
    status, headers, page = form_post(base + "submit", {})
    assert status == 200
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    form, field, value = return_form(page)
    assert form.get("method") == "POST"
    assert form.get("action") == session["return_url"]
    assert field == "cxml-urlencoded"
    assert b".submit()" in page and b'id="sb-return-submit"' in page
    xml = value.encode("utf-8")
    assert_valid(xml)
    root = parse(xml)
    assert root.findtext("Message/PunchOutOrderMessage/BuyerCookie") == "cookie-123"
    items = root.findall("Message/PunchOutOrderMessage/ItemIn")
    assert [
        (i.get("quantity"), i.findtext("ItemID/SupplierPartID")) for i in items
    ] == [
        ("3", "B0SBX1PEN1"),
        ("4", "B0SBXMON10"),
    ]
    assert srv.carts()[-1]["cxml"] == value
    # the session is over once the cart went back
    status, _h, _p = http(srv.url + f"/shop/{sid}/")
    assert status == 410


def test_cart_document_like_amazon(srv):
    result = cart_lines(
        srv, [{"asin": "B0SBX1PEN1", "quantity": 2}, {"asin": "B0SBX7LBL7"}]
    )
    xml = decode_form_value(result)
    assert xml == result["cxml"].encode("utf-8")
    root = parse(xml)
    assert root.get("payloadID").endswith("@amazon.com")
    head = root.find("Header")
    assert [
        (c.get("domain"), c.findtext("Identity"))
        for c in head.findall("From/Credential")
    ] == [
        ("DUNS", "128990368"),
        ("NetworkId", "Amazon"),
    ]
    assert head.find("Sender/Credential/SharedSecret") is None
    assert head.findtext("Sender/UserAgent") == "Amazon LLC eProcurement Application"
    assert head.findtext("To/Credential/Identity") == IDENTITY
    poom = root.find("Message/PunchOutOrderMessage")
    assert poom.find("PunchOutOrderMessageHeader").get("operationAllowed") == "create"
    assert poom.findtext("PunchOutOrderMessageHeader/Total/Money") == "42.97"
    assert poom.find("PunchOutOrderMessageHeader/Shipping/Money").text == "5.99"
    assert poom.find("PunchOutOrderMessageHeader/Tax") is not None
    first, second = poom.findall("ItemIn")
    aux = first.findtext("ItemID/SupplierPartAuxiliaryID")
    assert re.fullmatch(r"\d{3}-\d{7}-\d{7},1", aux)
    assert second.findtext("ItemID/SupplierPartAuxiliaryID") == aux[:-1] + "2"
    det = first.find("ItemDetail")
    assert det.find("UnitPrice/Money").get("currency") == "USD"
    assert det.findtext("UnitPrice/Money") == "8.99"
    assert (
        det.find("Description").get("{http://www.w3.org/XML/1998/namespace}lang")
        == "en-US"
    )
    assert det.findtext("UnitOfMeasure") == "EA"
    assert det.find("Classification").get("domain") == "UNSPSC"
    assert det.findtext("Classification") == "44121704"
    assert det.findtext("ManufacturerName") == "Scribbo"
    extr = {e.get("name"): e.text for e in det.findall("Extrinsic")}
    assert extr["soldBy"] == "Amazon" and extr["fulfilledBy"] == "Amazon"
    assert extr["category"] == "gl_office_product"
    assert extr["detailPageURL"] == srv.url + "/dp/B0SBX1PEN1"
    extr2 = {e.get("name"): e.text for e in second.findall("ItemDetail/Extrinsic")}
    assert extr2["fulfilledBy"] == "Merchant" and extr2["soldBy"] == "Label World"
    assert second.findtext("ItemDetail/Classification") == ""  # no UNSPSC known
    assert first.find("Tax") is None  # US: no per-line tax by default
    # detail page link works without a session
    status, _h, page = http(extr["detailPageURL"])
    assert status == 200 and b"Gel Ink Pens" in page
    # issued lines are recorded for the order checks
    cart = srv.carts()[-1]
    assert [
        (ln["asin"], ln["aux_id"], ln["price"], ln["quantity"]) for ln in cart["lines"]
    ] == [
        ("B0SBX1PEN1", aux, "8.99", 2),
        ("B0SBX7LBL7", aux[:-1] + "2", "24.99", 1),
    ]


@pytest.mark.parametrize(
    "query, field, encoding",
    [
        ("encoding=base64", "cXML-base64", "base64"),
        ("encoding=base64&field=CXML-BASE64", "CXML-BASE64", "base64"),
        ("field=cXML-urlencoded", "cXML-urlencoded", "urlencoded"),
        ("field=CXML-BASE64", "CXML-BASE64", "base64"),
    ],
)
def test_submit_overrides_by_query(srv, query, field, encoding):
    _url, session = start_session(srv)
    sid = session["id"]
    srv.sandbox.update_cart(sid, "B0SBXKEYB9", 1)
    _s, _h, page = form_post(srv.url + f"/shop/{sid}/cart/submit?{query}", {})
    _form, got_field, value = return_form(page)
    assert got_field == field
    xml = base64.b64decode(value) if encoding == "base64" else value.encode()
    assert_valid(xml)
    assert (
        parse(xml).findtext("Message/PunchOutOrderMessage/BuyerCookie") == "cookie-123"
    )


def test_account_field_casing_and_encoding(srv):
    srv.configure_account(IDENTITY, encoding="base64", field_name="CXML-BASE64")
    result = cart_lines(srv, [{"asin": "B0SBX1PEN1"}])
    assert result["field"] == "CXML-BASE64" and result["encoding"] == "base64"
    assert 'name="CXML-BASE64"' in result["form_html"]
    assert_valid(decode_form_value(result))


def test_amazon_omissions_make_cart_dtd_invalid_only_there(srv):
    result = cart_lines(srv, [{"asin": "B0SBX1PEN1"}], {"omit": "1", "doctype": "0"})
    xml = decode_form_value(result)
    assert b"<!DOCTYPE" not in xml
    assert b"UnitOfMeasure" not in xml and b"Classification" not in xml
    require_dtds()
    check = VALIDATOR.validate(xml)
    assert check["valid"] is False
    assert all("ItemDetail" in e for e in check["errors"])
    # putting back the omitted elements makes it valid: nothing else is wrong
    fixed = xml.replace(
        b"<ManufacturerPartID>",
        b'<UnitOfMeasure>EA</UnitOfMeasure><Classification domain="UNSPSC">1'
        b"</Classification><ManufacturerPartID>",
    )
    assert_valid(fixed)


def test_jp_marketplace_integer_yen_and_japanese_titles(srv):
    srv.configure_account(IDENTITY, marketplace="JP")
    result = cart_lines(srv, [{"asin": "B0SBX1PEN1", "quantity": 3}])
    xml = decode_form_value(result)
    assert_valid(xml)
    root = parse(xml)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja-JP"
    item = root.find("Message/PunchOutOrderMessage/ItemIn")
    money = item.find("ItemDetail/UnitPrice/Money")
    assert money.get("currency") == "JPY" and money.text == "980"
    assert item.findtext("ItemDetail/Description") == "ゲルインクボールペン 黒 12本入"
    total = root.findtext(
        "Message/PunchOutOrderMessage/PunchOutOrderMessageHeader/Total/Money"
    )
    assert total == "2940"
    assert "." not in "".join(m.text for m in root.iter("Money"))


def test_de_marketplace_per_line_vat(srv):
    srv.configure_account(IDENTITY, marketplace="DE")
    result = cart_lines(
        srv, [{"asin": "B0SBX1PEN1", "quantity": 2}, {"asin": "B0SBXBK015"}]
    )
    xml = decode_form_value(result)
    assert_valid(xml)
    pen, book = parse(xml).findall("Message/PunchOutOrderMessage/ItemIn")
    assert pen.findtext("ItemDetail/Description") == "Gelschreiber, schwarz, 12er-Pack"
    assert pen.find("ItemDetail/UnitPrice/Money").get("currency") == "EUR"
    detail = pen.find("Tax/TaxDetail")
    assert detail.get("category") == "vat" and detail.get("percentageRate") == "19.00"
    assert detail.get("purpose") == "subtotalTax"
    assert detail.findtext("TaxableAmount/Money") == "14.98"
    assert pen.findtext("Tax/Money") == "2.85"
    assert book.find("Tax/TaxDetail").get("percentageRate") == "7.00"
    assert pen.find("ItemDetail/Extrinsic[@name='UPC']").text == "NA"


def test_shop_pages_jp_and_de_render(srv):
    for mkt, needle in (("JP", "カートに入れる"), ("DE", "In den Einkaufswagen")):
        srv.configure_account(IDENTITY, marketplace=mkt)
        _url, session = start_session(srv)
        _s, _h, page = http(srv.url + f"/shop/{session['id']}/dp/B0SBX1PEN1")
        assert needle in page.decode("utf-8")


def test_shop_pages_jp_in_japanese(srv):
    """On the JP marketplace every page a shopper sees speaks Japanese."""
    srv.configure_account(IDENTITY, marketplace="JP")
    _url, session = start_session(srv)
    sid = session["id"]
    base = srv.url + f"/shop/{sid}/"
    _s, _h, page = http(base)
    text = lhtml.fromstring(page).text_content()
    assert "ようこそ" in text and "パンチアウトセッション" in text and "テスト" in text
    assert "販売: " in text and "検索" in text
    for english in ("Welcome", "Sold by", "fulfilled by", "Punchout session"):
        assert english not in text
    _s, _h, page = http(base + "?q=zzzz")
    assert "該当する商品はありません" in page.decode("utf-8")
    _s, _h, page = http(base + "dp/B0SBX1PEN1")
    text = lhtml.fromstring(page).text_content()
    assert "メーカー: " in text and "カテゴリー: " in text and "￥980" in text
    _s, _h, page = http(base + "dp/B0NOPE0000")
    assert "見つかりません" in page.decode("utf-8")
    form_post(base + "cart/add", {"asin": "B0SBX1PEN1", "quantity": "3"})
    _s, _h, page = http(base + "cart")
    doc = lhtml.fromstring(page)
    assert doc.get("lang") == "ja-JP"
    assert doc.get_element_by_id("sb-cart-total").text == "￥2,940"
    assert "承認のために送信" in doc.text_content()
    _s, _h, page = form_post(base + "cart/submit", {})
    assert "購買システム" in page.decode("utf-8")


def test_fill_cart_api_errors(srv):
    _url, session = start_session(srv)
    url = srv.url + f"/_sandbox/sessions/{session['id']}/cart"
    from conftest import post_json

    status, body = post_json(url, {"items": [{"asin": "B0NOPE0000"}]})
    assert status == 404
    status, _body = post_json(url, {"items": [{"asin": "B0SBX1PEN1"}]})
    assert status == 200
    status, body = post_json(url, {"items": [{"asin": "B0SBX1PEN1"}]})
    assert status == 409 and "submitted" in body["error"]
