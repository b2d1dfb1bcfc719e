# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``bin/cxml-inspect``: JSON out, exit codes, form auto-detection, --dtd-dir."""

import base64
import json
import os
import subprocess
import sys
from urllib.parse import quote_plus

import pytest
from conftest import OWN_SAMPLES, PUBLIC_SAMPLES, REPO
from cxml import inspect_cli

CLI = REPO / "bin" / "cxml-inspect"


def _run_main(argv, capsys):
    code = inspect_cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_is_executable_script():
    assert os.access(CLI, os.X_OK)
    assert CLI.read_text().startswith("#!/usr/bin/env python3")
    result = subprocess.run(
        [sys.executable, str(CLI), str(OWN_SAMPLES / "amazon_de_cart.xml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["doc_type"] == "PunchOutOrderMessage"


def test_cli_cart_json(capsys):
    code, out, _err = _run_main([OWN_SAMPLES / "amazon_de_cart.xml"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["doc_type"] == "PunchOutOrderMessage"
    assert data["payload_id"] == "1767225600456.77.9e8d@amazon.de"
    assert data["timestamp"] == "2026-01-01T12:00:00+02:00"
    item = data["body"]["items"][0]
    assert item["supplier_part_auxiliary_id"] == "111-2223334-4445556,1"
    assert item["unit_price"] == {"amount": "16.80", "currency": "EUR"}
    assert item["unit_of_measure"] == "EA"
    assert item["classification"] == [{"domain": "UNSPSC", "value": "44121704"}]
    assert item["unspsc"] == "44121704"
    assert {"name": "soldBy", "value": "Amazon EU S.à r.l."} in item["extrinsic"]
    assert data["body"]["items"][1]["unit_price"]["amount"] == "0.1049"
    assert "warnings" in data
    assert "dtd" not in data


def test_cli_redacts_secret_and_validates(capsys, dtd_dir):
    sample = PUBLIC_SAMPLES / "cxml-php" / "PunchOutSetupRequest.xml"
    code, out, _err = _run_main([sample, "--dtd-dir", dtd_dir], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["header"]["sender"]["shared_secret"] == "********"
    assert data["dtd"]["valid"] is True
    assert data["dtd"]["file"].endswith("cXML.dtd")
    assert data["dtd"]["errors"] == []


def test_cli_dtd_family_and_invalid(capsys, dtd_dir):
    code, out, _ = _run_main(
        [OWN_SAMPLES / "amazon_ship_notice.xml", "--dtd-dir", dtd_dir], capsys
    )
    assert json.loads(out)["dtd"]["file"].endswith("Fulfill.dtd")
    code, out, _ = _run_main(
        [OWN_SAMPLES / "amazon_us_cart.xml", "--dtd-dir", dtd_dir], capsys
    )
    assert code == 0
    dtd = json.loads(out)["dtd"]
    assert dtd["valid"] is False and dtd["errors"]


@pytest.mark.parametrize("encoding", ["urlencoded", "base64"])
def test_cli_form_body_autodetected(tmp_path, capsys, encoding):
    cart = (OWN_SAMPLES / "amazon_us_cart.xml").read_bytes()
    if encoding == "base64":
        body = "cXML-base64=" + quote_plus(base64.b64encode(cart).decode())
    else:
        body = "cxml-urlencoded=" + quote_plus(cart.decode())
    path = tmp_path / "form.txt"
    path.write_text(body)
    code, out, _ = _run_main([path], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["doc_type"] == "PunchOutOrderMessage"
    assert data["form_decoded"] is True


def test_cli_unparseable_exit_2(tmp_path, capsys):
    code, out, err = _run_main(
        [PUBLIC_SAMPLES / "cxml-ruby" / "punch_out_order_message_doc.xml"], capsys
    )
    assert code == 2 and out == ""
    error = json.loads(err)
    assert error["status_code"] == 400 and "<cxml>" in error["error"]
    path = tmp_path / "garbage.txt"
    path.write_text("cxml-base64=%%%")
    code, out, err = _run_main([path], capsys)
    assert code == 2 and json.loads(err)["status_code"] == 400
    code, out, err = _run_main([tmp_path / "missing.xml"], capsys)
    assert code == 2 and "cannot read" in json.loads(err)["error"]
