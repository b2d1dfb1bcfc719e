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
    return _escape_attr_unchecked(text)


def _escape_attr_unchecked(text):
    if _ATTR_SPECIAL.search(text):
        # str.replace runs in C: fast even on the joined leaves of many lines
        for char, entity in _ATTR_ESCAPES.items():
            if char in text:
                text = text.replace(char, entity)
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


class RawXML(str):
    """Markup produced by this renderer, inserted as is (never user input)."""

    __slots__ = ()


def _render_attributes(out, value, node):
    for name in node.attrs:
        attr = value.get(name)
        if attr is None or attr == "":
            # empty optional attributes are omitted, required ones kept
            if name not in node.required:
                continue
            if attr is None:
                raise ValueError(f"<{node.tag}>: required attribute {name!r} missing")
        out.append(f' {name}="{escape_attr(str(attr))}"')


def _render(out, value, node):
    tag = node.tag
    if type(value) is RawXML:
        out.append(value)
        return
    if isinstance(value, str):
        if node.children or node.required:
            raise ValueError(f"<{tag}> needs a structure, not text")
        out.append(f"<{tag}>{escape_text(value)}</{tag}>")
        return
    if not isinstance(value, dict):
        raise TypeError(f"<{tag}>: unexpected value type {type(value).__name__}")
    for key in value:
        if key not in node.known:
            raise ValueError(f"<{tag}>: unknown child or attribute {key!r}")
    out.append("<" + tag)
    _render_attributes(out, value, node)
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


# === REPEATED NODES (fast path) === #

_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
# \x01 cannot occur in XML text: a safe separator for the joined leaves (its
# count is checked), and it keeps ASCII text in Python's compact 1-byte form
_SEP = "\x01"
_INVALID_EXCEPT_SEP = re.compile("[\x00\x02-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MARK_RE = re.compile(_MARK_OPEN + r"(\d+)" + _MARK_CLOSE)
_SKELETONS = {}


def _skeleton(shape, to_value, template, size):
    """(format, order, count): ``order`` maps format slots to present leaves
    (None when they already come in document order)."""
    key = (id(template), to_value, shape, size)
    skeleton = _SKELETONS.get(key)
    if skeleton is None:
        marks = [f"{_MARK_OPEN}{i}{_MARK_CLOSE}" for i in range(size)]
        text = render_fragment(to_value(shape, marks), template)
        if len(_MARK_RE.findall(text)) != size:
            raise ValueError("every leaf must appear once in the rendered node")
        slots = [int(m) for m in _MARK_RE.findall(text)]
        fmt = _MARK_RE.sub("%s", text.replace("%", "%%"))
        present = sorted(slots)
        rank = {leaf: n for n, leaf in enumerate(present)}
        order = None if slots == present else [rank[leaf] for leaf in slots]
        skeleton = _SKELETONS[key] = (fmt, order, len(present))
    return skeleton


_FORBIDDEN_ASCII = bytes(c for c in range(32) if c not in (0x01, 0x09, 0x0A, 0x0D))


def _has_invalid_chars(joined):
    """True if ``joined`` holds a character not allowed in XML (``\x01`` aside)."""
    if joined.isascii():
        # bytes.translate runs in C, much faster than a regex character class
        data = joined.encode("ascii")
        return len(data.translate(None, _FORBIDDEN_ASCII)) != len(data)
    return _INVALID_EXCEPT_SEP.search(joined) is not None


def render_repeated(rows, to_value, template):
    """Render many nodes of one template as :class:`RawXML`.

    ``rows`` are ``(shape, leaves)``: ``to_value(shape, leaves)`` must build
    the node's value dict from the leaf strings (present leaves only, in
    order; the shape tells which optional parts exist). The template is
    rendered once per shape with placeholder leaves; each row is then filled
    in with its leaves, all escaped in one pass (attribute escaping, valid
    everywhere). The output is the same XML as rendering each value dict.
    """
    if not rows:
        return RawXML("")
    skeletons = {}
    formats = []
    flat = []
    in_order = True
    for shape, leaves in rows:
        skeleton = skeletons.get(shape)
        if skeleton is None:
            skeleton = skeletons[shape] = _skeleton(
                shape, to_value, template, len(leaves)
            )
            in_order = in_order and skeleton[1] is None
        formats.append(skeleton)
        flat += leaves
    try:
        joined = _SEP.join(flat)
    except TypeError:
        raise ValueError("leaves must be strings") from None
    if joined.count(_SEP) != len(flat) - 1 or _has_invalid_chars(joined):
        escaped = [escape_attr(leaf) for leaf in flat]  # raises on bad chars
    else:
        escaped = _escape_attr_unchecked(joined).split(_SEP)
    if sum(skeleton[2] for skeleton in formats) != len(escaped):
        raise ValueError("shape does not match the leaves")
    if in_order:
        # one C-level formatting call for all rows
        return RawXML("".join([s[0] for s in formats]) % tuple(escaped))
    out = []
    position = 0
    for fmt, order, count in formats:
        chunk = escaped[position : position + count]
        position += count
        if order is not None:
            chunk = [chunk[i] for i in order]
        out.append(fmt % tuple(chunk))
    return RawXML("".join(out))
