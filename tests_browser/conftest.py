# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo-free self-test of ``amazon_punchout/tests/browser.py``.

The driver is loaded as the top-level module ``browser`` straight from its
file, so the addon package (which imports odoo) is never imported.
"""

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TESTS_DIR = REPO / "amazon_punchout" / "tests"
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

if "browser" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("browser", TESTS_DIR / "browser.py")
    browser = importlib.util.module_from_spec(_spec)
    sys.modules["browser"] = browser
    _spec.loader.exec_module(browser)
