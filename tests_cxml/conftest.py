# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo-free tests of ``amazon_punchout/cxml``.

Puts ``amazon_punchout/`` on ``sys.path`` so the package imports as top-level
``cxml``, finds the DTDs with ``bin/cxml_dtd.py`` and the public samples in
``<repo>/../shared/cxml``, and DTD-validates *every* document built during
the session (the builders' renderer is wrapped with ``mock.patch``).

Without them (a clone on its own) only the checks that need them are skipped,
as ``bin/cxml_dtd.py`` rules: a DTD check inside a test is skipped and the rest
of the test runs; a test of a public sample is skipped; under CI both fail.
"""

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

DTD_DIR, DTD_MISSING = cxml_dtd.find()
PUBLIC_SAMPLES = cxml_dtd.PUBLIC_SAMPLES
SAMPLES_MISSING = (
    None
    if PUBLIC_SAMPLES.is_dir()
    else f"public cXML samples not found (no {PUBLIC_SAMPLES}): their tests skipped"
)
OWN_SAMPLES = Path(__file__).resolve().parent / "samples"

_DTDS = {}


def pytest_terminal_summary(terminalreporter):
    for line in (DTD_MISSING, SAMPLES_MISSING, cxml_dtd.skipped_summary()):
        if line:
            terminalreporter.write_line(line)


def _missing(reason, detail, whole_test):
    """Fail under CI; else note the skipped check and, if ``whole_test``, skip."""
    if cxml_dtd.required():
        pytest.fail(f"CI=true: {detail}")
    cxml_dtd.note_skipped(reason)
    if whole_test:
        pytest.skip(detail)


def have_dtds():
    """True with DTDs; else the current test's DTD check is noted as skipped."""
    if DTD_DIR is None:
        _missing(cxml_dtd.NO_DTDS, DTD_MISSING, whole_test=False)
        return False
    return True


@pytest.fixture
def dtd_dir():
    """The DTD folder, for tests that check nothing else; skips them without."""
    if DTD_DIR is None:
        _missing(cxml_dtd.NO_DTDS, DTD_MISSING, whole_test=True)
    return DTD_DIR


def dtd_errors(data, doc_type):
    """Validate ``data`` against the family DTD; return the error strings,
    or None without DTDs (see ``have_dtds``)."""
    if not have_dtds():
        return None
    file_name = cxml.dtd_family(doc_type)
    path = DTD_DIR / file_name
    dtd = _DTDS.get(file_name)
    if dtd is None:
        dtd = _DTDS[file_name] = etree.DTD(str(path))
    root = cxml.load_xml(data)
    if dtd.validate(root):
        return []
    return [str(e) for e in dtd.error_log.filter_from_errors()]


def assert_dtd_valid(data, doc_type, valid=True):
    """``data`` is DTD-valid (``valid=False``: invalid); without DTDs only this
    check is skipped."""
    errors = dtd_errors(data, doc_type)
    if errors is None:
        return
    if valid:
        assert not errors, errors[:5]
    else:
        assert errors, f"{doc_type} expected DTD-invalid"


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
    if built and not have_dtds():
        return
    for data in built:
        root = etree.fromstring(data)
        errors = dtd_errors(data, cxml.dtd_family(root))
        assert not errors, f"built {root[-1][0].tag} is not DTD-valid: {errors[:5]}"


def require_public_samples():
    """Skips the test without the public samples (fails under CI)."""
    if SAMPLES_MISSING:
        _missing(cxml_dtd.NO_SAMPLES, SAMPLES_MISSING, whole_test=True)


def public_sample(name):
    require_public_samples()
    path = PUBLIC_SAMPLES / name
    assert path.is_file(), f"public cXML sample missing: {path}"
    return path


def read_public(name):
    return public_sample(name).read_bytes()


def read_own(name):
    return (OWN_SAMPLES / name).read_bytes()


# The one parameter of sample-wise tests without samples: read_public skips it.
NO_PUBLIC_SAMPLE = "<no public samples>"


def public_sample_names():
    if SAMPLES_MISSING:
        return [NO_PUBLIC_SAMPLE]
    return sorted(
        str(p.relative_to(PUBLIC_SAMPLES)) for p in PUBLIC_SAMPLES.rglob("*.xml")
    )
