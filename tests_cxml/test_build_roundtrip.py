# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Builders: DTD order, determinism, rules of doc §3/§5/§7, and round trips.

Every document built here is DTD-validated by the autouse fixture in
conftest.py.
"""

from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal

import cxml
import pytest
from cxml import render, templates
from lxml import etree

TS = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)

HEADER = cxml.Header(
    from_credentials=(cxml.Credential("NetworkId", "PunchoutGroup0000001"),),
    to_credentials=(cxml.Credential("NetworkId", "Amazon"),),
    sender=cxml.Credential("NetworkId", "PunchoutGroup0000001", "not-a-real-secret"),
    user_agent="Odoo amazon_punchout 19.0",
)
SHIP_TO = cxml.Address(
    name="ACME Receiving",
    address_id="WH-1",
    deliver_to=("Jane Doe", "Dock 4"),
    street=("1 Main Street", "Building B"),
    city="Springfield",
    state="IL",
    postal_code="62701",
    country_code="US",
    country_name="United States",
    email="receiving@acme.example",
    phone="+1 217 5550100",
)
BILL_TO = cxml.Address(
    name="ACME Accounts Payable",
    street=("2 Main Street",),
    city="Springfield",
    state="IL",
    postal_code="62701",
    country_code="US",
    country_name="United States",
    email="ap@acme.example",
)


def setup_request(**kw):
    values = {
        "header": HEADER,
        "buyer_cookie": "7f3c0ffee",
        "browser_form_post_url": "https://odoo.example/amazon_punchout/return/tok",
        "user_email": "jane@acme.example",
        "user_name": "Jane Doe",
        "deployment_mode": "test",
        "extrinsics": (
            ("UserBusinessUnit", "Purchasing"),
            ("FirstName", "Jane"),
            ("LastName", "Doe"),
        ),
        "ship_to": SHIP_TO,
        "payload_id": "1767268800000.1.abc@odoo.example",
        "timestamp": TS,
    }
    values.update(kw)
    return cxml.PunchOutSetupRequest(**values)


def item(n, **kw):
    values = {
        "line_number": n,
        "quantity": Decimal(n),
        "supplier_part_id": f"B000TEST{n:02d}",
        "supplier_part_auxiliary_id": f"111-2223334-4445556,{n}",
        "unit_price": cxml.Money(Decimal("12.34"), "USD"),
        "description": f'Item {n} & <friends> "quoted"',
        "unit_of_measure": "EA",
        "classifications": (("UNSPSC", "44121704"),),
        "manufacturer_part_id": "MPN-1",
        "manufacturer_name": "Maker Inc.",
        "requested_delivery_date": date(2026, 2, 1),
        "extrinsics": (("soldBy", "Amazon"), ("fulfilledBy", "Amazon")),
    }
    values.update(kw)
    return cxml.ItemOut(**values)


def order_request(**kw):
    values = {
        "header": HEADER,
        "order_id": "P00042",
        "order_date": datetime(2026, 1, 1, 10, 5, tzinfo=timezone.utc),
        "items": (
            item(1),
            item(2),
            item(3, unit_price=cxml.Money(Decimal("0.10"), "USD")),
        ),
        "ship_to": SHIP_TO,
        "bill_to": BILL_TO,
        "deployment_mode": "test",
        "shipping": cxml.Money(Decimal(0), "USD"),
        "tax": cxml.Money(Decimal(0), "USD"),
        "contact_name": "Jane Doe",
        "contact_email": "jane@acme.example",
        "comments": "Please deliver to dock 4",
        "extrinsics": (("CostCenter", "100"),),
        "payload_id": "1767268800000.2.def@odoo.example",
        "timestamp": TS,
    }
    values.update(kw)
    return cxml.OrderRequest(**values)


# === SETUP REQUEST === #


def test_setup_request_shape():
    data = cxml.build_punchout_setup_request(setup_request())
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE cXML")
    assert (
        b'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd">'
        in data
    )
    root = etree.fromstring(data)
    assert root.get("version") == "1.2.069"
    assert root.get("timestamp") == "2026-01-01T12:00:00+00:00"
    assert root.find("Request").get("deploymentMode") == "test"
    request = root.find("Request/PunchOutSetupRequest")
    assert request.get("operation") == "create"
    assert [c.tag for c in request] == [
        "BuyerCookie",
        "Extrinsic",
        "Extrinsic",
        "Extrinsic",
        "Extrinsic",
        "BrowserFormPost",
        "Contact",
        "ShipTo",
    ]
    assert request.find("Extrinsic").get("name") == "UserEmail"
    assert request.find("Extrinsic").text == "jane@acme.example"
    contact = request.find("Contact")
    assert contact.get("role") == "endUser"
    assert contact.findtext("Name") == "Jane Doe"
    assert contact.findtext("Email") == "jane@acme.example"
    # SharedSecret only under Sender
    secrets = root.findall(".//SharedSecret")
    assert len(secrets) == 1
    assert secrets[0].getparent().getparent().tag == "Sender"
    assert root.findtext("Header/To/Credential/Identity") == "Amazon"
    assert root.find("Header/From/Credential").get("domain") == "NetworkId"


def test_setup_request_deterministic():
    first = cxml.build_punchout_setup_request(setup_request())
    assert first == cxml.build_punchout_setup_request(setup_request())


def test_setup_request_round_trip():
    doc = setup_request()
    parsed = cxml.parse(cxml.build_punchout_setup_request(doc))
    assert parsed.doc_type == "PunchOutSetupRequest"
    assert parsed.warnings == ()
    assert parsed.body == doc
    assert parsed.header.sender.shared_secret == "not-a-real-secret"
    assert parsed.deployment_mode == "test"


def test_setup_request_minimal_round_trip():
    doc = setup_request(ship_to=None, extrinsics=(), deployment_mode="production")
    parsed = cxml.parse(cxml.build_punchout_setup_request(doc))
    assert parsed.body == doc


def test_setup_request_defaults_payload_id_and_timestamp():
    data = cxml.build_punchout_setup_request(
        setup_request(payload_id=None, timestamp=None)
    )
    doc = cxml.parse(data)
    assert "@" in doc.payload_id
    assert doc.timestamp.tzinfo is not None


def test_setup_request_rejects_bad_deployment_mode():
    with pytest.raises(ValueError):
        cxml.build_punchout_setup_request(setup_request(deployment_mode="sandbox"))


# === ORDER REQUEST === #


def test_order_request_shape_and_total():
    data = cxml.build_order_request(order_request())
    root = etree.fromstring(data)
    header = root.find("Request/OrderRequest/OrderRequestHeader")
    assert header.get("orderID") == "P00042"
    assert header.get("orderDate") == "2026-01-01T10:05:00+00:00"
    assert header.get("type") == "new"
    # Total = exact sum of lines: 1*12.34 + 2*12.34 + 3*0.10
    assert header.findtext("Total/Money") == "37.32"
    assert header.find("Total/Money").get("currency") == "USD"
    assert [c.tag for c in header] == [
        "Total",
        "ShipTo",
        "BillTo",
        "Shipping",
        "Tax",
        "Contact",
        "Comments",
        "Extrinsic",
    ]
    first = root.find("Request/OrderRequest/ItemOut")
    assert first.get("quantity") == "1" and first.get("lineNumber") == "1"
    assert first.get("requestedDeliveryDate") == "2026-02-01"
    assert first.findtext("ItemID/SupplierPartAuxiliaryID") == "111-2223334-4445556,1"
    assert (
        first.find("ItemDetail/Description").get(
            "{http://www.w3.org/XML/1998/namespace}lang"
        )
        == "en-US"
    )
    assert [c.tag for c in first.find("ItemDetail")] == [
        "UnitPrice",
        "Description",
        "UnitOfMeasure",
        "Classification",
        "ManufacturerPartID",
        "ManufacturerName",
        "Extrinsic",
        "Extrinsic",
    ]
    assert len(root.findall(".//SharedSecret")) == 1


def test_order_request_round_trip():
    doc = order_request()
    parsed = cxml.parse(cxml.build_order_request(doc))
    assert parsed.doc_type == "OrderRequest"
    assert parsed.warnings == ()
    expected = replace(doc, total=cxml.Money(Decimal("37.32"), "USD"))
    assert parsed.body == expected


def test_order_request_jpy_and_kwd_minor_units():
    jpy = order_request(
        items=(
            item(
                1, unit_price=cxml.Money(Decimal("1234.5"), "JPY"), quantity=Decimal(3)
            ),
        ),
        shipping=None,
        tax=None,
    )
    root = etree.fromstring(cxml.build_order_request(jpy))
    assert root.findtext(".//ItemOut/ItemDetail/UnitPrice/Money") == "1235"
    assert root.findtext(".//Total/Money") == "3705"
    kwd = order_request(
        items=(
            item(
                1,
                unit_price=cxml.Money(Decimal("1.2345"), "kwd"),
                quantity=Decimal(2),
            ),
        ),
        shipping=None,
        tax=None,
    )
    root = etree.fromstring(cxml.build_order_request(kwd))
    assert root.findtext(".//ItemOut/ItemDetail/UnitPrice/Money") == "1.235"
    assert root.find(".//Total/Money").get("currency") == "KWD"
    assert root.findtext(".//Total/Money") == "2.470"


def test_order_request_explicit_total_and_fractional_quantity():
    doc = order_request(
        items=(item(1, quantity=Decimal("2.50")),),
        total=cxml.Money(Decimal(99), "USD"),
    )
    root = etree.fromstring(cxml.build_order_request(doc))
    assert root.findtext(".//Total/Money") == "99.00"
    assert root.find(".//ItemOut").get("quantity") == "2.5"


def test_order_request_omits_empty_optional_attributes():
    doc = order_request(items=(item(1, requested_delivery_date=None),))
    data = cxml.build_order_request(doc)
    assert b"requestedDeliveryDate" not in data
    assert b'=""' not in data


def test_order_request_defaults_uom_and_classification():
    doc = order_request(items=(item(1, unit_of_measure="", classifications=()),))
    root = etree.fromstring(cxml.build_order_request(doc))
    assert root.findtext(".//ItemDetail/UnitOfMeasure") == "EA"
    assert root.find(".//ItemDetail/Classification").get("domain") == "UNSPSC"


def test_order_request_rejects_mixed_currencies_and_floats():
    mixed = order_request(
        items=(item(1), item(2, unit_price=cxml.Money(Decimal(1), "EUR")))
    )
    with pytest.raises(ValueError):
        cxml.build_order_request(mixed)
    with pytest.raises(TypeError):
        cxml.build_order_request(order_request(items=(item(1, quantity=1.5),)))
    with pytest.raises(TypeError):
        cxml.build_order_request(
            order_request(items=(item(1, unit_price=cxml.Money(1.5, "USD")),))
        )


def test_order_request_rejects_invalid_xml_characters():
    with pytest.raises(ValueError):
        cxml.build_order_request(order_request(comments="bad \x00 char"))


def test_order_request_aux_id_verbatim():
    aux = "  odd,aux ID with spaces & <chars>  " + "x" * 500
    doc = order_request(items=(item(1, supplier_part_auxiliary_id=aux),))
    parsed = cxml.parse(cxml.build_order_request(doc))
    # the builder echoes it verbatim; the lenient parser trims outer whitespace
    assert parsed.body.items[0].supplier_part_auxiliary_id == aux.strip()
    assert aux.encode().replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(
        b">", b"&gt;"
    ) in cxml.build_order_request(doc)


# === RESPONSE === #


def test_response_round_trip():
    data = cxml.build_response(200, "OK", "p1@odoo.example", TS)
    doc = cxml.parse(data)
    assert doc.doc_type == "Response"
    assert doc.status == cxml.Status(200, "OK")
    assert doc.body == cxml.Response(cxml.Status(200, "OK"))
    assert doc.payload_id == "p1@odoo.example"
    assert doc.timestamp == TS


def test_response_default_text_and_codes():
    for code, text in ((401, "Unauthorized"), (409, "Conflict"), (500, None)):
        doc = cxml.parse(cxml.build_response(code, text))
        assert doc.status.code == code
        assert doc.status.text


# === RENDERER === #


def _xml(element):
    return etree.tostring(element, encoding="unicode")


def test_renderer_refuses_unknown_child():
    with pytest.raises(ValueError, match="unknown"):
        render.render_node({"Bogus": "x"}, templates.ItemOut)


def test_renderer_refuses_missing_required_attribute():
    with pytest.raises(ValueError, match="required"):
        render.render_node({"_text": "1"}, templates.Money)


def test_renderer_orders_children_by_template():
    element = render.render_node(
        {"Email": "a@b.c", "Name": {"xml:lang": "en", "_text": "N"}},
        templates.Address,
    )
    assert _xml(element) == (
        '<Address><Name xml:lang="en">N</Name><Email>a@b.c</Email></Address>'
    )


def test_renderer_drops_empty_nodes_unless_required():
    element = render.render_node(
        {"Name": {"xml:lang": "en", "_text": "N"}, "Email": "", "Phone": {}},
        templates.Address,
    )
    assert _xml(element) == '<Address><Name xml:lang="en">N</Name></Address>'
    number = {"CountryCode": {"isoCountryCode": "US"}, "AreaOrCityCode": ""}
    element = render.render_node(number, templates.TelephoneNumber)
    assert [child.tag for child in element] == ["CountryCode", "AreaOrCityCode"]


def test_renderer_escapes_attributes():
    element = render.render_node(
        {"name": 'a"b<c>&\n', "_text": "v"}, templates.Extrinsic
    )
    assert etree.fromstring(_xml(element)).get("name") == 'a"b<c>&\n'


@pytest.mark.parametrize(
    "overrides",
    [
        {"description": 'tricky "quotes"\nnew line\ttab & <tags> 100% %s %(x)s'},
        {"supplier_part_auxiliary_id": "  a,b %d & <c>  ", "description": "é€😀"},
        {"extrinsics": (("a&b", "1<2"), ("x", "y"), ("z", ""))},
        {"quantity": Decimal("0.333"), "line_number": 7},
    ],
)
def test_order_lines_round_trip_special_text(overrides):
    doc = order_request(items=(item(1), item(2, **overrides)))
    parsed = cxml.parse(cxml.build_order_request(doc)).body.items[1]
    for name, value in overrides.items():
        expected = value.strip() if isinstance(value, str) else value
        assert getattr(parsed, name) == expected


def test_order_lines_refuse_invalid_characters():
    for bad in ("\x01", "\x00", "a\x1fb", "\ufffe"):
        with pytest.raises(ValueError):
            cxml.build_order_request(order_request(items=(item(1, description=bad),)))


def test_order_total_fractional_quantities_round_per_line():
    doc = order_request(
        items=(
            item(
                1, quantity=Decimal("0.333"), unit_price=cxml.Money(Decimal(1), "USD")
            ),
            item(
                2, quantity=Decimal("0.333"), unit_price=cxml.Money(Decimal(1), "USD")
            ),
        ),
    )
    root = etree.fromstring(cxml.build_order_request(doc))
    # each line 0.333 -> 0.33, total 0.66 (not round(0.666) = 0.67)
    assert root.findtext(".//Total/Money") == "0.66"
    assert cxml.order_total(doc) == (Decimal("0.66"), "USD")
