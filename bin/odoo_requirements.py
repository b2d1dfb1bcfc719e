#!/usr/bin/env python3
# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Print Odoo's requirements.txt resolved to pins that install on this Python.

Odoo 19 pins old releases for Python 3.11 (gevent 22, cbor2 5.4, cryptography 3.4, ...)
that only exist as sources and no longer build. Its pins for Python 3.12 are the same
major lines with wheels for 3.11 too, so on Python < 3.12 the markers are evaluated as
if the interpreter were 3.12.
"""

import sys

from packaging.markers import default_environment
from packaging.requirements import Requirement


def resolve(path):
    env = default_environment()
    if sys.version_info < (3, 12):
        env.update(python_version="3.12", python_full_version="3.12.0")
    pins = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate(env):
                req.marker = None
                pins.append(str(req))
    return pins


if __name__ == "__main__":
    print("\n".join(resolve(sys.argv[1])))
