# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Everything Amazon sends is read (issues 11.6 and 12.6), one test per item."""

from datetime import datetime, timezone
from decimal import Decimal

import cxml
import pytest
from conftest import assert_dtd_valid, read_own, read_public

USD = "USD"


def usd(amount):
    return cxml.Money(Decimal(amount), USD)


def _replace(name, old, new):
    data = read_own(name).decode()
    assert old in data
    return data.replace(old, new, 1).encode()


# === ENVELOPE (11.6) === #


def test_timestamp_keeps_fractional_seconds():
    doc = cxml.parse(read_own("amazon_credit_memo_summary.xml"))
    assert doc.timestamp_raw == "2026-01-08T00:00:03.186Z"
    assert doc.timestamp == datetime(2026, 1, 8, 0, 0, 3, 186000, timezone.utc)
    assert cxml.to_json_dict(doc)["timestamp"] == "2026-01-08T00:00:03.186+00:00"
    data = _replace(
        "amazon_invoice.xml",
        'timestamp="2026-01-04T00:00:00+00:00"',
        'timestamp="2026-01-04T00:00:00.123456-08:00"',
    )
    view = cxml.to_json_dict(cxml.parse(data))
    assert view["timestamp"] == "2026-01-04T00:00:00.123456-08:00"
    # what we emit stays whole seconds (doc §2.2)
    assert cxml.format_timestamp(doc.timestamp) == "2026-01-08T00:00:03+00:00"


def test_all_sender_credentials_kept():
    data = _replace(
        "amazon_ship_notice.xml",
        '<Sender><Credential domain="NetworkId"><Identity>1234567</Identity>'
        "</Credential>",
        '<Sender><Credential domain="NetworkId"><Identity>1234567</Identity>'
        '</Credential><Credential domain="DUNS"><Identity>987654321</Identity>'
        "<SharedSecret>s3cr3t-value</SharedSecret></Credential>",
    )
    assert_dtd_valid(data, "ShipNoticeRequest")
    header = cxml.parse(data).header
    assert header.sender == cxml.Credential("NetworkId", "1234567")
    assert [(c.domain, c.identity) for c in header.sender_credentials] == [
        ("NetworkId", "1234567"),
        ("DUNS", "987654321"),
    ]
    assert header.sender_credentials[1].shared_secret == "s3cr3t-value"
    view = cxml.to_json_dict(cxml.parse(data))["header"]["sender_credentials"]
    assert view[1] == {
        "domain": "DUNS",
        "identity": "987654321",
        "shared_secret": "********",
    }
    assert "s3cr3t-value" not in repr(cxml.to_json_dict(cxml.parse(data)))
    # a Header built with one sender lists it (builders, Odoo callers)
    built = cxml.Header((), (), cxml.Credential("NetworkId", "x"), "agent")
    assert built.sender_credentials == (built.sender,)


def test_envelope_kind_and_status_success():
    assert cxml.parse(read_own("amazon_invoice.xml")).envelope == "Request"
    assert cxml.parse(read_own("amazon_us_cart.xml")).envelope == "Message"
    ok = cxml.parse(read_public("cxml-ruby/response_status_200.xml"))
    bad = cxml.parse(read_public("cxml-ruby/response_status_400.xml"))
    assert ok.envelope == bad.envelope == "Response"
    assert ok.status.success is True and bad.status.success is False
    assert cxml.Status(201, "Accepted").success
    assert not cxml.Status(500, "Internal").success
    view = cxml.to_json_dict(ok)
    assert view["envelope"] == "Response" and view["status"]["success"] is True


# === CART (11.6) === #


def test_cart_quote_status_and_money_descriptions():
    data = _replace(
        "amazon_us_cart.xml",
        '<PunchOutOrderMessageHeader operationAllowed="create">',
        '<PunchOutOrderMessageHeader operationAllowed="create" quoteStatus="final">',
    )
    cart = cxml.parse_cart(data).body
    assert cart.quote_status == "final"
    assert cart.shipping_description == "Shipping (not including shipping tax)"
    assert cart.tax_description == "Tax (including shipping tax)"
    assert cxml.parse_cart(read_own("amazon_us_cart.xml")).body.quote_status is None
    first = cxml.parse_cart(read_own("amazon_de_cart.xml")).body.items[0]
    assert first.shipping_description == "Versand"
    assert first.tax_description == "MwSt."


