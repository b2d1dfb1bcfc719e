#!/usr/bin/env python3
# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fail when an Odoo log holds an unexpected WARNING, ERROR or CRITICAL line.

As OCA's checklog-odoo: tests must mute or assert the warnings they expect. Lines
matching a regular expression of checklog-ignore.txt (repository root) are allowed.
"""

import re
import sys
from pathlib import Path

LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) ")


def main(log_path):
    ignore_file = Path(__file__).resolve().parent.parent / "checklog-ignore.txt"
    patterns = [
        re.compile(line)
        for line in ignore_file.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    bad = []
    for line in (
        Path(log_path).read_text(encoding="utf-8", errors="replace").splitlines()
    ):
        if LEVEL.match(line) and not any(p.search(line) for p in patterns):
            bad.append(line)
    for line in bad:
        print(f"unexpected log line: {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
