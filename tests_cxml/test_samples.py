# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Parsing of the public samples and of our Amazon-shaped fixtures."""

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import cxml
import pytest
from conftest import (
    assert_dtd_valid,
    public_sample_names,
    read_own,
    read_public,
    require_public_samples,
)

NEGATIVE_ROOT = "cxml-ruby/punch_out_order_message_doc.xml"
NEGATIVE_ORDER = "cxml-ruby/punch_out_setup_request_doc_coupa.xml"

EXPECTED_TYPES = {
    "6-mils/OrderResponse-400.xml": "Response",
    "6-mils/OrderResponse.xml": "Response",
    "6-mils/PunchOutOrderMessage.xml": "PunchOutOrderMessage",
    "6-mils/PunchOutSetupResponse-400.xml": "Response",
    "6-mils/PunchOutSetupResponse.xml": "PunchOutSetupResponse",
    "cxml-php/OrderRequest.xml": "OrderRequest",
    "cxml-php/PunchOutSetupRequest.xml": "PunchOutSetupRequest",
    "cxml-php/PunchoutOrderMessage.xml": "PunchOutOrderMessage",
    "cxml-php/PunchoutOrderMessageAdvancedPricing.xml": "PunchOutOrderMessage",
    "cxml-php/ShipNoticeRequest.xml": "ShipNoticeRequest",
    "cxml-php/StatusUpdateRequest.xml": "StatusUpdateRequest",
    "cxml-php/builder_order_request.xml": "OrderRequest",
    "cxml-php/builder_poom.xml": "PunchOutOrderMessage",
    "cxml-ruby/invoice_backed_and_unbacked_by_pos.xml": "InvoiceDetailRequest",
    "cxml-ruby/invoice_backed_by_multiple_pos.xml": "InvoiceDetailRequest",
    "cxml-ruby/invoice_taxes_at_line.xml": "InvoiceDetailRequest",
    "cxml-ruby/invoice_taxes_at_line_multiple_taxes.xml": "InvoiceDetailRequest",
    "cxml-ruby/invoice_taxes_at_total.xml": "InvoiceDetailRequest",
    "cxml-ruby/order_request.xml": "OrderRequest",
    "cxml-ruby/punch_out_setup_request_doc.xml": "PunchOutSetupRequest",
    "cxml-ruby/punch_out_setup_request_doc_coupa.xml": "PunchOutSetupRequest",
    "cxml-ruby/punch_out_setup_request_doc_with_ship_to.xml": "PunchOutSetupRequest",
    "cxml-ruby/purchase_order_request_200.xml": "OrderRequest",
    "cxml-ruby/request_doc.xml": "ConfirmationRequest",
    "cxml-ruby/response_status_200.xml": "PunchOutSetupResponse",
    "cxml-ruby/response_status_400.xml": "Response",
}


def test_all_public_samples_are_known():
    require_public_samples()
    names = set(public_sample_names())
    assert names == set(EXPECTED_TYPES) | {NEGATIVE_ROOT}


@pytest.mark.parametrize(
    "name", [n for n in public_sample_names() if n != NEGATIVE_ROOT]
)
def test_public_sample_parses(name):
    """Every public sample parses, including the Coupa negative case.

    The Coupa setup request (Contact before BrowserFormPost) is DTD-invalid
    but parses leniently; every other one here is DTD-valid.
    """
    data = read_public(name)
    doc = cxml.parse(data)
    assert doc.doc_type == EXPECTED_TYPES[name]
    assert doc.payload_id
    # the Coupa sample is expected to be DTD-invalid
    assert_dtd_valid(data, doc.doc_type, valid=name != NEGATIVE_ORDER)
    # the JSON view never fails and never shows a secret
    view = cxml.to_json_dict(doc)
    assert view["doc_type"] == doc.doc_type
    json.dumps(view)
    secret = doc.header.sender.shared_secret if doc.header else None
    text = repr(view)
    secrets = [secret] if secret else []
    for secret in secrets:
        assert repr(secret) not in text
        assert view["header"]["sender"]["shared_secret"] == "********"


def test_negative_lowercase_root_is_a_clear_parse_error():
    """``punch_out_order_message_doc.xml`` has a lower-case ``cxml`` root:
    it is refused with a 400 whose text names the element."""
    with pytest.raises(cxml.CXMLParseError) as info:
        cxml.parse(read_public(NEGATIVE_ROOT))
    assert info.value.status_code == 400
    assert "<cxml>" in info.value.text and "<cXML>" in info.value.text


