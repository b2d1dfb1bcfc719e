#!/usr/bin/env python3
# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where the cXML 1.2.069 DTDs are: one answer for every test suite.

In this order: ``$CXML_DTD_DIR``; ``../shared/cxml/dtd/1.2.069`` next to the
repository; ``.local/cxml-dtd/1.2.069``, downloaded there once from the DTDs'
own system identifiers (the URLs of the cXML DOCTYPE), with the cXML licence
notice beside them. Standard library only: the tests, the sandbox and
``bin/test`` use it without the addon.

Usage: ``bin/cxml_dtd.py`` prints the folder (exit 0), or one line saying why
there is none on stderr (exit 1). ``bin/test`` exports it as ``CXML_DTD_DIR``.
"""

import os
import shutil
import sys
import urllib.request
from pathlib import Path

VERSION = "1.2.069"
FILES = ("cXML.dtd", "Fulfill.dtd", "InvoiceDetail.dtd")
URL = "http://xml.cxml.org/schemas/cXML/{version}/{file}"
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "cxml" / "dtd" / VERSION
CACHE = REPO / ".local" / "cxml-dtd" / VERSION
TIMEOUT = 10
NOTICE = f"""\
cXML {VERSION} DTDs, unmodified, downloaded from their system identifiers
({URL.format(version=VERSION, file="<file>")}).

They are the cXML specification of Ariba, Inc. Their use, copying and
distribution are governed by the cXML licence agreement named in each file's
header (http://www.cxml.org/home/license.asp, now
https://www.cxml.org/license.html): the unmodified specification may be used,
copied and distributed with the licence attached; a modified version may not
be published as cXML. Never edit these files.
"""


def _complete(folder):
    return all((folder / name).is_file() for name in FILES)


def _download(folder):
    """Fetch the DTDs into ``folder`` (all or nothing); the reason on failure."""
    partial = folder.with_name(folder.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        for name in FILES:
            url = URL.format(version=VERSION, file=name)
            try:
                with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:
                    data = answer.read()
            except OSError as exc:
                return f"cannot download {url}: {exc}"
            if b"<!ELEMENT" not in data:
                return f"{url} did not answer with a DTD"
            (partial / name).write_bytes(data)
        (partial / "LICENSE-cXML.txt").write_text(NOTICE)
        partial.rename(folder)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return None


def find(download=True):
    """(folder, None) when the DTDs are found, else (None, one-line reason)."""
    configured = os.environ.get("CXML_DTD_DIR")
    if configured:
        if _complete(Path(configured)):
            return Path(configured), None
        return None, f"CXML_DTD_DIR={configured} lacks one of {', '.join(FILES)}"
    for folder in (SHARED, CACHE):
        if _complete(folder):
            return folder, None
    reason = "not downloaded"
    if download:
        reason = _download(CACHE)
        if reason is None:
            return CACHE, None
    return None, (
        f"cXML DTDs not found (no CXML_DTD_DIR, no {SHARED}, {reason}): "
        "DTD checks skipped"
    )


def main():
    folder, reason = find()
    if folder is None:
        print(reason, file=sys.stderr)
        return 1
    print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