def test_price_basis_quantity_reported_and_conversion_factor_applied():
    """104.99 USD for 2 BOX, order unit EA, conversionFactor 0.5 (1 EA = 0.5
    BOX, "1 Box is 2 EA"): one EA costs 104.99 / 2 * 0.5 = 26.2475."""
    doc = cxml.parse_cart(
        read_public("cxml-php/PunchoutOrderMessageAdvancedPricing.xml")
    )
    (item,) = [i for i in doc.body.items if i.price_basis is not None]
    assert item.price_basis == cxml.PriceBasis(
        quantity=Decimal(2),
        conversion_factor=Decimal("0.5"),
        unit_of_measure="BOX",
        description="1 Box is 2 EA and the unit price is for 2",
    )
    assert item.unit_price_per_basis == usd("104.99")
    assert item.unit_price == usd("26.2475")
    assert item.price_basis_quantity == Decimal(2)
    # Amazon's price per 100 pieces, conversionFactor 1
    second = cxml.parse_cart(read_own("amazon_de_cart.xml")).body.items[1]
    assert second.price_basis.conversion_factor == Decimal(1)
    assert second.price_basis.unit_of_measure == "EA"
    assert second.unit_price.amount == Decimal("0.1049")


def test_price_basis_without_conversion_factor_is_taken_as_one():
    data = _replace("amazon_de_cart.xml", 'conversionFactor="1"', 'conversionFactor=""')
    doc = cxml.parse_cart(data)
    second = doc.body.items[1]
    assert second.price_basis.conversion_factor is None
    assert second.unit_price.amount == Decimal("0.1049")
    assert any("conversionFactor None taken as 1" in w for w in doc.warnings)


# === CONFIRMATION (11.6) === #


def test_comments_keep_lang_and_type():
    body = cxml.parse(read_own("amazon_confirmation_detail.xml")).body
    assert body.comment_details == (cxml.Comment("Order placed.", None, "en-US"),)
    (status,) = body.items[0].statuses
    assert status.comment_details == (
        cxml.Comment("111-2223334-4445556", "confirmID", "en-US"),
    )
    # the Amazon order number of the line, and no reason for an accepted line
    assert status.confirm_id == "111-2223334-4445556"
    assert status.reason is None and status.error_code is None
    assert body.reason is None and body.error_code is None


def test_rejection_reason_and_error_code():
    body = cxml.parse(read_own("amazon_confirmation_reject.xml")).body
    assert body.type == "reject"
    assert body.reason == "Item no longer available."
    assert body.error_code == "000-001"
    status = body.items[0].statuses[0]
    assert (status.reason, status.error_code) == ("Out of stock", None)
    data = _replace(
        "amazon_confirmation_reject.xml",
        '<Comments xml:lang="en-US">Out of stock</Comments>',
        '<Comments xml:lang="en-US" type="confirmID">111-0000000-0000000</Comments>'
        '<Comments xml:lang="en-US">ShipTo is not valid. [Error code: 001-005]'
        "</Comments>",
    )
    assert_dtd_valid(data, "ConfirmationRequest")
    status = cxml.parse(data).body.items[0].statuses[0]
    assert status.reason == "ShipTo is not valid."
    assert status.error_code == "001-005"
    assert status.confirm_id == "111-0000000-0000000"
    assert [c.type for c in status.comment_details] == ["confirmID", None]


def test_confirmation_money_descriptions():
    body = cxml.parse(read_own("amazon_confirmation_detail.xml")).body
    assert (body.shipping_description, body.tax_description) == ("Shipping", "Tax")
    status = body.items[0].statuses[0]
    assert (status.shipping_description, status.tax_description) == (
        "Shipping",
        "Tax",
    )


def test_confirmation_line_exposes_po_matching_keys():
    data = _replace(
        "amazon_confirmation_detail.xml",
        '<UnitPrice><Money currency="USD">12.99</Money></UnitPrice>\n'
        '          <Tax><Money currency="USD">2.05</Money>'
        '<Description xml:lang="en-US">Tax</Description></Tax>\n'
        '          <Shipping><Money currency="USD">0.00</Money>'
        '<Description xml:lang="en-US">Shipping</Description></Shipping>',
        '<ItemIn quantity="2"><ItemID><SupplierPartID>B000TEST01</SupplierPartID>'
        "<SupplierPartAuxiliaryID>1234567890123,1</SupplierPartAuxiliaryID></ItemID>"
        '<ItemDetail><UnitPrice><Money currency="USD">13.49</Money></UnitPrice>'
        '<Description xml:lang="en-US">Pens</Description>'
        "<UnitOfMeasure>EA</UnitOfMeasure>"
        '<Classification domain="UNSPSC">44121704</Classification>'
        "</ItemDetail></ItemIn>",
    )
    assert_dtd_valid(data, "ConfirmationRequest")
    body = cxml.parse(data).body
    # one OrderReference per ConfirmationRequest
    assert (body.order_id, body.order_payload_id) == (
        "P00042",
        "1767261900000.4242.ab12cd@odoo.example",
    )
    assert body.confirm_id == "111-2223334-4445556"
    (item,) = body.items
    (status,) = item.statuses
    assert (item.line_number, item.quantity) == (1, Decimal(2))
    assert status.supplier_part_id == "B000TEST01"
    assert status.supplier_part_auxiliary_id == "1234567890123,1"
    assert status.unit_price == usd("13.49")
    assert status.delivery_date.isoformat() == "2026-01-05T00:00:00-08:00"


