# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Large carts: results, warnings (in line order), errors and refusals of
the cart line mapping, wherever in the document the line is."""

from decimal import Decimal

import cxml
import pytest
from conftest import read_own

CART = read_own("amazon_us_cart.xml")


def _line(n, extra=b"", uom=b"<UnitOfMeasure>EA</UnitOfMeasure>"):
    return (
        b'<ItemIn quantity="%d"><ItemID><SupplierPartID>B%08d</SupplierPartID>'
        b"<SupplierPartAuxiliaryID> aux,%d </SupplierPartAuxiliaryID></ItemID>"
        b'<ItemDetail><UnitPrice><Money currency="EUR">%d.50</Money></UnitPrice>'
        b'<Description xml:lang="de-DE"><ShortName>S %d</ShortName>Item %d'
        b"</Description>%s"
        b'<Classification domain="UNSPSC">44121704</Classification>'
        b'<Extrinsic name="soldBy">Amazon</Extrinsic></ItemDetail>'
        b'<Tax><Money currency="EUR">1.90</Money><TaxDetail category="vat" '
        b'percentageRate="19"><TaxableAmount><Money currency="EUR">10.00</Money>'
        b"</TaxableAmount><TaxAmount><Money>1.90</Money></TaxAmount></TaxDetail>"
        b"</Tax>%s</ItemIn>\n" % (n % 5 + 1, n, n, n % 90, n, n, uom, extra)
    )


def _cart(lines):
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<cXML payloadID="p@x" timestamp="2026-01-01T00:00:00Z"><Header>'
        b'<From><Credential domain="NetworkId"><Identity>A</Identity></Credential>'
        b'</From><To><Credential domain="NetworkId"><Identity>B</Identity>'
        b'</Credential></To><Sender><Credential domain="NetworkId"><Identity>A'
        b"</Identity></Credential><UserAgent>x</UserAgent></Sender></Header>"
        b"<Message><PunchOutOrderMessage><BuyerCookie>c</BuyerCookie>"
        b'<PunchOutOrderMessageHeader operationAllowed="edit"><Total>'
        b'<Money currency="EUR">1.00</Money></Total></PunchOutOrderMessageHeader>'
        + b"".join(lines)
        + b"</PunchOutOrderMessage></Message></cXML>"
    )


def _outcome(data):
    try:
        return cxml.parse(data)
    except cxml.CXMLError as exc:
        return type(exc), str(exc)


MANY = [_line(n) for n in range(1, 301)]
CASES = {
    "sample": CART,
    "many lines": _cart(MANY),
    "warnings in lines": _cart(
        [_line(1), _line(2, uom=b""), _line(3, b'<Extrinsic name="x">y</Extrinsic>')]
        + MANY[3:40]
    ),
    "bad line in the middle": _cart(
        MANY[:150] + [_line(151).replace(b"SupplierPartID>", b"Other>")] + MANY[151:]
    ),
    "bad quantity late": _cart(MANY[:290] + [_line(291).replace(b'"2"', b'"x"')]),
    "nested ItemIn": _cart(
        [_line(1, b'<Extrinsic name="n"><ItemIn quantity="1"/></Extrinsic>')]
        + MANY[1:50]
    ),
    "syntax error at the end": _cart(MANY)[:-20],
    "entity declaration late": _cart(MANY).replace(
        b"<BuyerCookie>c</BuyerCookie>", b"<BuyerCookie>c</BuyerCookie>", 1
    )[:-7]
    + b"<!ENTITY a 'b'></cXML>",
}


EXPECTED = {
    "sample": 2,
    "many lines": 300,
    "warnings in lines": 40,
    "bad line in the middle": (
        cxml.CXMLParseError,
        "ItemIn 151: SupplierPartID is missing",
    ),
    "bad quantity late": (
        cxml.CXMLParseError,
        "ItemIn 291 quantity: 'x' is not a number",
    ),
    "nested ItemIn": 50,
    "syntax error at the end": (
        cxml.CXMLParseError,
        "Malformed XML: expected '>', line 302, column 21",
    ),
    "entity declaration late": (
        cxml.CXMLParseError,
        "cXML document declares entities (internal DTD subset): refused",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_outcome(name):
    outcome = _outcome(CASES[name])
    if isinstance(EXPECTED[name], int):
        assert len(outcome.body.items) == EXPECTED[name]
    else:
        assert outcome == EXPECTED[name]


def test_line_warnings_in_line_order():
    document = _outcome(CASES["warnings in lines"])
    lines = [w for w in document.warnings if w.startswith("ItemIn")]
    assert lines == ["ItemIn 2 (B00000002): UnitOfMeasure missing"]
    amounts = [w for w in document.warnings if "TaxAmount" in w]
    assert len(amounts) == 40
    at = document.warnings.index(lines[0])
    assert document.warnings[at - 1] == document.warnings[at + 1] == amounts[0]


def test_entity_declaration_anywhere_is_refused():
    data = _cart(MANY)
    at = data.index(b"<ItemIn", 3 * 65536)
    for cut in range(at, at + 9):
        hostile = data[:cut] + b"<!ENTITY x 'y'>" + data[cut:]
        with pytest.raises(cxml.CXMLParseError, match="declares entities"):
            cxml.parse(hostile)


def test_deep_nesting_inside_a_late_line_is_refused():
    deep = b"<a>" * 80 + b"x" + b"</a>" * 80
    data = _cart(
        MANY[:250] + [_line(251, b"<Extrinsic name='d'>" + deep + b"</Extrinsic>")]
    )
    with pytest.raises(cxml.CXMLParseError, match="deeper"):
        cxml.parse(data)
    cxml.parse(_cart(MANY[:250]), max_depth=8)
    with pytest.raises(cxml.CXMLParseError, match="deeper"):
        cxml.parse(_cart(MANY[:250]), max_depth=7)


def test_identical_tax_elements_give_equal_results_and_warn_per_line():
    # the same Tax on every line (all currencies given): equal results
    full = [
        line.replace(b"<TaxAmount><Money>", b'<TaxAmount><Money currency="EUR">')
        for line in MANY[:20]
    ]
    document = cxml.parse_cart(_cart(full))
    assert not [w for w in document.warnings if "Tax" in w]
    items = document.body.items
    assert len({item.tax_details for item in items}) == 1
    assert items[0].tax == cxml.Money(Decimal("1.90"), "EUR")
    # a TaxAmount without currency takes each line's currency and warns on
    # each line
    lines = [_line(n) for n in range(1, 4)]
    lines[1] = lines[1].replace(
        b'<Money currency="EUR">2.50', b'<Money currency="USD">2.50'
    )
    document = cxml.parse_cart(_cart(lines))
    details = [item.tax_details[0].tax_amount for item in document.body.items]
    assert [money.currency for money in details] == ["EUR", "USD", "EUR"]
    assert [w for w in document.warnings if "TaxAmount" in w] == [
        f"TaxDetail/TaxAmount: currency missing, {c} assumed"
        for c in ("EUR", "USD", "EUR")
    ]
