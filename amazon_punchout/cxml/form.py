# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Decoding of the cart form the browser posts back (doc §4.1, §4.4)."""

import base64
import binascii
import re
from urllib.parse import unquote_to_bytes

from .const import FORM_FIELD_BASE64, FORM_FIELD_URLENCODED, MAX_SIZE
from .exceptions import CXMLParseError, CXMLSizeError

_WS = b" \t\r\n"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_DECL_ENCODING = re.compile(
    r"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[A-Za-z0-9._-]+\2", re.IGNORECASE
)
_B64_JUNK = re.compile(rb"[\s]")


def _looks_like_xml(data):
    head = data.lstrip(_WS)
    for bom in _BOMS:
        if head.startswith(bom):
            return True
    return head.startswith(b"<")


def _str_to_bytes(value):
    """A decoded str is re-encoded as UTF-8 and its declaration made to agree."""
    value = _DECL_ENCODING.sub(
        lambda m: f"{m.group(1)}{m.group(2)}UTF-8{m.group(2)}", value
    )
    return value.encode("utf-8", "surrogatepass")


def _as_bytes(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return None
    if isinstance(value, (list, tuple)) and value:
        return _as_bytes(value[0])
    raise CXMLParseError("cXML form field has an unexpected type")


def _decode_base64(value, max_size):
    raw = value if isinstance(value, bytes) else value.encode("latin-1", "replace")
    if len(raw) > max_size * 4 // 3 + 1024:
        raise CXMLSizeError("cXML-base64 form field exceeds the size limit")
    raw = raw.strip(_WS)
    # '+' turned into ' ' by a wrong URL decoding is restored
    raw = raw.replace(b" ", b"+")
    raw = _B64_JUNK.sub(b"", raw).replace(b"-", b"+").replace(b"_", b"/")
    raw += b"=" * (-len(raw) % 4)
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise CXMLParseError("cXML-base64 form field is not valid base64") from None
    if not _looks_like_xml(data):
        raise CXMLParseError("cXML-base64 form field does not decode to XML")
    return data


def _decode_urlencoded(value):
    if isinstance(value, str):
        stripped = value.lstrip()
        if stripped[:3].upper() == "%3C":
            # encoded twice: decode the remaining layer
            return unquote_to_bytes(stripped.replace("+", " "))
        return _str_to_bytes(value)
    data = value
    if data.lstrip(_WS)[:3].upper() == b"%3C":
        data = unquote_to_bytes(data.lstrip(_WS).replace(b"+", b" "))
    return data


def _parse_body(raw_body):
    fields = {}
    for pair in raw_body.split(b"&"):
        if not pair:
            continue
        name, _sep, value = pair.partition(b"=")
        name = unquote_to_bytes(name.replace(b"+", b" ")).decode("latin-1").strip()
        fields.setdefault(name, unquote_to_bytes(value.replace(b"+", b" ")))
    return fields


def _find(fields, wanted):
    for name, value in fields.items():
        if isinstance(name, str) and name.strip().lower() == wanted:
            return value
        if isinstance(name, bytes) and name.strip().lower() == wanted.encode():
            return value
    return None


def _from_fields(fields, max_size):
    value = _find(fields, FORM_FIELD_BASE64)
    if value is not None:
        raw = _as_bytes(value)
        return _decode_base64(raw if raw is not None else value, max_size)
    value = _find(fields, FORM_FIELD_URLENCODED)
    if value is not None:
        raw = _as_bytes(value)
        data = _decode_urlencoded(raw if raw is not None else value)
        if not data.strip(_WS):
            raise CXMLParseError("cXML-urlencoded form field is empty")
        if not _looks_like_xml(data):
            raise CXMLParseError("cXML-urlencoded form field does not contain XML")
        return data
    return None


def decode_cart_form(form=None, raw_body=b"", content_type="", *, max_size=MAX_SIZE):
    """Return the cXML bytes of a cart post.

    Looks for ``cXML-base64`` first, then ``cXML-urlencoded`` (field names in
    any casing), in ``form`` and then in an urlencoded ``raw_body``; finally
    accepts a raw XML body.

    :raise CXMLParseError: nothing usable, or garbage in the fields (cXML 400)
    """
    if raw_body is None:
        raw_body = b""
    if isinstance(raw_body, str):
        raw_body = _str_to_bytes(raw_body)
    if not isinstance(raw_body, (bytes, bytearray, memoryview)):
        raise CXMLParseError("cart body must be bytes")
    raw_body = bytes(raw_body)
    if max_size and len(raw_body) > max_size * 3 + 1024:
        raise CXMLSizeError("cart post exceeds the size limit")
    try:
        data = None
        if form:
            data = _from_fields(dict(form.items()), max_size)
        body = raw_body.strip(_WS)
        if data is None and body:
            if "xml" in (content_type or "").lower() or _looks_like_xml(body):
                if not _looks_like_xml(body):
                    raise CXMLParseError("cart body is not XML")
                data = raw_body
            else:
                data = _from_fields(_parse_body(body), max_size)
    except CXMLParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - defensive: only CXMLError leaves
        raise CXMLParseError(f"Unreadable cart post ({type(exc).__name__})") from None
    if data is None:
        raise CXMLParseError(
            "No cart found: expected a cXML-base64 or cXML-urlencoded form field "
            "or an XML body"
        )
    if max_size and len(data) > max_size:
        raise CXMLSizeError(
            f"cXML cart of {len(data)} bytes exceeds the limit of {max_size} bytes"
        )
    # an XML declaration must come first: drop whitespace a transport added
    return data.lstrip(_WS)
