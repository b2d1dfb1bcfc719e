#!/usr/bin/env python3
# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Long seeded fuzz run of the cXML layer (no hypothesis needed).

Mutates the public samples and our fixtures (byte flips, truncations,
insertions of hostile tokens, deletions, duplications) and feeds them to
``parse``, ``parse_cart`` and ``decode_cart_form``. Anything other than a
``CXMLError`` is an unexpected exception; the run prints the counts and exits
1 if there was any.

Usage: python3 bench/fuzz_cxml.py [--count 100000] [--seed 20260101]
"""

import argparse
import base64
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "amazon_punchout"))

import cxml

SAMPLE_DIRS = [
    REPO.parent / "shared" / "cxml" / "samples" / "public",
    REPO / "tests_cxml" / "samples",
]
TOKENS = [
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&lt;",
    b"]]>",
    b"<![CDATA[x",
    b"<!ENTITY a 'b'>",
    b"<!DOCTYPE cXML [<!ELEMENT a ANY>]>",
    b"<!DOCTYPE cXML SYSTEM 'file:///etc/passwd'>",
    b'"',
    b"'",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xe2\x80",
    b"NaN",
    b"Infinity",
    b"1E999999999",
    b"-0",
    b"</ItemIn>",
    b"<ItemIn quantity='x'>",
    b"<Money currency=''>1</Money>",
    b"<Status/>",
    b"&#0;",
    b"&#x110000;",
    b"<cxml>",
    b"<a>" * 80,
    b"<?xml version='1.0'?>",
    b"<?pi x?>",
    b"<!-- c -->",
    b"xml:lang=''",
]


def load_seeds():
    seeds = []
    for folder in SAMPLE_DIRS:
        if folder.is_dir():
            seeds += [p.read_bytes() for p in sorted(folder.rglob("*.xml"))]
    if not seeds:
        sys.exit("no samples found (expected ../shared/cxml/samples/public)")
    return seeds


VALUES = [
    b"",
    b"  ",
    b"NaN",
    b"-1",
    b"0",
    b"1e5",
    b"1E999999999",
    b"0.000000000000001",
    b"abc",
    b"\xc3\xa9\xe2\x82\xac",
    b"x" * 600,
    b"2026-01-01",
    b"2026-13-45T99:99:99+99:99",
    b"invoice_date",
    b"yes",
    b"12,34",
    b"&amp;",
    b" 111-2223334-4445556,1 ",
]


def _replace_value(rng, data, opener, closer):
    """Replace a text node (opener b'>') or an attribute value (b'="')."""
    start = data.find(opener, rng.randrange(len(data)))
    if start < 0:
        return data
    start += len(opener)
    end = data.find(closer, start)
    if end < 0:
        return data
    data[start:end] = rng.choice(VALUES)
    return data


def mutate(rng, data):
    data = bytearray(data)
    rounds = 1 if rng.random() < 0.6 else rng.randint(2, 6)
    for _ in range(rounds):
        if data and rng.random() < 0.5:
            if rng.random() < 0.5:
                data = _replace_value(rng, data, b">", b"<")
            else:
                data = _replace_value(rng, data, b'="', b'"')
            continue
        if not data:
            data = bytearray(rng.choice(TOKENS))
            continue
        kind = rng.randrange(6)
        index = rng.randrange(len(data))
        if kind == 0:
            data[index] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data[index] = rng.randrange(256)
        elif kind == 2:
            del data[index:]
        elif kind == 3:
            data[index:index] = rng.choice(TOKENS)
        elif kind == 4:
            del data[index : index + rng.randint(1, 64)]
        else:
            size = rng.randint(1, 256)
            data[index:index] = data[index : index + size]
    return bytes(data)


def run_one(rng, seed):
    data = mutate(rng, seed)
    mode = rng.randrange(4)
    try:
        if mode == 0:
            cxml.parse(data)
        elif mode == 1:
            cxml.parse_cart(data)
        elif mode == 2:
            encoded = base64.b64encode(seed)
            form = {
                "cXML-base64": mutate(rng, encoded) if rng.random() < 0.5 else encoded
            }
            if form["cXML-base64"] == encoded:
                form = {"cxml-base64": base64.b64encode(data)}
            cxml.parse(cxml.decode_cart_form(form))
        else:
            cxml.parse(cxml.decode_cart_form(None, b"cxml-urlencoded=" + data, ""))
    except cxml.CXMLError as error:
        if not isinstance(error.status_code, int) or not error.text:
            raise AssertionError("CXMLError without status code or text") from error
        return "cxml_error"
    return "parsed"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    seeds = load_seeds()
    outcomes = Counter()
    unexpected = Counter()
    examples = {}
    start = time.perf_counter()
    for _ in range(args.count):
        seed = rng.choice(seeds)
        try:
            outcomes[run_one(rng, seed)] += 1
        except Exception as exc:  # noqa: BLE001 - counting is the point
            key = f"{type(exc).__name__}: {exc}"[:200]
            unexpected[key] += 1
            examples.setdefault(key, traceback.format_exc())
    elapsed = time.perf_counter() - start
    total_unexpected = sum(unexpected.values())
    print(
        f"fuzz_cxml: seed={args.seed} inputs={args.count} samples={len(seeds)} "
        f"parsed={outcomes['parsed']} cxml_errors={outcomes['cxml_error']} "
        f"unexpected={total_unexpected} time={elapsed:.1f}s"
    )
    for key, count in unexpected.most_common(10):
        print(f"  {count} x {key}")
        print(examples[key])
    return 1 if total_unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
