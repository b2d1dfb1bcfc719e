# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One small renderer: ordered structure dicts -> lxml tree -> cXML bytes.

The pattern of Odoo's ``account/tools/dict_to_xml.py`` (which imports
``odoo``, so we keep our own). A *template* (see :mod:`.templates`) fixes the
element order (DTD order), the allowed attributes (``_attrs``, those in
``_required_attrs`` must be given) and whether the element is written even
when empty (``_keep_empty``). A *value* says what to write: a dict whose keys
are attribute names, child names or ``_text``; a child is a dict, a list of
dicts (repeated element) or a string (text-only element); ``None`` means
absent. A key the template does not know raises :class:`ValueError`, so
nothing outside the template reaches the wire. Escaping and the refusal of
characters XML cannot carry are lxml's.
"""

from lxml import etree

from .const import CXML_VERSION, DTD_URL

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def render_node(value, template):
    """The element of ``value`` rendered with ``template``; None when empty."""
    tag = template["_tag"]
    if not isinstance(value, dict):
        value = {"_text": value}
    attrs = template.get("_attrs", ())
    for key in value:
        if key != "_text" and key not in attrs and key not in template:
            raise ValueError(f"<{tag}>: unknown child or attribute {key!r}")
    element = etree.Element(tag, _attributes(value, template, attrs))
    text = value.get("_text")
    if text:
        element.text = text
    for name, child_template in template.items():
        if name.startswith("_"):
            continue
        children = value.get(name)
        if children is None:
            continue
        if not isinstance(children, list):
            children = [children]
        for child in children:
            if child is not None:
                child_element = render_node(child, child_template)
                if child_element is not None:
                    element.append(child_element)
    if template.get("_keep_empty") or element.attrib or text or len(element):
        return element
    return None


def _attributes(value, template, attrs):
    attributes = {}
    required = template.get("_required_attrs", ())
    for name in attrs:
        attr = value.get(name)
        if attr is None and name in required:
            raise ValueError(f"<{template['_tag']}>: required attribute {name!r}")
        if attr is not None and (attr != "" or name in required):
            attributes[XML_LANG if name == "xml:lang" else name] = str(attr)
    return attributes


def render_document(value, template, dtd_file, version=CXML_VERSION):
    """A whole cXML document: XML declaration, DOCTYPE, UTF-8 bytes."""
    root = render_node(value, template)
    doctype = (
        f'<!DOCTYPE cXML SYSTEM "{DTD_URL.format(version=version, file=dtd_file)}">'
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=doctype)