def test_coupa_setup_request_lenient():
    doc = cxml.parse(read_public(NEGATIVE_ORDER))
    body = doc.body
    assert body.buyer_cookie
    assert body.browser_form_post_url.startswith("http")
    # unparseable timestamp: warning, raw kept
    assert doc.timestamp is None and doc.timestamp_raw
    assert any("timestamp" in w for w in doc.warnings)


def test_public_setup_response_without_and_with_text():
    doc = cxml.parse(read_public("6-mils/PunchOutSetupResponse.xml"))
    assert doc.status.code == 200
    assert doc.body.start_page_url.startswith("http")
    doc = cxml.parse(read_public("6-mils/PunchOutSetupResponse-400.xml"))
    assert doc.status.code == 400


def test_status_without_text_is_lenient():
    data = (
        b'<cXML payloadID="x" timestamp="2026-01-01T00:00:00Z"><Response>'
        b'<Status code="200"/><PunchOutSetupResponse><StartPage><URL>'
        b"https://www.amazon.com/eprocurement/initiate-clean-punchout/1-2"
        b"</URL></StartPage></PunchOutSetupResponse></Response></cXML>"
    )
    doc = cxml.parse(data)
    assert doc.doc_type == "PunchOutSetupResponse"
    assert doc.status == cxml.Status(200, "")
    assert "Status without text" in doc.warnings
    assert "no DOCTYPE" in doc.warnings


def test_public_invoice_placeholder_date():
    doc = cxml.parse(read_public("cxml-ruby/invoice_taxes_at_line_multiple_taxes.xml"))
    assert doc.body.invoice_date is None
    assert doc.body.invoice_date_raw == "invoice_date"
    assert any("invoiceDate" in w for w in doc.warnings)


def test_public_invoice_multiple_pos():
    doc = cxml.parse(read_public("cxml-ruby/invoice_backed_by_multiple_pos.xml"))
    assert len(doc.body.orders) >= 2
    for order in doc.body.orders:
        assert order.items
        for item in order.items:
            assert item.line_number is not None


def test_public_confirmation():
    doc = cxml.parse(read_public("cxml-ruby/request_doc.xml"))
    body = doc.body
    assert body.type == "detail" and body.operation == "new"
    assert body.order_id == "400-2591453-0"
    assert body.items[0].statuses[0].unit_price == cxml.Money(Decimal("4.44"), "USD")
    assert body.items[0].statuses[0].extrinsic("SupplierPartID") == "751441"


# === OUR AMAZON-SHAPED FIXTURES === #


def test_amazon_us_cart():
    doc = cxml.parse_cart(read_own("amazon_us_cart.xml"))
    assert doc.timestamp == datetime(2026, 1, 1, 10, 0, 0, 123000, timezone.utc)
    cart = doc.body
    assert cart.buyer_cookie == "c0ffee00c0ffee00c0ffee00c0ffee00"
    assert cart.operation_allowed == "create"
    assert cart.total == cxml.Money(Decimal("53.97"), "USD")
    assert cart.shipping == cxml.Money(Decimal("4.99"), "USD")
    assert cart.tax == cxml.Money(Decimal("3.75"), "USD")
    assert cart.currency == "USD"
    first, second = cart.items
    assert first.supplier_part_id == "B000TEST01"
    assert first.supplier_part_auxiliary_id == "1234567890123,1"
    assert first.quantity == Decimal(2)
    assert first.unit_price == cxml.Money(Decimal("12.99"), "USD")
    assert first.unit_of_measure is None
    assert first.classifications == ()
    assert first.unspsc is None
    assert first.extrinsic("soldBy") == "Amazon.com"
    assert first.extrinsic("FULFILLEDBY") == "Amazon"
    assert first.extrinsic("qualifiedOffer") == "true"
    assert second.description == "Copy paper, letter, 500 sheets & more"
    assert "ItemIn 1 (B000TEST01): UnitOfMeasure missing" in doc.warnings
    assert "ItemIn 2 (B000TEST02): Classification missing" in doc.warnings
    assert "no DOCTYPE" in doc.warnings
    # DTD-invalid (no UoM / Classification), exactly like Amazon's example
    assert_dtd_valid(read_own("amazon_us_cart.xml"), "PunchOutOrderMessage", False)


