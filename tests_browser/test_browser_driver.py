# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End-to-end self-test of the CDP driver on two local "sites".

Site A is http://127.0.0.1:P1 (plays Odoo), site B is http://localhost:P2
(plays Amazon).  A opens B in a new tab, B auto-POSTs a form back to A, A
answers 303 to a final page.  Request headers are recorded server-side to
prove SameSite=Lax (default) cookie behaviour matches a real browser.
"""

import html
import os
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from browser import Browser, BrowserError

CHROMIUM = "/usr/bin/chromium"
# No SameSite attribute: Chromium defaults to Lax.
COOKIE = "a_session=s3cret; Path=/; HttpOnly"

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="chromium not installed"
)


class Site:
    """A tiny HTTP server; ``routes`` maps (method, path) -> callable."""

    def __init__(self, host_name):
        self.requests = []
        self.routes = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                site.requests.append(
                    {
                        "method": self.command,
                        "path": parsed.path,
                        "query": parsed.query,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                route = site.routes.get((self.command, parsed.path))
                if route is None:
                    status, headers, content = 404, {}, "not found"
                else:
                    status, headers, content = route(parsed, body)
                data = content.encode()
                self.send_response(status)
                headers.setdefault("Content-Type", "text/html; charset=utf-8")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host_name}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def find(self, method, path):
        return [r for r in self.requests if r["method"] == method and r["path"] == path]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _page(title, body):
    head = f"<head><meta charset='utf-8'><title>{title}</title></head>"
    return f"<!doctype html><html>{head}<body>{body}</body></html>"


@pytest.fixture(scope="module")
def sites():
    site_a = Site("127.0.0.1")
    site_b = Site("localhost")

    def a_home(parsed, body):
        links = (
            f'<h1 id="home">Site A</h1>'
            f'<ul><li class="item">one</li><li class="item">two</li>'
            f'<li class="item" style="display:none">hidden</li></ul>'
            f'<a id="blank" href="{site_b.url}/shop" target="_blank">Shop (link)</a>'
            f'<button id="popup" onclick="window.open(\'{site_b.url}/shop\')">'
            f"Shop (window.open)</button>"
            f'<form action="/echo" method="get"><input id="q" name="q" value="old">'
            f'<button id="go" type="submit">Go</button></form>'
        )
        headers = {"Set-Cookie": COOKIE}
        return 200, headers, _page("A", links)

    def a_echo(parsed, body):
        q = urllib.parse.parse_qs(parsed.query).get("q", [""])[0]
        return 200, {}, _page("Echo", f'<p id="echo">{html.escape(q)}</p>')

    def a_return(parsed, body):
        # Receives the cross-site POST; sets no cookie; 303 to the final page.
        items = urllib.parse.parse_qs(body).get("items", [""])[0]
        location = "/final?" + urllib.parse.urlencode({"items": items})
        return 303, {"Location": location}, ""

    def a_final(parsed, body):
        items = urllib.parse.parse_qs(parsed.query).get("items", [""])[0]
        return (
            200,
            {},
            _page("Done", f'<h1 id="done">Received {html.escape(items)}</h1>'),
        )

    site_a.routes.update(
        {
            ("GET", "/"): a_home,
            ("GET", "/echo"): a_echo,
            ("POST", "/return"): a_return,
            ("GET", "/final"): a_final,
        }
    )

    def b_shop(parsed, body):
        return (
            200,
            {},
            _page(
                "Shop",
                '<h1 id="shop">Site B shop</h1>'
                '<form action="/checkout" method="get">'
                '<input id="qty" name="qty" value="1">'
                '<button id="checkout" type="submit">Checkout</button></form>',
            ),
        )

    def b_checkout(parsed, body):
        qty = urllib.parse.parse_qs(parsed.query).get("qty", ["?"])[0]
        form = (
            f'<form id="back" method="post" action="{site_a.url}/return">'
            f'<input type="hidden" name="items" value="widget x{html.escape(qty)}">'
            f"</form><p>Returning to A...</p>"
            f"<script>window.addEventListener('load', () =>"
            f" document.getElementById('back').submit());</script>"
        )
        return 200, {}, _page("Checkout", form)

    site_b.routes.update({("GET", "/shop"): b_shop, ("GET", "/checkout"): b_checkout})
    try:
        yield site_a, site_b
    finally:
        site_a.stop()
        site_b.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with Browser(timeout=10, screenshot_dir=tmp_path_factory.mktemp("shots")) as b:
        yield b


@pytest.fixture
def clean(sites):
    for site in sites:
        site.requests.clear()
    return sites


def _shop_round_trip(browser, sites, opener, cookie_on_post=False):
    site_a, site_b = sites
    page = browser.page
    page.goto(site_a.url + "/")
    assert page.wait_for("#home", text="Site A") is True
    assert page.count("li.item") == 3
    assert page.text("#home") == "Site A"
    assert any(c["name"] == "a_session" for c in page.cookies())

    with browser.expect_new_page() as info:
        page.click(opener)
    shop = info.value
    assert shop is not page
    shop.wait_for("#shop")
    assert shop.url.startswith(site_b.url + "/shop")
    shop.fill("#qty", "3")
    assert shop.evaluate("document.getElementById('qty').value") == "3"
    shop.click("#checkout")
    # B's checkout page auto-POSTs to A, A answers 303 -> /final, same tab.
    final_url = shop.wait_for_url(re.compile(r"/final\?items="))
    assert final_url.startswith(site_a.url + "/final")
    shop.wait_for("#done", text="widget x3")
    assert shop.text("#done") == "Received widget x3"
    # The opener tab is untouched.
    assert page.url == site_a.url + "/"

    posts = site_a.find("POST", "/return")
    assert len(posts) == 1
    post = posts[0]
    assert post["body"] == "items=widget+x3"
    assert post["headers"]["origin"] == site_b.url
    # Lax (default) cookie NOT sent on the cross-site POST ...
    sent = "a_session=s3cret" in post["headers"].get("cookie", "")
    assert sent is cookie_on_post
    # ... but sent on the top-level GET that follows the 303.
    finals = site_a.find("GET", "/final")
    assert len(finals) == 1
    assert "a_session=s3cret" in finals[0]["headers"].get("cookie", "")
    shop.close()


def test_target_blank_round_trip(browser, clean):
    _shop_round_trip(browser, clean, "#blank")


def test_window_open_round_trip(browser, clean):
    _shop_round_trip(browser, clean, "#popup")


def test_fresh_default_lax_cookie_exception(sites):
    """Chromium's own default: a < 2 min old SameSite-less cookie IS sent on
    the cross-site top-level POST (Lax-allowing-unsafe); opt-in only."""
    for site in sites:
        site.requests.clear()
    with Browser(timeout=10, lax_allowing_unsafe=True) as b:
        _shop_round_trip(b, sites, "#blank", cookie_on_post=True)


def test_fill_press_screenshot_evaluate(browser, clean, tmp_path):
    site_a, _site_b = clean
    page = browser.page
    page.goto(site_a.url + "/")
    page.fill("#q", "héllo wörld")
    page.press("Enter")
    page.wait_for_url("/echo?")
    assert page.text("#echo") == "héllo wörld"
    page.goto(site_a.url + "/")
    page.fill("#q", "")
    assert page.evaluate("document.getElementById('q').value") == ""
    page.click("#go")
    page.wait_for("#echo", visible=False)
    assert page.evaluate("Promise.resolve(6 * 7)") == 42
    assert page.evaluate("({a: [1, 'x']})") == {"a": [1, "x"]}
    shot = page.screenshot(tmp_path / "sub" / "page.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_errors_are_helpful(browser, clean):
    site_a, _site_b = clean
    page = browser.page
    page.goto(site_a.url + "/")
    with pytest.raises(BrowserError, match="boom"):
        page.evaluate("(() => { throw new Error('boom') })()")
    start = time.monotonic()
    with pytest.raises(BrowserError) as err:
        page.wait_for("#nope", timeout=0.5)
    assert time.monotonic() - start < 5
    message = str(err.value)
    assert "#nope" in message
    assert site_a.url in message
    assert "Site A" in message  # page text excerpt
    assert "screenshot:" in message
    # Hidden elements do not satisfy a visible wait.
    with pytest.raises(BrowserError):
        page.wait_for("li.item", text="hidden", timeout=0.3)
    assert page.wait_for("li.item", text="hidden", visible=False)
    with pytest.raises(BrowserError, match="no new page"):
        browser.wait_for_new_page(timeout=0.3)


def test_new_page_and_close_twice(sites):
    site_a, _site_b = sites
    b = Browser(timeout=10)
    try:
        page = b.new_page(site_a.url + "/")
        assert page.text("#home") == "Site A"
        assert page is not b.page
    finally:
        b.close()
    b.close()
    with pytest.raises(BrowserError):
        b.page.url  # noqa: B018
