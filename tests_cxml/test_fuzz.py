# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bounded property-based fuzzing: mutated samples raise only CXMLError.

The long run (>= 100,000 inputs, seeded) is ``bench/fuzz_cxml.py``.
"""

import base64

import cxml
from conftest import OWN_SAMPLES, PUBLIC_SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEEDS = [p.read_bytes() for p in sorted(PUBLIC_SAMPLES.rglob("*.xml"))] + [
    p.read_bytes() for p in sorted(OWN_SAMPLES.glob("*.xml"))
]
assert SEEDS, "no samples found for fuzzing"

TOKENS = [
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"]]>",
    b"<![CDATA[",
    b"<!ENTITY x 'y'>",
    b"<!DOCTYPE cXML [",
    b'"',
    b"\x00",
    b"\xff",
    b"\xc3",
    b"NaN",
    b"1E999999",
    b"-",
    b"</ItemIn>",
    b"<ItemIn quantity='x'>",
    b"<Money currency=''>",
    b"<Money>1</Money>",
    b"<Status/>",
    b"&#0;",
    b"&#x110000;",
]

_SETTINGS = settings(
    max_examples=3000,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


VALUES = [b"", b" ", b"NaN", b"-1", b"1E99999", b"abc", b"x" * 300, b"2026-99-99"]


def _replace_value(data, index, value, opener, closer):
    """Replace a text node (b'>'...b'<') or attribute value (b'="'...b'"')."""
    start = data.find(opener, index)
    if start < 0:
        return data
    start += len(opener)
    end = data.find(closer, start)
    if end >= 0:
        data[start:end] = VALUES[value % len(VALUES)]
    return data


def _mutate(data, ops):
    data = bytearray(data)
    for kind, position, value, token in ops:
        if not data:
            data = bytearray(token)
            continue
        index = position % len(data)
        if kind == 5:
            data = _replace_value(data, index, value, b">", b"<")
        elif kind == 6:
            data = _replace_value(data, index, value, b'="', b'"')
        elif kind == 0:
            data[index] ^= value or 1
        elif kind == 1:
            del data[index:]
        elif kind == 2:
            data[index:index] = token
        elif kind == 3:
            del data[index : index + value]
        else:
            data[index:index] = data[index : index + value]
    return bytes(data)


OPS = st.lists(
    st.tuples(
        st.integers(0, 6),
        st.integers(0, 1 << 20),
        st.integers(0, 255),
        st.sampled_from(TOKENS),
    ),
    min_size=1,
    max_size=6,
)


def _only_cxml_errors(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except cxml.CXMLError as error:
        assert isinstance(error.status_code, int)
        assert isinstance(error.text, str) and error.text


@_SETTINGS
@given(seed=st.sampled_from(SEEDS), ops=OPS)
def test_mutated_documents_raise_only_cxml_errors(seed, ops):
    data = _mutate(seed, ops)
    _only_cxml_errors(cxml.parse, data)
    _only_cxml_errors(cxml.parse_cart, data)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(seed=st.sampled_from(SEEDS), ops=OPS, encoding=st.integers(0, 2))
def test_mutated_forms_raise_only_cxml_errors(seed, ops, encoding):
    data = _mutate(seed, ops)
    if encoding == 0:
        form = {"cxml-base64": _mutate(base64.b64encode(seed), ops)}
        body = b""
    elif encoding == 1:
        form = {"cXML-urlencoded": data.decode("utf-8", "replace")}
        body = b""
    else:
        form = None
        body = b"cxml-urlencoded=" + data
    try:
        decoded = cxml.decode_cart_form(form, body)
    except cxml.CXMLError:
        return
    _only_cxml_errors(cxml.parse, decoded)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(data=st.binary(max_size=2000))
def test_random_bytes_raise_only_cxml_errors(data):
    _only_cxml_errors(cxml.parse, data)
    _only_cxml_errors(cxml.decode_cart_form, None, data)
