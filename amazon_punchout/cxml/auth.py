# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""payloadID factory, shared-secret check and redaction of secrets."""

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


_SECRET_RE = re.compile(
    r"(<\s*(?:[\w.-]+:)?SharedSecret\b[^>]*?(?<!/)>)(.*?)"
    r"(<\s*/\s*(?:[\w.-]+:)?SharedSecret\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_BASIC_RE = re.compile(
    r"(\b(?:Proxy-)?Authorization\s*[:=]\s*)(\S+)(\s+)(\S+)", re.IGNORECASE
)
_BASIC_SIMPLE_RE = re.compile(r"(\bBasic\s+)([A-Za-z0-9+/=._~-]{4,})", re.IGNORECASE)
_URL_CRED_RE = re.compile(r"(\b[a-z][a-z0-9+.-]*://)([^\s/@<>\"']+)@", re.IGNORECASE)


def _redact_text(text):
    text = _SECRET_RE.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)
    text = _BASIC_RE.sub(
        lambda m: m.group(1) + m.group(2) + m.group(3) + REDACTED, text
    )
    text = _BASIC_SIMPLE_RE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _URL_CRED_RE.sub(lambda m: m.group(1) + REDACTED + "@", text)
    return text


def redact(data):
    """Hide shared secrets and HTTP credentials in a payload or log text.

    Replaces the content of every ``<SharedSecret>`` element (any case,
    attributes, whitespace, CDATA), ``Authorization: Basic …`` values and
    ``scheme://user:password@`` URL credentials by ``********``. Returns the
    same type as given (bytes or str).
    """
    if data is None:
        return None
    if isinstance(data, (bytes, bytearray)):
        text = bytes(data).decode("latin-1")
        return _redact_text(text).encode("latin-1")
    return _redact_text(str(data))
