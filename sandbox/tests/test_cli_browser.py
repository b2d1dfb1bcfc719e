# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The command line launcher, and the shop in a real headless Chromium."""

import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from conftest import (
    IDENTITY,
    Receiver,
    post_json,
    post_xml,
    setup_xml,
    start_session,
    status_of,
)
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
SCREENS = REPO / ".local" / "screens"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def test_cli_starts_prints_urls_and_hides_secret():
    env = dict(os.environ, AMAZON_SANDBOX_SHARED_SECRET="cli-secret-xyz")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "bin" / "amazon-sandbox"),
            "--port",
            "0",
            "--marketplace",
            "DE",
            "--buyer-inbound-url",
            "http://localhost:8069/amazon_punchout/cxml/secret-token-123456",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "buyer inbound URL" in line:
                break
        out = "".join(lines)
        url = re.search(r"\(production\): (http://localhost:\d+)/punchout", out).group(
            1
        )
        assert "/punchout/test" in out and "/order" in out and "/_sandbox/state" in out
        assert "cli-secret-xyz" not in out and "secret-token-123456" not in out
        _status, _h, body = post_xml(
            url + "/punchout", setup_xml(secret="cli-secret-xyz")
        )
        assert status_of(body)[0] == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        rest, _err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "cli-secret-xyz" not in rest


# Debian's chromium, driven by Playwright (which downloads no browser here). As root,
# without a GPU; no background networking: on a closed network Chromium otherwise
# waits on connections that never open (slow and flaky on a loaded machine).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="chromium not installed"
)


@pytest.fixture(scope="module")
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser.new_page(viewport={"width": 1280, "height": 900})


@needs_chromium
def test_screenshots_of_shop_pages(srv, page):
    SCREENS.mkdir(parents=True, exist_ok=True)
    _url, session = start_session(srv)
    sid = session["id"]
    for asin, qty in (("B0SBX1PEN1", 2), ("B0SBXMON10", 1), ("B0SBXBK017", 3)):
        srv.sandbox.update_cart(sid, asin, qty)
    pages = {
        "sandbox-home.png": f"/shop/{sid}/",
        "sandbox-product.png": f"/shop/{sid}/dp/B0SBXMON10",
        "sandbox-cart.png": f"/shop/{sid}/cart",
    }
    for name, path in pages.items():
        target = SCREENS / name
        target.unlink(missing_ok=True)
        page.goto(srv.url + path)
        page.screenshot(path=target)
        assert target.exists() and target.stat().st_size > 10_000, name


@needs_chromium
def test_browser_auto_posts_cart_cross_site(srv, page, tmp_path):
    """A real browser submits the return form to the buyer's (other) site."""
    receiver = Receiver()
    try:
        return_url = receiver.url.replace("/cxml/", "/return/")
        _url, session = start_session(srv, return_url=return_url)
        status, result = post_json(
            srv.url + f"/_sandbox/sessions/{session['id']}/cart",
            {"items": [{"asin": "B0SBX1PEN1", "quantity": 2}], "options": {}},
        )
        assert status == 200
        form = tmp_path / "return.html"
        form.write_text(result["form_html"], encoding="utf-8")
        with page.expect_response(return_url):
            page.goto(form.as_uri())
        assert receiver.received, "the browser did not post the form"
        posted = receiver.received[0]
        assert posted["path"] == urllib.parse.urlsplit(return_url).path
        assert posted["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
        fields = urllib.parse.parse_qs(posted["body"].decode())
        assert list(fields) == ["cxml-urlencoded"]
        # browsers normalise line breaks in submitted form values to CRLF
        assert fields["cxml-urlencoded"][0].replace("\r\n", "\n") == result["cxml"]
    finally:
        receiver.close()


def test_identity_constant():
    assert IDENTITY.startswith("PunchoutGroup")