def test_amazon_de_cart():
    data = read_own("amazon_de_cart.xml")
    assert_dtd_valid(data, "PunchOutOrderMessage")
    doc = cxml.parse_cart(data)
    assert doc.timestamp == datetime(
        2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))
    )
    first, second = doc.body.items
    assert first.supplier_part_auxiliary_id == "111-2223334-4445556,1"
    assert second.supplier_part_auxiliary_id == "111-2223334-4445556,2"
    assert first.short_name == "Kugelschreiber blau"
    assert first.description == "Kugelschreiber, blau, 10 Stück – Größe M"
    assert first.description_lang == "de-DE"
    assert first.unit_price == cxml.Money(Decimal("16.80"), "EUR")
    # line Tax and Shipping are kept apart, never taken as the unit price
    assert first.tax == cxml.Money(Decimal("9.58"), "EUR")
    assert first.shipping == cxml.Money(Decimal("0.00"), "EUR")
    (vat,) = first.tax_details
    assert vat.category == "vat" and vat.percentage_rate == Decimal("19.00")
    assert vat.purpose == "subtotalTax"
    assert vat.taxable_amount == cxml.Money(Decimal("50.40"), "EUR")
    assert vat.tax_amount == cxml.Money(Decimal("9.58"), "EUR")
    assert first.unspsc == "44121704" and second.unspsc == "44122107"
    assert first.manufacturer_part_id == "KS-10-BL"
    assert first.manufacturer_name == "Beispiel GmbH"
    assert first.extrinsic("detailPageURL") == "https://www.amazon.de/dp/B0DETEST01"
    assert first.extrinsic("soldBy") == "Amazon EU S.à r.l."
    assert first.unit_of_measure == "EA"
    # PriceBasisQuantity: 10.49 EUR per 100 -> 0.1049 exactly
    assert second.price_basis_quantity == Decimal(100)
    assert second.unit_price_per_basis == cxml.Money(Decimal("10.49"), "EUR")
    assert second.unit_price == cxml.Money(Decimal("0.1049"), "EUR")
    line_sum = sum(i.unit_price.amount * i.quantity for i in doc.body.items)
    assert line_sum == doc.body.total.amount
    # empty TaxDetail currency falls back to the line currency
    assert second.tax_details[0].tax_amount == cxml.Money(Decimal("3.99"), "EUR")
    assert any("currency missing" in w for w in doc.warnings)


def test_amazon_confirmation_split():
    detail = cxml.parse(read_own("amazon_confirmation_detail.xml"))
    reject = cxml.parse(read_own("amazon_confirmation_reject.xml"))
    assert detail.doc_type == reject.doc_type == "ConfirmationRequest"
    body = detail.body
    assert body.confirm_id == "111-2223334-4445556"
    assert (body.type, body.operation) == ("detail", "new")
    assert body.order_id == "P00042"
    assert body.order_payload_id == "1767261900000.4242.ab12cd@odoo.example"
    assert body.order_date == datetime(2026, 1, 1, 10, 5, tzinfo=timezone.utc)
    assert body.total == cxml.Money(Decimal("30.97"), "USD")
    assert body.comments == ("Order placed.",)
    (item,) = body.items
    assert (item.line_number, item.quantity, item.unit_of_measure) == (
        1,
        Decimal(2),
        "EA",
    )
    (status,) = item.statuses
    assert status.type == "detail"
    assert status.unit_price == cxml.Money(Decimal("12.99"), "USD")
    assert status.tax == cxml.Money(Decimal("2.05"), "USD")
    assert status.shipping == cxml.Money(Decimal("0.00"), "USD")
    assert status.delivery_date.date() == date(2026, 1, 5)
    assert status.comment_types == (("confirmID", "111-2223334-4445556"),)
    rbody = reject.body
    assert rbody.type == "reject" and rbody.confirm_id is None
    assert rbody.comments == ("Item no longer available. [Error code: 000-001]",)
    assert rbody.items[0].line_number == 2
    assert rbody.items[0].statuses[0].type == "reject"
    assert rbody.items[0].statuses[0].comments == ("Out of stock",)
    assert reject.deployment_mode == "production"
    assert any("no time zone" in w for w in reject.warnings)


