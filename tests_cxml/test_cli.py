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
from conftest import DTD_DIR, OWN_SAMPLES, REPO, have_dtds, public_sample
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


def test_cli_redacts_secret_and_validates(capsys):
    sample = public_sample("cxml-php/PunchOutSetupRequest.xml")
    dtd_args = ["--dtd-dir", DTD_DIR] if have_dtds() else []
    code, out, _err = _run_main([sample, *dtd_args], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["header"]["sender"]["shared_secret"] == "********"
    if not dtd_args:
        return
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
    path = tmp_path / "garbage.txt"
    path.write_text("cxml-base64=%%%")
    code, out, err = _run_main([path], capsys)
    assert code == 2 and json.loads(err)["status_code"] == 400
    code, out, err = _run_main([tmp_path / "missing.xml"], capsys)
    assert code == 2 and "cannot read" in json.loads(err)["error"]
    code, out, err = _run_main(
        [public_sample("cxml-ruby/punch_out_order_message_doc.xml")], capsys
    )
    assert code == 2 and out == ""
    error = json.loads(err)
    assert error["status_code"] == 400 and "<cxml>" in error["error"]


def test_cli_prints_what_amazon_sends(capsys):
    """The inspector shows the fields of issues 11.6 and 12.6."""
    code, out, _ = _run_main([OWN_SAMPLES / "amazon_credit_memo_summary.xml"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["timestamp"] == "2026-01-08T00:00:03.186+00:00"
    assert data["envelope"] == "Request"
    assert data["header"]["sender_credentials"] == [
        {"domain": "NetworkId", "identity": "Amazon"}
    ]
    body = data["body"]
    assert body["purpose"] == "creditMemo" and body["is_header_invoice"] is True
    assert body["original_invoice_id"] == "INV-0001"
    assert body["original_invoice_payload_id"] == "1767484800000.77.dd44@amazon.com"
    summary = body["orders"][0]["summary"]
    assert summary["net_amount"] == {"amount": "-14.06", "currency": "USD"}
    assert summary["tax_details"][0]["location"] == "WA"
    assert body["comment_details"] == [
        {"text": "Return of 1 unit", "type": "reason", "lang": "en-US"}
    ]

    code, out, _ = _run_main([OWN_SAMPLES / "amazon_invoice_charges.xml"], capsys)
    body = json.loads(out)["body"]
    assert body["payment_terms"][0] == {
        "pay_in_number_of_days": 10,
        "percentage_rate": "2",
        "discount_amount": None,
    }
    assert body["discount"] == {
        "amount": {"amount": "2.62", "currency": "USD"},
        "percentage_rate": "5",
    }
    assert body["deposit_amount"] == {"amount": "10.00", "currency": "USD"}
    item = body["orders"][0]["items"][0]
    assert item["price_basis"]["description"] == "price per 100 clips"
    assert item["unit_price"] == {"amount": "0.1049", "currency": "USD"}
    assert item["comments"] == ["Business price applied"]

    code, out, _ = _run_main([OWN_SAMPLES / "amazon_confirmation_reject.xml"], capsys)
    body = json.loads(out)["body"]
    assert (body["reason"], body["error_code"]) == (
        "Item no longer available.",
        "000-001",
    )
    status = body["items"][0]["statuses"][0]
    assert status["reason"] == "Out of stock"
    assert status["comment_details"] == [
        {"text": "Out of stock", "type": None, "lang": "en-US"}
    ]

    code, out, _ = _run_main([OWN_SAMPLES / "amazon_de_cart.xml"], capsys)
    data = json.loads(out)
    assert data["envelope"] == "Message"
    body = data["body"]
    assert body["quote_status"] is None
    item = body["items"][1]
    assert item["price_basis"] == {
        "quantity": "100",
        "conversion_factor": "1",
        "unit_of_measure": "EA",
        "description": None,
    }
    assert body["items"][0]["tax_description"] == "MwSt."

    code, out, _ = _run_main([OWN_SAMPLES / "amazon_ship_notice.xml"], capsys)
    (control,) = json.loads(out)["body"]["carriers"]
    assert control["placement"] == "request"
    assert control["carriers"] == [{"domain": "companyName", "value": ""}]
    assert control["shipment_identifiers"] == [
        {"domain": "", "value": "TBA000000000001"}
    ]


def test_cli_response_success_flag(capsys):
    sample = public_sample("cxml-ruby/response_status_400.xml")
    code, out, _ = _run_main([sample], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["envelope"] == "Response"
    assert data["status"]["code"] == 400 and data["status"]["success"] is False
