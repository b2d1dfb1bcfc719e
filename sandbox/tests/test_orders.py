# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The order endpoint: receipt, every rejection, duplicates and replays."""

import base64
import json
from decimal import Decimal

import pytest
from conftest import (
    IDENTITY,
    assert_recorded_valid,
    assert_valid,
    cart_lines,
    http,
    order_xml,
    post_xml,
    quick_order,
    require_dtds,
    status_of,
)


def test_order_accepted_and_recorded(srv):
    result, status, body = quick_order(srv)
    assert status == 200
    assert status_of(body)[:2] == (200, "OK")
    assert_valid(body)
    order = srv.orders()[-1]
    assert order["accepted"] is True
    assert order["order_id"] == "PO0001"
    assert_recorded_valid([order["validation"]])
    assert order["answer"] == {"code": 200, "text": "OK", "detail": ""}
    assert "<OrderRequest>" in order["raw_xml"]
    assert order["lines"][0]["aux_id"] == result["lines"][0]["aux_id"]


def lines_of(srv, items=None, **kwargs):
    return cart_lines(srv, items or [{"asin": "B0SBX1PEN1", "quantity": 2}], **kwargs)[
        "lines"
    ]


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        ({"type_": "update"}, "001-001"),
        ({"ship_to": False}, "001-005 ShipTo is required"),
        ({"postal": False}, "PostalCode is required"),
        ({"payment": True}, "Payment is not accepted"),
        ({"currency": "EUR"}, "currency"),
        ({"total": Decimal("1.00")}, "does not equal the sum"),
        ({"price_factor": Decimal("1.2")}, "order safeguard"),
    ],
)
def test_order_rejections(srv, kwargs, needle):
    xml = order_xml(lines_of(srv), **kwargs)
    status, _h, body = post_xml(srv.url + "/order", xml)
    assert status == 200
    code, _text, detail = status_of(body)
    assert (code, needle in detail) == (400, True), detail
    assert_valid(body)
    order = srv.orders()[-1]
    assert order["accepted"] is False and order["answer"]["code"] == 400


def test_price_within_tolerance_is_accepted(srv):
    xml = order_xml(lines_of(srv), price_factor=Decimal("1.05"))
    _s, _h, body = post_xml(srv.url + "/order", xml)
    assert status_of(body)[0] == 200


def test_configured_tolerance(srv):
    srv.configure_account(IDENTITY, price_tolerance_percent=2)
    xml = order_xml(lines_of(srv), price_factor=Decimal("1.05"))
    _s, _h, body = post_xml(srv.url + "/order", xml)
    assert status_of(body)[0] == 400


def test_unknown_asin_or_aux_id(srv):
    lines = lines_of(srv)
    bad = [dict(lines[0], aux_id=lines[0]["aux_id"] + "9")]
    _s, _h, body = post_xml(srv.url + "/order", order_xml(bad))
    code, _t, detail = status_of(body)
    assert code == 400 and "was not issued in a cart" in detail


def test_aux_id_of_another_account_is_unknown(srv):
    srv.configure_account("PunchoutGroup2000", shared_secret="other")
    lines = cart_lines(
        srv, [{"asin": "B0SBX1PEN1"}], identity="PunchoutGroup2000", secret="other"
    )["lines"]
    _s, _h, body = post_xml(srv.url + "/order", order_xml(lines))
    assert status_of(body)[0] == 400


def test_dtd_invalid_order_gets_error_text(srv):
    require_dtds()
    xml = (
        order_xml(lines_of(srv))
        .replace("<BillTo>", "<Billing>")
        .replace("</BillTo>", "</Billing>")
    )
    _s, _h, body = post_xml(srv.url + "/order", xml)
    code, _t, detail = status_of(body)
    assert code == 400 and "DTD validation failed" in detail and "Billing" in detail
    assert srv.orders()[-1]["validation"]["valid"] is False