def test_amazon_ship_notice_beside_header_and_empty_carrier():
    doc = cxml.parse(read_own("amazon_ship_notice.xml"))
    body = doc.body
    assert body.shipment_id == "1234567890123"
    assert body.shipment_type == "actual" and body.operation == "new"
    (control,) = body.carriers
    assert control.carrier == ""
    assert control.tracking_number == "TBA000000000001"
    assert control.tracking_url == "https://track.example/TBA000000000001"
    assert control.package_range == ("1", "1")
    assert body.tracking == body.carriers
    (portion,) = body.portions
    assert portion.order_id == "P00042"
    assert [i.line_number for i in portion.items] == [3, 1]
    assert portion.items[1].supplier_part_auxiliary_id == "1234567890123,1"
    assert doc.header.from_credentials[0].identity == "1234567"


def test_ship_notice_ship_control_inside_header():
    data = read_own("amazon_ship_notice.xml").decode()
    start = data.index("<ShipControl>")
    end = data.index("</ShipControl>") + len("</ShipControl>")
    control = data[start:end]
    data = data[:start] + data[end:]
    data = data.replace(
        'shipmentType="actual"/>',
        'shipmentType="actual">'
        + control.replace('domain="companyName">', 'domain="companyName">UPS')
        + "</ShipNoticeHeader>",
    )
    doc = cxml.parse(data.encode())
    (control,) = doc.body.carriers
    assert control.carrier == "UPS"
    assert control.tracking_number == "TBA000000000001"


def test_amazon_invoice():
    doc = cxml.parse(read_own("amazon_invoice.xml"))
    body = doc.body
    assert body.invoice_id == "INV-0001"
    assert body.purpose == "standard" and body.operation == "new"
    assert body.is_tax_in_line and body.is_shipping_in_line
    assert not body.is_information_only
    (order,) = body.orders
    assert order.order_id == "P00042"
    assert order.supplier_order_id == "111-2223334-4445556"
    assert order.order_payload_id == "1767261900000.4242.ab12cd@odoo.example"
    (item,) = order.items
    assert item.invoice_line_number == 1 and item.line_number == 1
    assert item.quantity == Decimal(2)
    assert item.unit_price == cxml.Money(Decimal("12.99"), "USD")
    assert item.supplier_part_id == "B000TEST01"
    assert item.description == "Ballpoint pens, blue, pack of 12"
    assert item.subtotal_amount == cxml.Money(Decimal("25.98"), "USD")
    assert item.tax == cxml.Money(Decimal("2.14"), "USD")
    assert item.tax_details[0].percentage_rate == Decimal("8.25")
    assert item.shipping == cxml.Money(Decimal("4.99"), "USD")
    assert item.net_amount == cxml.Money(Decimal("33.11"), "USD")
    assert body.subtotal_amount == cxml.Money(Decimal("25.98"), "USD")
    assert body.shipping_amount == cxml.Money(Decimal("4.99"), "USD")
    assert body.due_amount == cxml.Money(Decimal("33.11"), "USD")
    assert body.special_handling_amount is None


def test_parse_cart_refuses_other_documents():
    with pytest.raises(cxml.CXMLUnsupportedError) as info:
        cxml.parse_cart(read_own("amazon_invoice.xml"))
    assert "PunchOutOrderMessage" in info.value.text
    assert isinstance(info.value, cxml.CXMLError)


def test_dtd_family():
    assert cxml.dtd_family("ConfirmationRequest") == "Fulfill.dtd"
    assert cxml.dtd_family("ShipNoticeRequest") == "Fulfill.dtd"
    assert cxml.dtd_family("InvoiceDetailRequest") == "InvoiceDetail.dtd"
    assert cxml.dtd_family("PunchOutOrderMessage") == "cXML.dtd"
    assert cxml.dtd_family("Response") == "cXML.dtd"
    assert cxml.dtd_family(None) == "cXML.dtd"
    root = cxml.load_xml(read_own("amazon_invoice.xml"))
    assert cxml.dtd_family(root) == "InvoiceDetail.dtd"
    root = cxml.load_xml(read_own("amazon_ship_notice.xml"))
    assert cxml.dtd_family(root) == "Fulfill.dtd"


def test_fast_constructed_dataclasses_equal_regular_ones():
    import dataclasses

    cart = cxml.parse_cart(read_own("amazon_de_cart.xml")).body
    for item in cart.items:
        fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
        assert set(vars(item)) == set(fields)
        assert cxml.ItemIn(**fields) == item
        assert hash(item.unit_price) == hash(
            cxml.Money(item.unit_price.amount, item.unit_price.currency)
        )
        with pytest.raises(dataclasses.FrozenInstanceError):
            item.quantity = 1
