# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""payloadID factory, shared-secret check and redaction of secrets."""

import codecs
import functools
import hmac
import os
import re
import secrets
import socket
import time

from .const import REDACTED


@functools.lru_cache(maxsize=1)
def _default_host():
    # gethostname(), not getfqdn(): no DNS lookup on the request path
    return socket.gethostname() or "localhost"


def new_payload_id(hostname=None):
    """A payloadID unique in space and time (doc §2.2).

    Shape ``<epoch-ms>.<pid>.<random hex>@<host>``, like Amazon's own.
    """
    host = hostname or _default_host()
    host = re.sub(r"[^A-Za-z0-9.\-]", "-", host) or "localhost"
    return f"{int(time.time() * 1000)}.{os.getpid()}.{secrets.token_hex(8)}@{host}"


def verify_shared_secret(expected, received):
    """Constant-time comparison of two shared secrets.

    An empty expected secret never matches (misconfiguration is not a pass).
    """
    if not expected or received is None:
        return False
    if not isinstance(expected, str) or not isinstance(received, str):
        return False
    return hmac.compare_digest(expected.encode("utf-8"), received.encode("utf-8"))


#: a SharedSecret start tag, then its value: text and CDATA sections, up to
#: the next tag, the end of a comment (``-->``) or the end of the text, so a
#: secret in a comment or a truncated log line never takes the rest with it
_SECRET_RE = re.compile(
    r"(<\s*(?:[\w.-]+:)?SharedSecret\b[^<>]*?(?<!/)>)"
    r"((?:<!\[CDATA\[[\s\S]{0,4096}?\]\]>|<!\[CDATA\[[^<]*|(?!-->)[^<])+)",
    re.IGNORECASE,
)
_BASIC_RE = re.compile(
    r"(\b(?:Proxy-)?Authorization\s*[:=]\s*)(\S+)(\s+)(\S+)", re.IGNORECASE
)
_BASIC_SIMPLE_RE = re.compile(r"(\bBasic\s+)([A-Za-z0-9+/=._~-]{4,})", re.IGNORECASE)
_URL_CRED_RE = re.compile(r"(\b[a-z][a-z0-9+.-]*://)([^\s/@<>\"']+)@", re.IGNORECASE)


def _redact_text(text):
    text = _SECRET_RE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _BASIC_RE.sub(
        lambda m: m.group(1) + m.group(2) + m.group(3) + REDACTED, text
    )
    text = _BASIC_SIMPLE_RE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _URL_CRED_RE.sub(lambda m: m.group(1) + REDACTED + "@", text)
    return text


def _utf16_codec(data):
    """(codec, BOM) of UTF-16 bytes, from the BOM or the first ``<``; else None."""
    for bom, codec in (
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return codec, bom
    if data.startswith(b"<\x00"):
        return "utf-16-le", b""
    if data.startswith(b"\x00<"):
        return "utf-16-be", b""
    return None, b""


def redact(data):
    """Hide shared secrets and HTTP credentials in a payload or log text.

    Replaces the value of every ``<SharedSecret>`` element (any case,
    attributes, whitespace, CDATA, inside comments too), ``Authorization:
    Basic …`` values and ``scheme://user:password@`` URL credentials by
    ``********``; everything else is kept. Returns the same type as given
    (bytes or str); UTF-16 bytes stay UTF-16.
    """
    if data is None:
        return None
    if not isinstance(data, (bytes, bytearray)):
        return _redact_text(str(data))
    data = bytes(data)
    codec, bom = _utf16_codec(data)
    if codec is None:
        return _redact_text(data.decode("latin-1")).encode("latin-1")
    body = data[len(bom) :]
    odd = body[len(body) - len(body) % 2 :]
    text = body[: len(body) - len(odd)].decode(codec, errors="surrogatepass")
    return bom + _redact_text(text).encode(codec, errors="surrogatepass") + odd