# === SHIP NOTICE (11.6) === #


def _ship_notice_with_controls():
    """ShipControl in the header and in the portion (not where the DTD puts it)."""
    data = read_own("amazon_ship_notice.xml").decode()
    start = data.index("<ShipControl>")
    end = data.index("</ShipControl>") + len("</ShipControl>")
    data = data[:start] + data[end:]
    header_control = (
        '<ShipControl><CarrierIdentifier domain="SCAC">UPSN</CarrierIdentifier>'
        '<CarrierIdentifier domain="companyName">UPS</CarrierIdentifier>'
        '<ShipmentIdentifier domain="trackingNumber">1Z999</ShipmentIdentifier>'
        '<ShipmentIdentifier domain="trackingNumber">1Z998</ShipmentIdentifier>'
        "</ShipControl>"
    )
    portion_control = (
        '<ShipControl><CarrierIdentifier domain="companyName">AMZL</CarrierIdentifier>'
        '<ShipmentIdentifier trackingURL="https://track.example/TBA2">TBA2'
        "</ShipmentIdentifier></ShipControl>"
    )
    data = data.replace(
        'shipmentType="actual"/>',
        f'shipmentType="actual">{header_control}</ShipNoticeHeader>',
    ).replace("</OrderReference>", f"</OrderReference>{portion_control}")
    return data.encode()


def test_ship_control_in_header_and_portion_is_data():
    doc = cxml.parse(_ship_notice_with_controls())
    body = doc.body
    header, portion = body.carriers
    assert header.placement == "header"
    assert header.carriers == (("SCAC", "UPSN"), ("companyName", "UPS"))
    assert header.carrier_identifier("scac") == "UPSN"
    assert header.carrier == "UPS"
    assert header.tracking_numbers == ("1Z999", "1Z998")
    assert header.shipment_identifiers == (
        ("trackingNumber", "1Z999"),
        ("trackingNumber", "1Z998"),
    )
    assert portion.placement == "portion"
    assert (portion.carrier, portion.tracking_number) == ("AMZL", "TBA2")
    assert portion.tracking_url == "https://track.example/TBA2"
    assert body.portions[0].ship_controls == (portion,)
    assert "ShipControl inside ShipNoticeHeader (accepted)" in doc.warnings
    assert "ShipControl inside ShipNoticePortion (accepted)" in doc.warnings
    # Amazon's own placement, beside the header, is the DTD's: no warning
    doc = cxml.parse(read_own("amazon_ship_notice.xml"))
    (control,) = doc.body.carriers
    assert control.placement == "request"
    assert control.carrier_identifier("companyName") == ""
    assert not any("ShipControl" in w for w in doc.warnings)


def test_ship_notice_line_exposes_po_matching_keys():
    body = cxml.parse(read_own("amazon_ship_notice.xml")).body
    (portion,) = body.portions
    assert (portion.order_id, portion.order_payload_id) == (
        "P00042",
        "1767261900000.4242.ab12cd@odoo.example",
    )
    assert portion.order_date == datetime(2026, 1, 1, 10, 5, tzinfo=timezone.utc)
    item = portion.items[1]
    assert (item.line_number, item.quantity, item.unit_of_measure) == (
        1,
        Decimal(2),
        "EA",
    )
    assert item.supplier_part_id == "B000TEST01"
    assert body.delivery_date.isoformat() == "2026-01-05T20:00:00-08:00"


# === INVOICE (12.6) === #


def test_summary_only_credit_memo_keeps_amounts():
    data = read_own("amazon_credit_memo_summary.xml")
    assert_dtd_valid(data, "InvoiceDetailRequest")
    doc = cxml.parse(data)
    body = doc.body
    assert (body.purpose, body.operation) == ("creditMemo", "new")
    assert body.is_header_invoice is True
    (order,) = body.orders
    assert order.items == ()
    assert (order.order_id, order.order_payload_id) == (
        "P00042",
        "1767261900000.4242.ab12cd@odoo.example",
    )
    summary = order.summary
    assert summary.invoice_line_number == 1
    assert summary.subtotal_amount == usd("-12.99")
    assert summary.tax == usd("-1.07")
    assert summary.tax_description == "Sales tax refund"
    assert summary.gross_amount == summary.net_amount == usd("-14.06")
    assert summary.comments == ("Returned: ballpoint pens",)
    assert summary.tax_details[0].location == "WA"
    assert not doc.warnings


