#!/usr/bin/env python3
# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fail when an Odoo log holds an unexpected WARNING, ERROR or CRITICAL line.

As OCA's checklog-odoo: tests must mute or assert the warnings they expect. Lines
matching a regular expression of checklog-ignore.txt (repository root) are allowed.

Usage: checklog.py [--readme] FILE... Each FILE is an Odoo log or a captured stderr:
docutils messages (``<string>:38: (ERROR/3) Unexpected indentation.``), which Odoo
prints on stderr when it renders a module description at install, count as errors
too. They do not name the module, so ``--readme`` also renders the README.rst of
each of our addons the way Odoo does and fails on any docutils message of ours.
"""

import io
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) ")
DOCUTILS = re.compile(r"^\S*:\d+: \((WARNING|ERROR|SEVERE)/\d\) ")


def readme_messages(path=REPO / "amazon_punchout" / "README.rst"):
    """Docutils messages (warning and above) when Odoo renders ``path``."""
    from docutils.core import publish_string

    stream = io.StringIO()
    publish_string(
        source=path.read_text(encoding="utf-8"),
        source_path=str(path.relative_to(REPO)),
        writer_name="html",
        settings_overrides={
            # As odoo/addons/base/models/ir_module.py, plus a captured stream.
            "embed_stylesheet": False,
            "doctitle_xform": False,
            "output_encoding": "unicode",
            "xml_declaration": False,
            "file_insertion_enabled": False,
            "report_level": 2,
            "halt_level": 5,
            "warning_stream": stream,
        },
    )
    return [line for line in stream.getvalue().splitlines() if DOCUTILS.match(line)]


def main(args):
    patterns = [
        re.compile(line)
        for line in (REPO / "checklog-ignore.txt")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip() and not line.startswith("#")
    ]
    bad = []
    if "--readme" in args:
        for manifest in sorted(REPO.glob("*/__manifest__.py")):
            bad += readme_messages(manifest.parent / "README.rst")
    for log_path in (arg for arg in args if arg != "--readme"):
        for line in (
            Path(log_path).read_text(encoding="utf-8", errors="replace").splitlines()
        ):
            if (LEVEL.match(line) or DOCUTILS.match(line)) and not any(
                p.search(line) for p in patterns
            ):
                bad.append(line)
    for line in bad:
        print(f"unexpected log line: {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
