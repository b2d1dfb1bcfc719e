# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One small renderer: ordered structure dicts -> cXML bytes.

In the style of Odoo's ``account/tools/dict_to_xml.py``: a *template* fixes
the element order (DTD order) and the allowed attributes; a *value* dict says
what to emit. Keys of a value dict are attribute names (listed in the
template's ``_attrs``), child element names (the other template keys) or
``_text``. A child value may be a dict, a list of dicts/strings (repeated
element) or a plain string (text-only element). ``None`` and ``""`` attribute
values are omitted, ``None`` children are skipped. A key the template does
not know raises :class:`ValueError`: nothing outside the template reaches
the wire.

Output is serialised directly (no intermediate tree), which keeps building a
1,000-line order close to the cost of serialising an lxml tree.
"""

import re

from .const import CXML_VERSION, DTD_URL

_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\t": "&#9;",
}


def _check_chars(text):
    if _INVALID_XML_CHARS.search(text):
        raise ValueError(f"character not allowed in XML in {text[:40]!r}")


def escape_text(text):
    _check_chars(text)
    if _TEXT_SPECIAL.search(text):
        return _TEXT_SPECIAL.sub(lambda m: _TEXT_ESCAPES[m.group(0)], text)
    return text


def escape_attr(text):
    _check_chars(text)
    if _ATTR_SPECIAL.search(text):
        return _ATTR_SPECIAL.sub(lambda m: _ATTR_ESCAPES[m.group(0)], text)
    return text


class _Compiled:
    __slots__ = ("attrs", "children", "known", "required", "tag")

    def __init__(self, template):
        self.tag = template["_tag"]
        self.attrs = tuple(template.get("_attrs", ()))
        self.required = frozenset(template.get("_required", ()))
        self.children = tuple(
            (key, compile_template(sub))
            for key, sub in template.items()
            if not key.startswith("_")
        )
        self.known = frozenset(self.attrs) | {k for k, _ in self.children} | {"_text"}


_CACHE = {}


def compile_template(template):
    key = id(template)
    compiled = _CACHE.get(key)
    if compiled is None:
        compiled = _CACHE[key] = (_Compiled(template), template)
    return compiled[0]


def _render(out, value, node):
    tag = node.tag
    if isinstance(value, str):
        if node.children or node.required:
            raise ValueError(f"<{tag}> needs a structure, not text")
        out.append(f"<{tag}>{escape_text(value)}</{tag}>")
        return
    if not isinstance(value, dict):
        raise ValueError(f"<{tag}>: unexpected value type {type(value).__name__}")
    for key in value:
        if key not in node.known:
            raise ValueError(f"<{tag}>: unknown child or attribute {key!r}")
    out.append("<" + tag)
    for name in node.attrs:
        attr = value.get(name)
        if attr is None or attr == "":
            if name in node.required:
                raise ValueError(f"<{tag}>: required attribute {name!r} missing")
            continue
        out.append(f' {name}="{escape_attr(str(attr))}"')
    start = len(out)
    out.append(">")
    text = value.get("_text")
    if text:
        out.append(escape_text(text))
    for name, child in node.children:
        sub = value.get(name)
        if sub is None:
            continue
        if isinstance(sub, (list, tuple)):
            for item in sub:
                if item is not None:
                    _render(out, item, child)
        else:
            _render(out, sub, child)
    if len(out) == start + 1:
        out[start] = "/>"
    else:
        out.append(f"</{tag}>")


def render_fragment(value, template):
    """Render ``value`` with ``template`` to a str (no prolog)."""
    out = []
    _render(out, value, compile_template(template))
    return "".join(out)


def render_document(value, template, dtd_file, version=CXML_VERSION):
    """Render a whole cXML document: XML declaration, DOCTYPE, UTF-8 bytes."""
    body = render_fragment(value, template)
    url = DTD_URL.format(version=version, file=dtd_file)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<!DOCTYPE cXML SYSTEM "{url}">\n{body}\n'
    ).encode()
