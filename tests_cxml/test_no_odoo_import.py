# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import subprocess
import sys

from conftest import REPO


def test_import_cxml_does_not_import_odoo():
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import cxml; "
        "import cxml.inspect_cli; "
        "assert 'odoo' not in sys.modules, 'odoo imported'; "
        "assert not [m for m in sys.modules if m.startswith('odoo.')]; print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(REPO / "amazon_punchout")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_package_uses_relative_imports_only():
    for path in (REPO / "amazon_punchout" / "cxml").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import odoo" not in text and "from odoo" not in text, path
        assert "from cxml" not in text and "import cxml" not in text, path
