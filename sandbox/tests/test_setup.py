# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PunchOutSetupRequest rules and the one-time start page."""

import re
import time

import pytest
from conftest import (
    IDENTITY,
    NO_REDIRECT,
    assert_recorded_valid,
    assert_valid,
    http,
    parse,
    post_xml,
    require_dtds,
    setup_xml,
    start_session,
    status_of,
)


def test_setup_ok_production(srv):
    status, headers, body = post_xml(srv.url + "/punchout", setup_xml())
    assert status == 200
    assert headers["Content-Type"] == "text/xml; charset=UTF-8"
    assert status_of(body)[:2] == (200, "OK")
    assert_valid(body)
    url = parse(body).findtext("Response/PunchOutSetupResponse/StartPage/URL")
    assert re.fullmatch(
        re.escape(srv.url) + r"/eprocurement/initiate-clean-punchout/\d+-\d+", url
    )
    session = srv.sessions()[-1]
    assert session["identity"] == IDENTITY
    assert session["email"] == "jane@corp.example"
    assert session["name"] == "Jane Doe"
    assert session["buyer_cookie"] == "cookie-123"
    assert session["business_unit"] == "Purchasing"
    assert session["path"] == "production"
    assert session["test"] is False
    assert_recorded_valid([session["validation"]])


def test_setup_test_path_marks_session_test(srv):
    _url, session = start_session(srv, path="/punchout/test")
    assert session["path"] == "test" and session["test"] is True


def test_setup_deployment_mode_test(srv):
    _url, session = start_session(srv, deployment="test")
    assert session["deployment_mode"] == "test" and session["test"] is True


def test_email_from_contact_only(srv):
    xml = setup_xml().replace(
        '<Extrinsic name="UserEmail">jane@corp.example</Extrinsic>', ""
    )
    _status, _h, body = post_xml(srv.url + "/punchout", xml)
    assert status_of(body)[0] == 200
    assert srv.sessions()[-1]["email"] == "jane@corp.example"


@pytest.mark.parametrize(
    "kwargs, code, needle",
    [
        ({"secret": "wrong"}, 401, "does not match"),
        ({"identity": "PunchoutGroup9999"}, 401, "Unknown identity"),
        ({"to": "NotAmazon"}, 401, "Identity 'Amazon'"),
        ({"secret_under_from": True}, 400, "only under Sender"),
        ({"email": ""}, 400, "e-mail is required"),
        ({"operation": "edit"}, 400, 'operation="create"'),
        ({"cookie": ""}, 400, "BuyerCookie"),
        ({"return_url": ""}, 400, "BrowserFormPost"),
    ],
)
def test_setup_rejections(srv, kwargs, code, needle):
    status, _h, body = post_xml(srv.url + "/punchout", setup_xml(**kwargs))
    assert status == 200  # like Amazon: the cXML status carries the error
    got_code, _text, detail = status_of(body)
    assert got_code == code
    assert needle in detail
    assert_valid(body)
    assert srv.sessions() == []


def test_secret_never_echoed(srv):
    _s, _h, body = post_xml(srv.url + "/punchout", setup_xml(secret="wrong-secret"))
    assert b"wrong-secret" not in body and b"test-secret-1" not in body


@pytest.mark.parametrize(
    "payload",
    [
        b"<cXML><Header>",
        b"not xml at all",
        b"",
        b'<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY x "boom">]><cXML>&x;</cXML>',
        b"<foo/>",
    ],
)
def test_setup_bad_xml(srv, payload):
    status, _h, body = post_xml(srv.url + "/punchout", payload)
    assert status == 200
    assert status_of(body)[0] == 400


def test_dtd_order_quirk_is_a_warning_only(srv):
    """Amazon accepts Contact before BrowserFormPost: validity recorded, not fatal."""
    require_dtds()
    xml = setup_xml()
    bfp = re.search(r"<BrowserFormPost>.*?</BrowserFormPost>", xml, re.DOTALL).group(0)
    xml = xml.replace(bfp, "").replace(
        "</PunchOutSetupRequest>", bfp + "</PunchOutSetupRequest>"
    )
    _s, _h, body = post_xml(srv.url + "/punchout", xml)
    assert status_of(body)[0] == 200
    validation = srv.sessions()[-1]["validation"]
    assert validation["checked"] and validation["valid"] is False
    assert validation["errors"]


def test_status_text_quirk(srv):
    srv.configure_account(IDENTITY, setup_status_text=False)
    _s, _h, body = post_xml(srv.url + "/punchout", setup_xml())
    status = parse(body).find("Response/Status")
    assert status.get("code") == "200" and status.get("text") is None


def test_start_page_is_one_time(srv):
    url, session = start_session(srv)
    status, headers, _b = http(url, opener=NO_REDIRECT)
    assert status == 303
    assert headers["Location"] == "/shop/{}/".format(session["id"])
    status, _h, body = http(url, opener=NO_REDIRECT)
    assert status == 410
    assert b"already been used" in body


def test_start_page_expires(srv):
    srv.configure_account(IDENTITY, token_ttl=0.05)
    url, _session = start_session(srv)
    time.sleep(0.1)
    status, _h, body = http(url, opener=NO_REDIRECT)
    assert status == 410 and b"expired" in body


def test_unknown_start_token(srv):
    status, _h, _b = http(srv.url + "/eprocurement/initiate-clean-punchout/1-2")
    assert status == 410
