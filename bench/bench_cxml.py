#!/usr/bin/env python3
# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of the cXML layer against bare lxml (targets: ratios <= 4x).

* parse + map a generated 1,000-line PunchOutOrderMessage vs bare
  ``etree.fromstring`` of the same bytes;
* build a 1,000-line OrderRequest (dataclasses -> template dicts -> lxml
  tree -> bytes) vs bare lxml: the same tree built with plain
  ``etree.SubElement`` calls, then ``etree.tostring``. Serialising alone is
  printed too, for information: building any lxml tree element by element
  costs several times its serialisation, so it cannot be the reference.

Usage: python3 bench/bench_cxml.py [--lines 1000] [--repeat 30]

``--only CASE --times N`` runs one case N times and prints nothing: for
``bench/callgrind-cxml``, which counts instructions (valgrind) instead of
timing them.
"""

import argparse
import gc
import os
import statistics
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "amazon_punchout"))

import cxml
from lxml import etree

TARGET = 4.0
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def cart_bytes(lines):
    items = []
    for n in range(1, lines + 1):
        items.append(
            f"""<ItemIn quantity="{n % 7 + 1}"><ItemID>
<SupplierPartID>B0{n:08d}</SupplierPartID>
<SupplierPartAuxiliaryID> 111-2223334-4445556,{n} </SupplierPartAuxiliaryID></ItemID>
<ItemDetail><UnitPrice><Money currency="EUR">{n % 97 + 0.99:.2f}</Money></UnitPrice>
<Description xml:lang="de-DE"><ShortName>Artikel {n}</ShortName>Artikel Nummer {n}, \
blau, 10 Stück</Description><UnitOfMeasure>EA</UnitOfMeasure>
<Classification domain="UNSPSC">44121704</Classification>
<ManufacturerPartID>MPN-{n}</ManufacturerPartID><ManufacturerName>Beispiel GmbH\
</ManufacturerName>
<Extrinsic name="soldBy">Amazon EU S.a r.l.</Extrinsic>
<Extrinsic name="fulfilledBy">Amazon</Extrinsic>
<Extrinsic name="detailPageURL">https://www.amazon.de/dp/B0{n:08d}</Extrinsic>
</ItemDetail>
<Shipping><Money currency="EUR">0.00</Money><Description xml:lang="de-DE">Versand\
</Description></Shipping>
<Tax><Money currency="EUR">1.90</Money><Description xml:lang="de-DE">MwSt.</Description>
<TaxDetail category="vat" percentageRate="19.00" purpose="subtotalTax">
<TaxableAmount><Money currency="EUR">10.00</Money></TaxableAmount>
<TaxAmount><Money currency="EUR">1.90</Money></TaxAmount></TaxDetail></Tax>
</ItemIn>"""
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.024/cXML.dtd">\n'
        '<cXML payloadID="1.2.3@amazon.de" timestamp="2026-01-01T12:00:00+02:00">'
        '<Header><From><Credential domain="NetworkId"><Identity>Amazon</Identity>'
        '</Credential></From><To><Credential domain="NetworkId"><Identity>G1'
        '</Identity></Credential></To><Sender><Credential domain="NetworkId">'
        "<Identity>Amazon</Identity></Credential><UserAgent>x</UserAgent></Sender>"
        "</Header><Message><PunchOutOrderMessage><BuyerCookie>c</BuyerCookie>"
        '<PunchOutOrderMessageHeader operationAllowed="create"><Total>'
        '<Money currency="EUR">1.00</Money></Total></PunchOutOrderMessageHeader>'
        + "\n".join(items)
        + "</PunchOutOrderMessage></Message></cXML>"
    ).encode("utf-8")


def order_request(lines):
    header = cxml.Header(
        (cxml.Credential("NetworkId", "PunchoutGroup1"),),
        (cxml.Credential("NetworkId", "Amazon"),),
        cxml.Credential("NetworkId", "PunchoutGroup1", "secret"),
        "bench",
    )
    address = cxml.Address(
        "ACME",
        street=("1 Main Street",),
        city="Springfield",
        state="IL",
        postal_code="62701",
        country_code="US",
        email="ap@acme.example",
    )
    items = tuple(
        cxml.ItemOut(
            line_number=n,
            quantity=Decimal(n % 7 + 1),
            supplier_part_id=f"B0{n:08d}",
            supplier_part_auxiliary_id=f"111-2223334-4445556,{n}",
            unit_price=cxml.Money(Decimal(n % 97) + Decimal("0.99"), "USD"),
            description=f"Item number {n}, blue & green",
            unit_of_measure="EA",
            classifications=(("UNSPSC", "44121704"),),
            manufacturer_part_id=f"MPN-{n}",
            manufacturer_name="Maker Inc.",
            extrinsics=(("soldBy", "Amazon"), ("fulfilledBy", "Amazon")),
        )
        for n in range(1, lines + 1)
    )
    return cxml.OrderRequest(
        header=header,
        order_id="P00001",
        order_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
        items=items,
        ship_to=address,
        bill_to=address,
        payload_id="bench@odoo.example",
        timestamp=datetime(2026, 1, 1, tzinfo=timezone.utc),
    )


def bare_order_tree(doc):
    """The OrderRequest's tree with plain lxml calls (no templates, no checks)."""
    sub = etree.SubElement
    root = etree.Element("cXML", payloadID=doc.payload_id, timestamp="2026-01-01")
    header = sub(root, "Header")
    for part, credential in (
        ("From", doc.header.from_credentials[0]),
        ("To", doc.header.to_credentials[0]),
        ("Sender", doc.header.sender),
    ):
        element = sub(sub(header, part), "Credential", domain=credential.domain)
        sub(element, "Identity").text = credential.identity
    order = sub(sub(root, "Request"), "OrderRequest")
    sub(order, "OrderRequestHeader", orderID=doc.order_id)
    for item in doc.items:
        line = sub(order, "ItemOut", quantity=str(item.quantity))
        line.set("lineNumber", str(item.line_number))
        item_id = sub(line, "ItemID")
        sub(item_id, "SupplierPartID").text = item.supplier_part_id
        sub(item_id, "SupplierPartAuxiliaryID").text = item.supplier_part_auxiliary_id
        detail = sub(line, "ItemDetail")
        money = sub(sub(detail, "UnitPrice"), "Money", currency="USD")
        money.text = str(item.unit_price.amount)
        sub(detail, "Description", {XML_LANG: "en-US"}).text = item.description
        sub(detail, "UnitOfMeasure").text = item.unit_of_measure
        for domain, value in item.classifications:
            sub(detail, "Classification", domain=domain).text = value
        sub(detail, "ManufacturerPartID").text = item.manufacturer_part_id
        sub(detail, "ManufacturerName").text = item.manufacturer_name
        for name, value in item.extrinsics:
            sub(detail, "Extrinsic", name=name).text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def compare(ours, bare, repeat):
    """Interleave both measurements (the host may be shared and noisy);
    return ((best, median) ours, (best, median) bare) in seconds.

    The clock is this process's CPU time: time spent waiting for a core that
    other work holds is not counted against either side.
    """
    times_ours, times_bare = [], []
    for _ in range(repeat):
        for func, times in ((ours, times_ours), (bare, times_bare)):
            # Same footing for both: no garbage left by the other one is collected
            # inside the timing, and freeing the result is not timed either.
            gc.collect()
            start = time.process_time()
            result = func()
            times.append(time.process_time() - start)
            del result
    return (
        (min(times_ours), statistics.median(times_ours)),
        (min(times_bare), statistics.median(times_bare)),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--only", choices=("parse", "parse-bare", "build", "build-bare")
    )
    parser.add_argument("--times", type=int, default=1)
    args = parser.parse_args(argv)

    cart = cart_bytes(args.lines)
    doc = cxml.parse_cart(cart)
    assert len(doc.body.items) == args.lines
    order = order_request(args.lines)
    built = cxml.build_order_request(order)
    tree = etree.fromstring(built)
    assert len(tree.findall("Request/OrderRequest/ItemOut")) == args.lines
    cases = {
        "parse": lambda: cxml.parse_cart(cart),
        "parse-bare": lambda: etree.fromstring(cart),
        "build": lambda: cxml.build_order_request(order),
        "build-bare": lambda: bare_order_tree(order),
    }
    if args.only:
        for _ in range(args.times):
            cases[args.only]()
        return 0

    parse_ours, parse_bare = compare(cases["parse"], cases["parse-bare"], args.repeat)
    build_ours, build_bare = compare(cases["build"], cases["build-bare"], args.repeat)
    _ours, serialise = compare(
        lambda: None,
        lambda: etree.tostring(tree, xml_declaration=True, encoding="UTF-8"),
        args.repeat,
    )

    ok = True
    print(
        f"bench_cxml: lines={args.lines} repeat={args.repeat} "
        f"(best / median, CPU ms; load average {os.getloadavg()[0]:.1f})"
    )
    for label, ours, bare, size in (
        ("parse+map cart", parse_ours, parse_bare, len(cart)),
        ("build OrderRequest", build_ours, build_bare, len(built)),  # bare: tree+bytes
    ):
        ratio = ours[1] / bare[1]
        ok = ok and ratio <= TARGET
        print(
            f"  {label:20s} ours {ours[0] * 1000:7.2f} / {ours[1] * 1000:7.2f}   "
            f"bare lxml {bare[0] * 1000:7.2f} / {bare[1] * 1000:7.2f}   "
            f"ratio {ratio:4.2f}x of medians (best {ours[0] / bare[0]:4.2f}x, "
            f"target <= {TARGET:.0f}x)   {size / 1024:.0f} KiB"
        )
    print(
        f"  (serialising the built tree alone: {serialise[1] * 1000:.2f} ms, "
        f"build ratio to it {build_ours[1] / serialise[1]:.1f}x, no target)"
    )
    print("  result:", "targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
