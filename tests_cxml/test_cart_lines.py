# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Cart lines mapped while parsing: same results, errors and refusals as
mapping the finished tree (``load_xml`` then ``_parse_root``)."""

import importlib
from decimal import Decimal

import cxml
import pytest
from conftest import read_own

parse_module = importlib.import_module("cxml.parse")

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


def _tree_outcome(data, monkeypatch):
    """The same parse without mapping lines during the parse."""
    with monkeypatch.context() as patch:
        patch.setattr(
            parse_module,
            "_load_cart_lines",
            lambda data, size, depth: (
                parse_module.load_xml(data, max_size=size, max_depth=depth),
                None,
            ),
        )
        return _outcome(data)


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


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_outcome_as_mapping_the_tree(name, monkeypatch):
    data = CASES[name]
    assert _outcome(data) == _tree_outcome(data, monkeypatch)


def test_entity_declaration_after_the_first_chunk_is_refused():
    data = _cart(MANY)
    assert len(data) > 3 * parse_module._CHUNK
    at = data.index(b"<ItemIn", 2 * parse_module._CHUNK)
    for cut in range(at, at + 9):  # straddling a chunk boundary too
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


def test_lines_are_mapped_during_the_parse():
    data = _cart(MANY)
    root, lines = parse_module._load_cart_lines(data, parse_module.MAX_SIZE, 64)
    message = root.find("Message/PunchOutOrderMessage")
    done, _warnings, count = lines.get(message)
    assert count == len(done) == 300
    assert cxml.parse_cart(data).body.items == tuple(done)


def test_identical_tax_elements_are_shared_but_warnings_are_not():
    # the same Tax on every line (all currencies given): one result object
    full = [
        line.replace(b"<TaxAmount><Money>", b'<TaxAmount><Money currency="EUR">')
        for line in MANY[:20]
    ]
    document = cxml.parse_cart(_cart(full))
    assert not [w for w in document.warnings if "Tax" in w]
    items = document.body.items
    assert len({id(item.tax_details) for item in items}) == 1
    assert items[0].tax == cxml.Money(Decimal("1.90"), "EUR")
    # a TaxAmount without currency takes each line's currency and warns on
    # each line, even when the Tax elements are identical
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
