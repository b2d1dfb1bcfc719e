# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The sandbox-only ``fulfil_test_orders`` option: the whole lifecycle of a test
order (confirmation, ship notice, invoice) through the callback machinery."""

import base64
import time
from decimal import Decimal

import pytest
from amazon_sandbox.__main__ import _parser, account_from_args
from conftest import (
    IDENTITY,
    SECRET,
    Receiver,
    assert_recorded_valid,
    assert_valid,
    post_json,
    quick_order,
    status_of,
)

THREE = [
    {"asin": "B0SBX1PEN1", "quantity": 2},
    {"asin": "B0SBXMON10", "quantity": 1},
    {"asin": "B0SBXBK017", "quantity": 3},
]
KINDS = ["ConfirmationRequest", "ShipNoticeRequest", "InvoiceDetailRequest"]


def fulfil(srv, receiver, **settings):
    """Configure a test-mode account that fulfils its orders, over the JSON API."""
    settings = {
        "mode": "test",
        "fulfil_test_orders": True,
        "buyer_inbound_url": receiver.url,
        **settings,
        "plan": {"delay": 0.01, **settings.get("plan", {})},
    }
    status, body = post_json(
        srv.url + "/_sandbox/accounts", {"identity": IDENTITY, **settings}
    )
    assert status == 200, body
    assert body["fulfil_test_orders"] is settings["fulfil_test_orders"]


def order(srv, items=THREE, **kwargs):
    _result, status, body = quick_order(srv, items, **kwargs)
    assert status == 200 and status_of(body)[0] == 200, status_of(body)
    done = srv.wait_for_order("PO0001")
    assert done["status"] == "done", done
    assert done["test"] is True
    return done


def tags(receiver):
    return [d.find("Request")[0].tag for d in receiver.docs()]


def test_test_order_confirmed_shipped_and_invoiced(srv, receiver):
    fulfil(srv, receiver, plan={"carrier": "UPS"})
    started = time.monotonic()
    order(srv)
    assert time.monotonic() - started < 5  # "within seconds"
    assert tags(receiver) == KINDS
    for raw in receiver.received:
        assert_valid(raw["body"])
    docs = receiver.docs()
    assert {d.find("Request").get("deploymentMode") for d in docs} == {"test"}
    sn = docs[1].find("Request/ShipNoticeRequest")
    assert sn.findtext("ShipControl/CarrierIdentifier") == "UPS"
    assert sn.findtext("ShipControl/ShipmentIdentifier").startswith("TBA")
    shipped = [i.get("lineNumber") for i in sn.iter("ShipNoticeItem")]
    assert sorted(shipped) == ["10", "20", "30"]
    inv = docs[2].find("Request/InvoiceDetailRequest")
    assert inv.find(".//ShipNoticeIDInfo").get("shipNoticeID") == sn.find(
        "ShipNoticeHeader"
    ).get("shipmentID")
    records = srv.callbacks()
    assert [(r["document"], r["http_status"]) for r in records] == [
        (kind, 200) for kind in KINDS
    ]
    assert_recorded_valid(records)


def test_off_by_default_test_orders_are_only_confirmed(srv, receiver):
    fulfil(srv, receiver, fulfil_test_orders=False)
    order(srv)
    assert tags(receiver) == ["ConfirmationRequest"]


@pytest.mark.parametrize("where", ["account", "header"])
def test_rejected_line_fault_shows_in_every_document(srv, receiver, where):
    headers = None
    if where == "account":
        fulfil(srv, receiver, faults="reject_line=20")
    else:
        fulfil(srv, receiver)
        headers = {"X-Sandbox-Fault": "reject_line=20"}
    done = order(srv, headers=headers)
    assert done["plan"]["reject_lines"] == [20]
    assert tags(receiver) == ["ConfirmationRequest", *KINDS]
    for raw in receiver.received:
        assert_valid(raw["body"])
    accepted, rejected, notice, invoice = receiver.docs()
    conf = accepted.find("Request/ConfirmationRequest")
    assert [i.get("lineNumber") for i in conf.iter("ConfirmationItem")] == ["10", "30"]
    rej = rejected.find("Request/ConfirmationRequest")
    assert rej.find("ConfirmationHeader").get("type") == "reject"
    (item,) = rej.iter("ConfirmationItem")
    assert item.get("lineNumber") == "20"
    status = item.find("ConfirmationStatus")
    assert status.get("type") == "reject"
    assert status.findtext("Comments").endswith("[Error code: 002-003]")
    shipped = sorted(i.get("lineNumber") for i in notice.iter("ShipNoticeItem"))
    assert shipped == ["10", "30"]
    inv = invoice.find("Request/InvoiceDetailRequest")
    refs = [r.get("lineNumber") for r in inv.iter("InvoiceDetailItemReference")]
    assert refs == ["10", "30"]
    subtotal = Decimal(inv.findtext("InvoiceDetailSummary/SubtotalAmount/Money"))
    assert subtotal == Decimal("17.98") + Decimal("37.50")  # monitor (line 20) out


def test_reject_last_line_without_value(srv, receiver):
    fulfil(srv, receiver, faults="reject_line*1")
    order(srv)
    rejected = receiver.docs()[1].find("Request/ConfirmationRequest")
    assert [i.get("lineNumber") for i in rejected.iter("ConfirmationItem")] == ["30"]
    assert srv.accounts()[IDENTITY]["active_faults"] == []  # counted, consumed


def test_auth_retries_and_duplicates_apply(srv):
    receiver = Receiver(answers=[(503, 503), (200, 200), (200, 200), (200, 200)])
    try:
        fulfil(
            srv,
            receiver,
            inbound_auth="basic",
            inbound_user="amz",
            inbound_password="pw1",
            retry={"attempts": 3, "backoff": 0.01},
        )
        order(srv)
        records = srv.callbacks()
        assert [(r["document"], r["attempt"]) for r in records] == [
            ("ConfirmationRequest", 1),
            ("ConfirmationRequest", 2),
            ("ShipNoticeRequest", 1),
            ("InvoiceDetailRequest", 1),
        ]
        expected = "Basic " + base64.b64encode(b"amz:pw1").decode()
        assert {r["headers"]["Authorization"] for r in receiver.received} == {expected}
    finally:
        receiver.close()


def test_shared_secret_auth_and_duplicate_fault(srv, receiver):
    fulfil(srv, receiver, inbound_auth="shared_secret", invoicing=False)
    order(srv, headers={"X-Sandbox-Fault": "duplicate"})
    docs = receiver.docs()
    assert tags(receiver) == [KINDS[0], KINDS[0], KINDS[1], KINDS[1]]
    assert docs[2].get("payloadID") == docs[3].get("payloadID")
    assert {d.findtext("Header/Sender/Credential/SharedSecret") for d in docs} == {
        SECRET
    }


def test_cli_option():
    args = _parser().parse_args(
        ["--mode", "test", "--fulfil-test-orders", "--carrier", "DHL"]
        + ["--faults", "reject_line=10"]
    )
    account = account_from_args(args)
    assert account["fulfil_test_orders"] is True
    assert account["plan"]["carrier"] == "DHL"
    assert account["faults"] == "reject_line=10"
    assert account_from_args(_parser().parse_args([]))["fulfil_test_orders"] is False
    with pytest.raises(SystemExit):
        _parser().parse_args(["--faults", "bogus"])
