# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hardened XML loading (doc §4.4, §7; style rule 5).

Our own lxml parser never loads a DTD, never touches the network and never
expands entities. Refused: documents over the size cap, documents that
declare entities or carry an internal DTD subset (billion laughs, XXE),
entity references left unresolved, and trees deeper than the depth bound.
"""

import re

from lxml import etree

from ..const import MAX_DEPTH, MAX_SIZE
from ..exceptions import CXMLParseError, CXMLSizeError

_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[")


def _parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
        # do not pass collect_ids=False: with lxml 5.2 / libxml2 2.12 it
        # makes libxml2 read the DOCTYPE's external subset (file://)
    )


def _checked_bytes(data, max_size):
    """The input as bytes, after the checks made before any parsing."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    elif isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise CXMLParseError("cXML input must be bytes")
    if max_size and len(data) > max_size:
        raise CXMLSizeError(
            f"cXML document of {len(data)} bytes exceeds the limit of {max_size} bytes"
        )
    if not data or data.isspace():
        raise CXMLParseError("Empty cXML document")
    if b"<!ENTITY" in data or _INTERNAL_SUBSET.search(data, 0, 65536):
        raise CXMLParseError(
            "cXML document declares entities (internal DTD subset): refused"
        )
    return data


def _check_tree(root, max_depth):
    """The checks made after parsing."""
    if root is None:
        raise CXMLParseError("Empty cXML document")
    subset = root.getroottree().docinfo.internalDTD
    if subset is not None and (
        list(subset.iterelements()) or list(subset.iterentities())
    ):
        raise CXMLParseError("cXML document has an internal DTD subset: refused")
    for entity in root.iter(etree.Entity):
        raise CXMLParseError(f"undeclared entity reference {entity.text[:40]}: refused")
    if max_depth and root.xpath("boolean(/*" + "/*" * max_depth + ")"):
        raise CXMLParseError(f"cXML document nested deeper than {max_depth} levels")
    return root


def load_xml(data, *, max_size=MAX_SIZE, max_depth=MAX_DEPTH):
    """Parse bytes with the hardened parser; return the root element.

    :raise CXMLParseError: malformed or hostile input
    :raise CXMLSizeError: input over ``max_size`` bytes
    """
    data = _checked_bytes(data, max_size)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg if getattr(exc, "msg", None) else exc)[:200]
        raise CXMLParseError(f"Malformed XML: {message}") from None
    except (ValueError, TypeError, LookupError, MemoryError, etree.LxmlError) as exc:
        raise CXMLParseError(f"Unreadable XML: {type(exc).__name__}") from None
    return _check_tree(root, max_depth)