def test_wrong_secret_is_401(srv):
    _s, _h, body = post_xml(srv.url + "/order", order_xml(lines_of(srv), secret="x"))
    assert status_of(body)[0] == 401


def test_malformed_and_oversized(srv):
    _s, _h, body = post_xml(srv.url + "/order", b"<cXML><Request>")
    assert status_of(body)[0] == 400
    assert srv.orders()[-1]["answer"]["code"] == 400
    status, _h, _b = post_xml(srv.url + "/order", b"<a/>" + b" " * (3 * 1024 * 1024))
    assert status == 413


def test_duplicate_order_id_and_idempotent_replay(srv, receiver):
    srv.configure_account(
        IDENTITY, buyer_inbound_url=receiver.url, plan={"delay": 0.01}
    )
    lines = lines_of(srv)
    first = order_xml(lines, order_id="PO7", payload="p-1@odoo")
    _s, _h, body = post_xml(srv.url + "/order", first)
    assert status_of(body)[0] == 200
    # same payloadID again (a retry): 200, nothing done twice
    _s, _h, body = post_xml(srv.url + "/order", first)
    assert status_of(body)[:2] == (200, "OK")
    # same orderID, new payloadID: duplicate order
    _s, _h, body = post_xml(
        srv.url + "/order", order_xml(lines, order_id="PO7", payload="p-2@odoo")
    )
    code, _t, detail = status_of(body)
    assert code == 400 and "Duplicate order" in detail
    srv.wait_for_order("PO7")
    orders = [o for o in srv.orders() if o["order_id"] == "PO7"]
    assert [o["accepted"] for o in orders] == [True, False]
    assert orders[0]["replay_count"] == 1
    kinds = [c["document"] for c in srv.callbacks()]
    assert kinds == ["ConfirmationRequest", "ShipNoticeRequest", "InvoiceDetailRequest"]


def test_rejected_order_may_be_fixed_and_resent(srv):
    lines = lines_of(srv)
    _s, _h, body = post_xml(srv.url + "/order", order_xml(lines, ship_to=False))
    assert status_of(body)[0] == 400
    _s, _h, body = post_xml(
        srv.url + "/order", order_xml(lines, payload="p-fixed@odoo")
    )
    assert status_of(body)[0] == 200


def test_optional_http_basic_on_order(srv):
    srv.configure_account(IDENTITY, order_auth_user="po", order_auth_password="pw")
    xml = order_xml(lines_of(srv))
    _s, _h, body = post_xml(srv.url + "/order", xml)
    assert status_of(body)[0] == 401
    bad = {"Authorization": "Basic " + base64.b64encode(b"po:nope").decode()}
    status, _h, body = post_xml(srv.url + "/order", xml, bad)
    assert status == 401 and status_of(body)[0] == 401
    good = {"Authorization": "Basic " + base64.b64encode(b"po:pw").decode()}
    _s, _h, body = post_xml(srv.url + "/order", xml, good)
    assert status_of(body)[0] == 200


def test_introspection_redacts_secrets(srv):
    srv.configure_account(
        IDENTITY, inbound_password="cb-pass", order_auth_password="pw"
    )
    quick_order(srv)
    _s, _h, body = http(srv.url + "/_sandbox/state")
    state = json.loads(body)
    assert state["accounts"][IDENTITY]["shared_secret"] == "***"
    text = body.decode()
    for secret in ("cb-pass", '"pw"'):
        assert secret not in text
    # the raw received order is kept, with the buyer's SharedSecret redacted
    assert state["orders"][0]["order_id"] == "PO0001"
    assert "<SharedSecret>***</SharedSecret>" in state["orders"][0]["raw_xml"]
    assert "test-secret-1" not in text


def test_concurrent_retry_is_a_replay_not_a_duplicate(srv):
    import threading

    xml = order_xml(lines_of(srv))
    answers = []

    def send():
        answers.append(status_of(post_xml(srv.url + "/order", xml)[2])[0])

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 4
    assert len(srv.orders()) == 1 and srv.orders()[0]["replay_count"] == 3
