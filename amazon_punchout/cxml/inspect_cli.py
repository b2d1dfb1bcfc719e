# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``cxml-inspect FILE [--form] [--dtd-dir DIR]``: dump a cXML document as JSON.

Exit status 0 when the document parsed, 2 when it did not (the error and its
cXML status code are printed to stderr as JSON).
"""

import argparse
import json
import os
import sys

from .exceptions import CXMLError
from .form import decode_cart_form
from .jsonify import to_json_dict
from .parse import dtd_family, load_xml, parse


def validate_dtd(data, doc_type, dtd_dir):
    """Validate against the family DTD found in ``dtd_dir`` (never the network)."""
    from lxml import etree

    file_name = dtd_family(doc_type)
    path = os.path.join(dtd_dir, file_name)
    result = {"file": path, "valid": False, "errors": []}
    if not os.path.isfile(path):
        result["errors"] = [f"DTD file not found: {path}"]
        return result
    try:
        dtd = etree.DTD(path)
        root = load_xml(data)
        result["valid"] = bool(dtd.validate(root))
        result["errors"] = [
            f"line {e.line}: {e.message}" for e in dtd.error_log.filter_from_errors()
        ]
    except (etree.LxmlError, OSError, CXMLError) as exc:
        result["errors"] = [str(exc)]
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="cxml-inspect", description="Parse a cXML file and print it as JSON."
    )
    parser.add_argument(
        "file", help="cXML document or captured cart form body ('-' = stdin)"
    )
    parser.add_argument(
        "--form",
        action="store_true",
        help="treat the input as an x-www-form-urlencoded cart post",
    )
    parser.add_argument("--dtd-dir", help="validate against the DTDs in this folder")
    args = parser.parse_args(argv)
    try:
        if args.file == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as handle:
                raw = handle.read()
    except OSError as exc:
        json.dump({"error": f"cannot read {args.file}: {exc.strerror}"}, sys.stderr)
        sys.stderr.write("\n")
        return 2
    try:
        data = raw
        is_form = args.form or not raw.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"<")
        if is_form:
            data = decode_cart_form(None, raw, "application/x-www-form-urlencoded")
        document = parse(data)
    except CXMLError as exc:
        json.dump({"error": exc.text, "status_code": exc.status_code}, sys.stderr)
        sys.stderr.write("\n")
        return 2
    result = to_json_dict(document)
    if is_form:
        result["form_decoded"] = True
    if args.dtd_dir:
        result["dtd"] = validate_dtd(data, document.doc_type, args.dtd_dir)
    try:
        json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
