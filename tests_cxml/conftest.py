# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo-free tests of ``amazon_punchout/cxml``.

Puts ``amazon_punchout/`` on ``sys.path`` so the package imports as top-level
``cxml``, finds the DTDs with ``bin/cxml_dtd.py`` and the public samples in
``<repo>/../shared/cxml``, and DTD-validates *every* document built during
the session (the builders' renderer is wrapped with ``mock.patch``).
"""

import os
import sys
from pathlib import Path
from unittest import mock

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "amazon_punchout"))

import cxml
from lxml import etree

sys.path.insert(0, str(REPO / "bin"))
import cxml_dtd

SHARED = REPO.parent / "shared" / "cxml"
DTD_DIR, DTD_MISSING = cxml_dtd.find()
PUBLIC_SAMPLES = SHARED / "samples" / "public"
OWN_SAMPLES = Path(__file__).resolve().parent / "samples"

_DTDS = {}


def pytest_terminal_summary(terminalreporter):
    if DTD_MISSING:
        terminalreporter.write_line(DTD_MISSING)


@pytest.fixture
def dtd_dir():
    """The DTD folder; skips the test without one (fails under CI)."""
    if DTD_DIR is None:
        _no_dtd()
    return DTD_DIR


def _no_dtd():
    if os.environ.get("CI") == "true":
        pytest.fail(DTD_MISSING)
    pytest.skip(DTD_MISSING)


def dtd_errors(data, doc_type):
    """Validate ``data`` against the family DTD; return the error strings.

    Without DTDs (see ``bin/cxml_dtd.py``) the test is skipped, and fails
    under CI (``CI=true``).
    """
    if DTD_DIR is None:
        _no_dtd()
    file_name = cxml.dtd_family(doc_type)
    path = DTD_DIR / file_name
    dtd = _DTDS.get(file_name)
    if dtd is None:
        dtd = _DTDS[file_name] = etree.DTD(str(path))
    root = cxml.load_xml(data)
    if dtd.validate(root):
        return []
    return [str(e) for e in dtd.error_log.filter_from_errors()]


@pytest.fixture(autouse=True)
def validate_every_built_document():
    """Each document built by the cxml builders during a test must be DTD-valid."""
    built = []
    render_document = cxml.build.render_document

    def recording(value, template, dtd_file, *args, **kwargs):
        data = render_document(value, template, dtd_file, *args, **kwargs)
        built.append(data)
        return data

    with mock.patch.object(cxml.build, "render_document", recording):
        yield built
    if DTD_DIR is None and os.environ.get("CI") != "true":
        return  # said once in the report header
    for data in built:
        root = etree.fromstring(data)
        errors = dtd_errors(data, cxml.dtd_family(root))
        assert not errors, f"built {root[-1][0].tag} is not DTD-valid: {errors[:5]}"


def read_public(name):
    path = PUBLIC_SAMPLES / name
    if not path.is_file():
        pytest.fail(f"public cXML sample missing: {path} (expected ../shared)")
    return path.read_bytes()


def read_own(name):
    return (OWN_SAMPLES / name).read_bytes()


def public_sample_names():
    if not PUBLIC_SAMPLES.is_dir():
        return ["<missing ../shared/cxml/samples/public>"]
    return sorted(
        str(p.relative_to(PUBLIC_SAMPLES)) for p in PUBLIC_SAMPLES.rglob("*.xml")
    )
