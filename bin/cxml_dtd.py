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
there is none on stderr (exit 1). ``bin/test`` exports it as ``CXML_DTD_DIR``;
``bin/cxml_dtd.py --skipped-summary FILE`` prints the line counting the checks
noted in FILE (nothing when none).

The same rule for every suite when reference material (the DTDs, the public
samples of ``../shared``) is absent: only the checks that need it are skipped,
each noted with ``note_skipped`` (``bin/test`` counts them); under CI
(``CI=true``) they fail instead (``required``).
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
PUBLIC_SAMPLES = REPO.parent / "shared" / "cxml" / "samples" / "public"
# The reasons of skipped checks, short because bin/test counts checks by reason.
NO_DTDS = "no cXML DTDs"
NO_SAMPLES = "no public cXML samples"
SKIPPED_FILE_ENV = "AMAZON_PUNCHOUT_SKIPPED_CHECKS"  # set by bin/test
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


def required():
    """Under CI (``CI=true``), which runs next to ``../shared``, a missing DTD or
    sample is a failure, never a skip."""
    return os.environ.get("CI") == "true"


_noted = set()


def note_skipped(reason, test=None):
    """Note that ``test`` (default: pytest's current test) skipped a check for
    ``reason``: once per test and reason, appended as ``reason<TAB>test`` to the
    file named by ``$AMAZON_PUNCHOUT_SKIPPED_CHECKS`` when set."""
    if test is None:
        test = os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" ", 1)[0]
    if (reason, test) in _noted:
        return
    _noted.add((reason, test))
    path = os.environ.get(SKIPPED_FILE_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{reason}\t{test}\n")


def skipped_summary(noted=None):
    """One line counting the noted checks (default: this process's) by reason,
    or '' when none was skipped."""
    counts = {}
    for reason, _test in _noted if noted is None else noted:
        counts[reason] = counts.get(reason, 0) + 1
    if not counts:
        return ""
    reasons = ", ".join(f"{reason}: {n}" for reason, n in sorted(counts.items()))
    return (
        f"{sum(counts.values())} checks skipped ({reasons}; ../shared absent); "
        "see README.md, Develop and test"
    )


def main():
    if sys.argv[1:2] == ["--skipped-summary"]:  # bin/test: the line for its file
        path = Path(sys.argv[2])
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        summary = skipped_summary({tuple(line.split("\t", 1)) for line in lines})
        if summary:
            print(summary)
        return 0
    folder, reason = find()
    if folder is None:
        print(reason, file=sys.stderr)
        return 1
    print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
