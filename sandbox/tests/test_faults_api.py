# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fault injection on the sandbox's own answers, and the introspection API."""

import json
import socket
import time
import urllib.error
import urllib.request

import pytest
from conftest import (
    IDENTITY,
    OPENER,
    VALIDATOR,
    cart_lines,
    http,
    order_xml,
    parse,
    post_json,
    post_xml,
    setup_xml,
    status_of,
)


def test_counted_http500_then_success_on_account(srv):
    srv.set_faults("http500*2", IDENTITY)
    answers = [post_xml(srv.url + "/punchout", setup_xml())[0] for _ in range(3)]
    assert answers == [500, 500, 200]
    assert len(srv.sessions()) == 1  # failed requests did nothing


def test_counted_fault_per_request_header_is_deterministic(srv):
    headers = {"X-Sandbox-Fault": "http500*2"}
    answers = [
        post_xml(srv.url + "/punchout", setup_xml(), headers)[0] for _ in range(3)
    ]
    assert answers == [500, 500, 200]


def test_cxml500_and_malformed_by_query(srv):
    _s, _h, body = post_xml(srv.url + "/punchout?fault=cxml500", setup_xml())
    assert status_of(body)[0] == 500
    status, _h, body = post_xml(srv.url + "/punchout?fault=malformed", setup_xml())
    assert status == 200
    with pytest.raises(Exception):  # noqa: B017 - any XML syntax error
        parse(body)
    assert srv.sessions() == []


def test_latency(srv):
    started = time.monotonic()
    _s, _h, body = post_xml(
        srv.url + "/punchout", setup_xml(), {"X-Sandbox-Fault": "latency=0.3"}
    )
    assert time.monotonic() - started >= 0.3
    assert status_of(body)[0] == 200


def test_timeout_then_idempotent_retry_of_order(srv):
    lines = cart_lines(srv, [{"asin": "B0SBX1PEN1"}])["lines"]
    xml = order_xml(lines).encode()
    req = urllib.request.Request(
        srv.url + "/order?fault=timeout=1.0",
        xml,
        {"Content-Type": "text/xml", "X-Sandbox-Fault": "timeout=1.0"},
    )
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        OPENER.open(req, timeout=0.3)
    # the order was processed although the client gave up; a retry with the same
    # payloadID is answered 200 and nothing is done twice
    _s, _h, body = post_xml(srv.url + "/order", xml)
    assert status_of(body)[:2] == (200, "OK")
    orders = srv.orders()
    assert len(orders) == 1 and orders[0]["replay_count"] == 1


def test_global_faults_api(srv):
    status, body = post_json(srv.url + "/_sandbox/faults", {"fault": "cxml500*1"})
    assert status == 200 and body["faults"][0]["name"] == "cxml500"
    _s, _h, resp = post_xml(srv.url + "/punchout", setup_xml())
    assert status_of(resp)[0] == 500
    _s, _h, resp = post_xml(srv.url + "/punchout", setup_xml())
    assert status_of(resp)[0] == 200
    status, body = post_json(srv.url + "/_sandbox/faults", {"fault": "bogus"})
    assert status == 400 and "unknown fault" in body["error"]
    status, body = post_json(
        srv.url + "/_sandbox/faults", {"fault": "http500", "identity": IDENTITY}
    )
    assert status == 200
    assert post_xml(srv.url + "/punchout", setup_xml())[0] == 500
    post_json(srv.url + "/_sandbox/faults", {"fault": "", "identity": IDENTITY})
    assert post_xml(srv.url + "/punchout", setup_xml())[0] == 200


def test_accounts_api_and_reset(srv):
    status, body = post_json(
        srv.url + "/_sandbox/accounts",
        {"identity": "PunchoutGroup42", "shared_secret": "s42", "marketplace": "JP"},
    )
    assert status == 200
    assert body["shared_secret"] == "***" and body["marketplace"] == "JP"
    _s, _h, resp = post_xml(
        srv.url + "/punchout", setup_xml(identity="PunchoutGroup42", secret="s42")
    )
    assert status_of(resp)[0] == 200
    status, body = post_json(
        srv.url + "/_sandbox/accounts", {"identity": "X", "colour": 1}
    )
    assert status == 400 and "unknown account setting" in body["error"]
    status, body = post_json(
        srv.url + "/_sandbox/accounts", {"identity": "X", "mode": "live"}
    )
    assert status == 400
    for part in (
        "state",
        "sessions",
        "carts",
        "orders",
        "callbacks",
        "accounts",
        "faults",
    ):
        status, _h, raw = http(srv.url + "/_sandbox/" + part)
        assert status == 200 and json.loads(raw) is not None
    assert b"s42" not in http(srv.url + "/_sandbox/state")[2]
    status, body = post_json(srv.url + "/_sandbox/reset", {})
    assert status == 200
    state = json.loads(http(srv.url + "/_sandbox/state")[2])
    assert state["sessions"] == [] and list(state["accounts"]) == [IDENTITY]


def test_unknown_paths(srv):
    assert http(srv.url + "/nope")[0] == 404
    assert http(srv.url + "/shop/abc/")[0] == 404
    assert http(srv.url + "/dp/B0NOPE0000")[0] == 404
    assert http(srv.url + "/_sandbox/orders/NOPE")[0] == 404
    assert http(srv.url + "/")[0] == 200


def test_in_process_api(srv):
    assert srv.url.startswith("http://localhost:")
    assert srv.configure_account(IDENTITY, marketplace="DE")["marketplace"] == "DE"
    assert srv.accounts()[IDENTITY]["shared_secret"] == "***"
    with pytest.raises(ValueError):
        srv.configure_account(IDENTITY, encoding="gzip")
    assert srv.state()["dtd_available"] is VALIDATOR.available


def test_invalid_json_body(srv):
    status, _h, body = http(
        srv.url + "/_sandbox/accounts", b"{nope", {"Content-Type": "application/json"}
    )
    assert status == 400 and b"invalid JSON" in body