def test_credit_memo_refers_to_original_invoice():
    body = cxml.parse(read_own("amazon_credit_memo_summary.xml")).body
    assert body.original_invoice_id == "INV-0001"
    assert body.original_invoice_date == datetime(2026, 1, 4, tzinfo=timezone.utc)
    assert body.original_invoice_payload_id == "1767484800000.77.dd44@amazon.com"
    assert body.comment_details == (
        cxml.Comment("Return of 1 unit", "reason", "en-US"),
    )
    plain = cxml.parse(read_own("amazon_invoice.xml")).body
    assert plain.original_invoice_id is None and not plain.is_header_invoice


def test_invoice_purpose_operation_and_return_line():
    data = _replace(
        "amazon_invoice.xml", 'purpose="standard"', 'purpose="lineLevelCreditMemo"'
    )
    data = data.replace(
        b'<InvoiceDetailItem invoiceLineNumber="1" quantity="2">',
        b'<InvoiceDetailItem invoiceLineNumber="1" quantity="-1" reason="return">',
    )
    assert_dtd_valid(data, "InvoiceDetailRequest")
    body = cxml.parse(data).body
    assert (body.purpose, body.operation) == ("lineLevelCreditMemo", "new")
    item = body.orders[0].items[0]
    assert (item.quantity, item.reason) == (Decimal(-1), "return")


def test_invoice_charges_discounts_deposits_and_terms():
    data = read_own("amazon_invoice_charges.xml")
    assert_dtd_valid(data, "InvoiceDetailRequest")
    doc = cxml.parse(data)
    body = doc.body
    assert body.is_special_handling_in_line and body.is_discount_in_line
    assert body.payment_terms == (
        cxml.PaymentTerm(10, Decimal(2)),
        cxml.PaymentTerm(30, Decimal(0)),
    )
    assert body.special_handling_amount == usd("1.00")
    assert body.special_handling_description == "Gift wrap"
    assert body.shipping_amount == usd("0.00")
    assert body.gross_amount == usd("57.78")
    assert body.discount == cxml.InvoiceDiscount(usd("2.62"), Decimal(5))
    assert body.net_amount == usd("55.16")
    assert body.deposit_amount == usd("10.00")
    assert body.due_amount == usd("45.16")
    assert body.tax_description == "Sales tax"
    (item,) = body.orders[0].items
    assert item.special_handling == usd("1.00")
    assert item.discount == cxml.InvoiceDiscount(usd("2.62"), Decimal(5))
    assert item.tax_details[0].location == "Seattle, WA"
    assert item.comments == ("Business price applied",)
    assert item.comment_details[0].type == "line"
    assert item.extrinsics == (("amazonOrderLine", "2"),)
    assert not doc.warnings


def test_invoice_payment_term_with_discount_child():
    data = _replace(
        "amazon_invoice.xml",
        '<ShipNoticeIDInfo shipNoticeID="1234567890123"/>',
        '<ShipNoticeIDInfo shipNoticeID="1234567890123"/>'
        '<PaymentTerm payInNumberOfDays="14"><Discount>'
        '<DiscountPercent percent="1.5"/></Discount></PaymentTerm>'
        '<PaymentTerm payInNumberOfDays="30"/>',
    )
    assert_dtd_valid(data, "InvoiceDetailRequest")
    terms = cxml.parse(data).body.payment_terms
    assert terms == (
        cxml.PaymentTerm(14, Decimal("1.5")),
        cxml.PaymentTerm(30, None),
    )


def test_invoice_line_exposes_po_matching_keys():
    body = cxml.parse(read_own("amazon_invoice_charges.xml")).body
    (order,) = body.orders
    assert (order.order_id, order.order_payload_id, order.supplier_order_id) == (
        "P00043",
        "1767344400000.4243.ef01@odoo.example",
        "111-7654321-1234567",
    )
    (item,) = order.items
    assert (item.invoice_line_number, item.line_number) == (1, 2)
    assert item.supplier_part_id == "B000TEST03"
    assert item.supplier_part_auxiliary_id == "111-7654321-1234567,2"
    assert (item.quantity, item.unit_of_measure) == (Decimal(500), "EA")
    # a price per 100: the unit price is per EA, the quoted one is kept
    assert item.price_basis.quantity == Decimal(100)
    assert item.price_basis.description == "price per 100 clips"
    assert item.unit_price_per_basis == usd("10.49")
    assert item.unit_price == usd("0.1049")
    assert item.unit_price.amount * item.quantity == item.subtotal_amount.amount


@pytest.mark.parametrize(
    "name",
    [
        "amazon_credit_memo_summary.xml",
        "amazon_invoice_charges.xml",
        "amazon_confirmation_reject.xml",
    ],
)
def test_new_fields_in_json_view(name):
    view = cxml.to_json_dict(cxml.parse(read_own(name)))
    assert view["envelope"] == "Request"
    assert view["header"]["sender_credentials"]
    assert "comment_details" in view["body"]
