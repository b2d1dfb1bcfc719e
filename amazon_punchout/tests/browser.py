# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A small Chrome DevTools Protocol driver for cross-site, multi-tab e2e tests.

Odoo's tour framework cannot follow a link that opens a new tab on another
site; the punchout flow does exactly that (Odoo -> supplier in a new tab ->
cross-site auto-POST back to Odoo -> redirect).  This module drives a real
headless Chromium over one browser-level websocket with flattened
``sessionId``-scoped target sessions, so new tabs can be picked up and driven
like the first one.

It deliberately imports nothing from Odoo: stdlib + ``websocket-client`` only.

Example::

    with Browser() as browser:
        page = browser.page
        page.goto("http://127.0.0.1:8069/odoo")
        with browser.expect_new_page() as info:
            page.click("button.o_punchout")  # opens the supplier in a new tab
        shop = info.value
        shop.wait_for("#checkout")
        shop.click("#checkout")  # auto-POSTs back to Odoo in this tab
        shop.wait_for_url("/odoo/action-")
"""

import base64
import collections
import contextlib
import itertools
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import websocket

__all__ = ["Browser", "BrowserError", "Page"]

POLL = 0.1
CHROMIUM_CANDIDATES = (
    "/usr/bin/chromium",
    "chromium",
    "google-chrome",
    "chromium-browser",
)

# Finds the element used by wait_for/click/fill/text: the first element that
# matches ``sel`` (and is visible / contains ``text`` when asked).
_FIND_JS = """
(sel, visible, text) => {
  const isVisible = (el) => {
    if (!el.isConnected || !el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  for (const el of document.querySelectorAll(sel)) {
    if (visible && !isVisible(el)) continue;
    if (text !== null && !(el.textContent || '').includes(text)) continue;
    return el;
  }
  return null;
}
"""

_KEYS = {
    "Enter": (13, "\r"),
    "Tab": (9, None),
    "Escape": (27, None),
    "Backspace": (8, None),
    "Delete": (46, None),
    "ArrowLeft": (37, None),
    "ArrowUp": (38, None),
    "ArrowRight": (39, None),
    "ArrowDown": (40, None),
    "Home": (36, None),
    "End": (35, None),
    "PageUp": (33, None),
    "PageDown": (34, None),
    " ": (32, " "),
}


def _unlimited_address_space():
    """Chromium reserves far more address space than it uses: lift the RLIMIT_AS
    that Odoo's server sets (limit_memory_hard), as Odoo's own browser tests do."""
    resource.setrlimit(
        resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)
    )


class BrowserError(Exception):
    """Any failure of the browser, the protocol or a wait."""


def find_chromium(executable=None):
    """Return the path of a Chromium/Chrome executable or raise BrowserError."""
    candidates = [executable] if executable else list(CHROMIUM_CANDIDATES)
    env = os.environ.get("CHROMIUM_BIN")
    if env and not executable:
        candidates.insert(0, env)
    for candidate in candidates:
        if os.path.isabs(candidate):
            if os.access(candidate, os.X_OK):
                return candidate
        else:
            found = shutil.which(candidate)
            if found:
                return found
    raise BrowserError(f"no Chromium executable found (tried {candidates})")


def _js_args(*args):
    return ", ".join(json.dumps(a) for a in args)


class _NewPageInfo:
    """Result holder of :meth:`Browser.expect_new_page`."""

    def __init__(self):
        self._value = None

    @property
    def value(self):
        if self._value is None:
            raise BrowserError("no new page yet: read .value after the with block")
        return self._value


class Browser:
    """A headless Chromium driven over the DevTools protocol.

    ``screenshot_dir``: when set, relative :meth:`Page.screenshot` paths are
    resolved against it and failed waits save a ``failure-*.png`` there (its
    path is included in the error message).

    ``lax_allowing_unsafe``: keep Chromium's 2-minute exception that sends a
    fresh cookie *without* a SameSite attribute on cross-site top-level POSTs.
    Off by default, so such cookies behave like an older (real) session
    cookie: not sent on the cross-site POST, sent on the following GET.

    ``extra_args``: more Chromium command-line switches.
    """

    def __init__(
        self,
        executable=None,
        width=1366,
        height=900,
        timeout=20.0,
        screenshot_dir=None,
        lax_allowing_unsafe=False,
        extra_args=(),
        popup_blocking=False,
    ):
        self.timeout = float(timeout)
        self.width = int(width)
        self.height = int(height)
        self.screenshot_dir = Path(screenshot_dir) if screenshot_dir else None
        self.lax_allowing_unsafe = bool(lax_allowing_unsafe)
        self.extra_args = list(extra_args)
        # True keeps Chromium's popup blocker, as for a person: only a real click
        # (user activation) may then open a new tab.
        self.popup_blocking = bool(popup_blocking)
        self.executable = find_chromium(executable)
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._cond = threading.Condition()
        self._pending = {}  # id -> response dict (None while waiting)
        self._sessions = {}  # sessionId -> Page
        self._targets = {}  # targetId -> targetInfo
        self._created = []  # page targetIds in creation order
        self._seen = set()  # page targetIds already handed out / marked
        self._closed = False
        self._reader_error = None
        self._dispatch_errors = []
        self._ws = None
        self._proc = None
        self._page = None
        self._profile = tempfile.mkdtemp(prefix="cdp-profile-")
        try:
            self._launch()
            self._connect()
            self._page = self._first_page()
        except BaseException:
            self.close()
            raise

    # -- lifecycle -------------------------------------------------------

    def _launch(self):
        args = [
            self.executable,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-features=Translate,MediaRouter,OptimizationHints",
            "--remote-debugging-port=0",
            f"--user-data-dir={self._profile}",
            f"--window-size={self.width},{self.height}",
        ]
        if not self.popup_blocking:
            args.append("--disable-popup-blocking")
        if not self.lax_allowing_unsafe:
            # Chromium sends a SameSite-less ("default Lax") cookie on a
            # cross-site top-level POST while the cookie is < 2 minutes old
            # ("Lax-allowing-unsafe").  Real sessions are older than that;
            # disable the exception so tests see the steady-state behaviour.
            args.append("--enable-features=SameSiteDefaultChecksMethodRigorously")
        args += [*self.extra_args, "about:blank"]
        self._log_path = os.path.join(self._profile, "chromium.log")
        with open(self._log_path, "wb") as log:
            self._proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_unlimited_address_space,  # noqa: PLW1509
            )

    def _log_tail(self, size=2000):
        try:
            with open(self._log_path, "rb") as fh:
                return fh.read()[-size:].decode("utf-8", "replace")
        except OSError:
            return ""

    def _connect(self):
        port_file = os.path.join(self._profile, "DevToolsActivePort")
        deadline = time.monotonic() + self.timeout
        lines = []
        while True:
            if self._proc.poll() is not None:
                raise BrowserError(
                    f"chromium exited with {self._proc.returncode}:\n{self._log_tail()}"
                )
            try:
                with open(port_file) as fh:
                    lines = fh.read().split()
            except OSError:
                lines = []
            if len(lines) >= 2:
                break
            if time.monotonic() > deadline:
                raise BrowserError(
                    f"chromium did not write {port_file} within {self.timeout}s:\n"
                    f"{self._log_tail()}"
                )
            time.sleep(POLL)
        url = f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        try:
            # No Origin header: chromium rejects unknown origins otherwise.
            self._ws = websocket.create_connection(
                url, timeout=self.timeout, suppress_origin=True
            )
        except Exception as exc:
            raise BrowserError(f"cannot connect to {url}: {exc}") from exc
        self._ws.settimeout(None)
        self._reader = threading.Thread(
            target=self._read_loop, name="cdp-reader", daemon=True
        )
        self._reader.start()
        self.send("Target.setDiscoverTargets", {"discover": True})

    def _first_page(self):
        deadline = time.monotonic() + self.timeout
        while True:
            infos = self.send("Target.getTargets")["targetInfos"]
            pages = [t for t in infos if t["type"] == "page"]
            if pages:
                target_id = pages[0]["targetId"]
                break
            if time.monotonic() > deadline:
                target_id = self.send("Target.createTarget", {"url": "about:blank"})[
                    "targetId"
                ]
                break
            time.sleep(POLL)
        with self._cond:
            self._seen.update(t["targetId"] for t in pages)
            self._seen.add(target_id)
        return self._attach(target_id)

    def close(self):
        """Close the connection, stop chromium, remove the profile. Idempotent."""
        self._closed = True
        ws, self._ws = self._ws, None
        if ws is not None:
            with contextlib.suppress(OSError, websocket.WebSocketException):
                ws.close(timeout=1)  # best effort on shutdown
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
            # Leftover helper processes of *our* chromium (own session/group).
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
        with self._cond:
            self._cond.notify_all()
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- protocol --------------------------------------------------------

    def _read_loop(self):
        try:
            while True:
                ws = self._ws
                if ws is None:
                    break
                raw = ws.recv()
                if not raw:
                    continue
                try:
                    self._dispatch(json.loads(raw))
                except (BrowserError, KeyError, TypeError, ValueError) as exc:
                    self._dispatch_errors.append(repr(exc))  # keep reading
        except (OSError, ValueError, websocket.WebSocketException) as exc:
            # connection closed or broken
            self._reader_error = exc
        finally:
            self._closed = True
            with self._cond:
                self._cond.notify_all()

    def _dispatch(self, msg):
        if "id" in msg:
            with self._cond:
                if msg["id"] in self._pending:
                    self._pending[msg["id"]] = msg
                    self._cond.notify_all()
            return
        method, params = msg.get("method"), msg.get("params", {})
        session_id = msg.get("sessionId")
        if session_id:
            page = self._sessions.get(session_id)
            if page is not None:
                page._on_event(method, params)
            return
        with self._cond:
            if method in ("Target.targetCreated", "Target.targetInfoChanged"):
                info = params["targetInfo"]
                if info["type"] == "page" and info["targetId"] not in self._targets:
                    self._created.append(info["targetId"])
                self._targets[info["targetId"]] = info
            elif method == "Target.targetDestroyed":
                self._targets.pop(params["targetId"], None)
            elif method == "Target.detachedFromTarget":
                page = self._sessions.pop(params.get("sessionId"), None)
                if page is not None:
                    page._detached = True
            self._cond.notify_all()

    def _post(self, method, params=None, session_id=None):
        """Send a command without waiting; return its id."""
        if self._closed or self._ws is None:
            raise BrowserError(f"browser is closed (sending {method})")
        msg_id = next(self._ids)
        msg = {"id": msg_id, "method": method, "params": params or {}}
        if session_id:
            msg["sessionId"] = session_id
        with self._cond:
            self._pending[msg_id] = None
        try:
            with self._send_lock:
                self._ws.send(json.dumps(msg))
        except Exception as exc:
            with self._cond:
                self._pending.pop(msg_id, None)
            raise BrowserError(f"cannot send {method}: {exc}") from exc
        return msg_id

    def send(self, method, params=None, session_id=None, timeout=None):
        """Send a CDP command and return its result (raise BrowserError)."""
        timeout = self.timeout if timeout is None else timeout
        msg_id = self._post(method, params, session_id)
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending.get(msg_id) is None:
                remaining = deadline - time.monotonic()
                if self._closed:
                    self._pending.pop(msg_id, None)
                    raise BrowserError(
                        f"browser connection closed while waiting for {method}"
                        f" ({self._reader_error})"
                    )
                if remaining <= 0:
                    self._pending.pop(msg_id, None)
                    raise BrowserError(f"{method} timed out after {timeout}s")
                self._cond.wait(min(remaining, 1.0))
            msg = self._pending.pop(msg_id)
        if "error" in msg:
            err = msg["error"]
            raise BrowserError(
                f"{method} failed: {err.get('message')} {err.get('data', '')}".strip()
            )
        return msg.get("result", {})

    # -- pages -----------------------------------------------------------

    def _attach(self, target_id):
        session_id = self.send(
            "Target.attachToTarget", {"targetId": target_id, "flatten": True}
        )["sessionId"]
        page = Page(self, target_id, session_id)
        with self._cond:
            self._sessions[session_id] = page
        page._enable()
        return page

    @property
    def page(self):
        """The current (first) page."""
        return self._page

    @property
    def pages(self):
        """Pages (tabs) attached so far and not closed or detached."""
        return [p for p in self._sessions.values() if not p._detached]

    def new_page(self, url="about:blank"):
        """Open a new tab, attach to it and navigate it to ``url``."""
        target_id = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        with self._cond:
            self._seen.add(target_id)
        page = self._attach(target_id)
        if url and url != "about:blank":
            page.goto(url)
        return page

    def _mark_pages_seen(self):
        with self._cond:
            self._seen.update(self._created)

    def wait_for_new_page(self, timeout=None):
        """Return the oldest page (tab) not returned/marked before, attached.

        A tab counts as new if it appeared after the last ``wait_for_new_page``
        / ``expect_new_page`` / ``new_page`` (or since the browser started).
        """
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                fresh = [
                    t
                    for t in self._created
                    if t not in self._seen and t in self._targets
                ]
                if fresh:
                    target_id = fresh[0]
                    self._seen.add(target_id)
                    break
                remaining = deadline - time.monotonic()
                if self._closed:
                    raise BrowserError("browser closed while waiting for a new page")
                if remaining <= 0:
                    urls = [i.get("url") for i in self._targets.values()]
                    raise BrowserError(
                        f"no new page opened within {timeout}s (open targets: {urls})"
                    )
                self._cond.wait(min(remaining, POLL))
        return self._attach(target_id)

    def expect_new_page(self, timeout=None):
        """Context manager: ``with b.expect_new_page() as info: ...; info.value``.

        Tabs that exist when the block starts are ignored; on a clean exit the
        first tab opened inside the block is attached and stored in
        ``info.value`` (BrowserError if none appears within ``timeout``).
        """
        return _ExpectNewPage(self, timeout)


class _ExpectNewPage:
    def __init__(self, browser, timeout):
        self.browser = browser
        self.timeout = timeout
        self.info = _NewPageInfo()

    def __enter__(self):
        self.browser._mark_pages_seen()
        return self.info

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.info._value = self.browser.wait_for_new_page(self.timeout)
        return False


class Page:
    """One tab, driven through its own flattened CDP session."""

    def __init__(self, browser, target_id, session_id):
        self.browser = browser
        self.target_id = target_id
        self.session_id = session_id
        self._detached = False
        self._lifecycle = set()  # (loaderId, name)
        self._cond = threading.Condition()
        self.events = collections.deque(maxlen=500)  # (method, params)
        self.console = []  # console messages / uncaught exceptions (str)
        self.dialogs = []  # JS dialogs met (auto-accepted)

    def __repr__(self):
        return f"<Page {self.target_id[:8]}>"

    # -- plumbing --------------------------------------------------------

    @property
    def timeout(self):
        return self.browser.timeout

    def send(self, method, params=None, timeout=None):
        return self.browser.send(method, params, self.session_id, timeout)

    def _enable(self):
        self.send("Page.enable")
        self.send("Page.setLifecycleEventsEnabled", {"enabled": True})
        self.send("Runtime.enable")

    def _on_event(self, method, params):
        # Runs on the reader thread: never wait for a response here.
        self.events.append((method, params))
        if method == "Page.lifecycleEvent":
            with self._cond:
                self._lifecycle.add((params.get("loaderId"), params.get("name")))
                self._cond.notify_all()
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(params.get("message", ""))
            self.browser._post(
                "Page.handleJavaScriptDialog", {"accept": True}, self.session_id
            )
        elif method == "Runtime.consoleAPICalled":
            args = params.get("args", [])
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in args)
            self.console.append(f"{params.get('type')}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exc = details.get("exception", {})
            self.console.append(
                f"exception: {exc.get('description') or details.get('text')}"
            )

    def _timeout(self, timeout):
        return self.timeout if timeout is None else timeout

    def _body_excerpt(self):
        try:
            return self.evaluate(
                "document.body ? document.body.innerText.slice(0, 500) : ''"
            )
        except BrowserError as exc:
            return f"<unavailable: {exc}>"

    def _failure(self, message):
        """Build a BrowserError with URL, page text and a failure screenshot."""
        try:
            url = self.url
        except BrowserError as exc:
            url = f"<unavailable: {exc}>"
        parts = [message, f"current URL: {url}"]
        shot_dir = self.browser.screenshot_dir
        if shot_dir is not None:
            path = shot_dir / f"failure-{time.strftime('%Y%m%d-%H%M%S')}.png"
            with contextlib.suppress(BrowserError):
                parts.append(f"screenshot: {self.screenshot(path, timeout=5)}")
        parts.append(f"page text: {self._body_excerpt()!r}")
        return BrowserError("\n".join(parts))

    def _poll(self, expression, timeout, describe):
        """Evaluate ``expression`` until truthy; return its value."""
        timeout = self._timeout(timeout)
        deadline = time.monotonic() + timeout
        last_error = None
        while True:
            try:
                value = self.evaluate(expression, timeout=max(1.0, timeout))
                if value:
                    return value
            except BrowserError as exc:  # e.g. context destroyed by navigation
                last_error = exc
            if time.monotonic() > deadline:
                suffix = f" (last error: {last_error})" if last_error else ""
                raise self._failure(f"timed out after {timeout}s {describe}{suffix}")
            time.sleep(POLL)

    # -- navigation ------------------------------------------------------

    def goto(self, url, wait=True, timeout=None):
        """Navigate to ``url``; with ``wait`` block until its load event."""
        timeout = self._timeout(timeout)
        result = self.send("Page.navigate", {"url": url}, timeout=timeout)
        if result.get("errorText"):
            raise BrowserError(f"navigation to {url} failed: {result['errorText']}")
        loader_id = result.get("loaderId")
        if not wait:
            return
        if loader_id is None:  # same-document navigation (fragment change)
            return
        deadline = time.monotonic() + timeout
        with self._cond:
            while (loader_id, "load") not in self._lifecycle:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._detached:
                    break
                self._cond.wait(min(remaining, POLL))
            loaded = (loader_id, "load") in self._lifecycle
        if not loaded:
            # Fallback: a complete document at the expected place is fine.
            try:
                ready = self.evaluate("document.readyState", timeout=2)
            except BrowserError:
                ready = None
            if ready != "complete":
                raise self._failure(f"timed out after {timeout}s loading {url}")

    def reload(self, timeout=None):
        self.goto(self.url, timeout=timeout)

    @property
    def url(self):
        return self.evaluate("location.href")

    @property
    def title(self):
        return self.evaluate("document.title")

    def close(self):
        """Close this tab."""
        self.browser.send("Target.closeTarget", {"targetId": self.target_id})
        self._detached = True

    # -- scripting -------------------------------------------------------

    def evaluate(self, js_expression, timeout=None):
        """Evaluate a JS expression (promises awaited); return its JSON value."""
        result = self.send(
            "Runtime.evaluate",
            {
                "expression": js_expression,
                "returnByValue": True,
                "awaitPromise": True,
                "userGesture": False,
            },
            timeout=timeout,
        )
        details = result.get("exceptionDetails")
        if details:
            exc = details.get("exception", {})
            text = exc.get("description") or exc.get("value") or details.get("text")
            raise BrowserError(f"JS error in {js_expression[:200]!r}: {text}")
        return result.get("result", {}).get("value")

    # -- waits -----------------------------------------------------------

    def wait_for(self, selector, timeout=None, visible=True, text=None):
        """Wait until ``selector`` matches (visible / containing ``text``)."""
        expr = f"!!({_FIND_JS})({_js_args(selector, bool(visible), text)})"
        what = f"waiting for {selector!r}"
        if visible:
            what += " (visible)"
        if text is not None:
            what += f" containing {text!r}"
        return self._poll(expr, timeout, what)

    def wait_for_url(self, pattern, timeout=None):
        """Wait until location.href contains ``pattern`` (str) or matches it
        (compiled regex, searched).  Returns the URL."""
        timeout = self._timeout(timeout)
        deadline = time.monotonic() + timeout
        last_error = None
        while True:
            try:
                current = self.url
                if isinstance(pattern, re.Pattern):
                    if pattern.search(current or ""):
                        return current
                elif pattern in (current or ""):
                    return current
            except BrowserError as exc:
                last_error = exc
            if time.monotonic() > deadline:
                suffix = f" (last error: {last_error})" if last_error else ""
                raise self._failure(
                    f"timed out after {timeout}s waiting for URL {pattern!r}{suffix}"
                )
            time.sleep(POLL)

    # -- interaction -----------------------------------------------------

    def _element_call(self, selector, visible, text, body):
        """Run ``body`` (JS using ``el``) on the found element."""
        expr = (
            f"(() => {{ const el = ({_FIND_JS})({_js_args(selector, visible, text)});"
            f" if (!el) return null; {body} }})()"
        )
        return self.evaluate(expr)

    def click(self, selector, text=None, timeout=None):
        """Real mouse click at the centre of the first visible match."""
        timeout = self._timeout(timeout)
        deadline = time.monotonic() + timeout
        self.wait_for(selector, timeout=timeout, text=text)
        body = """
          el.scrollIntoView({block: 'center', inline: 'center'});
          const r = el.getBoundingClientRect();
          const x = r.left + r.width / 2, y = r.top + r.height / 2;
          if (!r.width || !r.height) { el.click(); return {clicked: true}; }
          const hit = document.elementFromPoint(x, y);
          const ok = !!hit && (hit === el || el.contains(hit));
          return {x, y, ok, hit: hit ? hit.outerHTML.slice(0, 120) : null};
        """
        while True:
            try:
                box = self._element_call(selector, True, text, body)
            except BrowserError:
                box = None
            if box and box.get("clicked"):
                return
            if box and box.get("ok"):
                break
            if time.monotonic() > deadline:
                hit = box.get("hit") if box else None
                raise self._failure(
                    f"cannot click {selector!r}: not found, hidden or covered"
                    f" (element at its centre: {hit})"
                )
            time.sleep(POLL)
        x, y = box["x"], box["y"]
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    def fill(self, selector, value, timeout=None):
        """Replace the value of an input/textarea/select/contenteditable."""
        value = str(value)
        self.wait_for(selector, timeout=timeout)
        kind = self._element_call(
            selector,
            True,
            None,
            """
            el.scrollIntoView({block: 'center'});
            if (el.tagName === 'SELECT') return 'select';
            el.focus();
            try { el.select(); } catch (e) {}
            if (el.isContentEditable || typeof el.select !== 'function')
              document.execCommand('selectAll', false, null);
            return 'text';
            """,
        )
        if kind is None:
            raise self._failure(f"cannot fill {selector!r}: element vanished")
        if kind == "text":
            if value:
                self.send("Input.insertText", {"text": value})
            else:
                self.press("Delete")
        # Check / force the value (select, date, number...) and fire events.
        set_js = f"""
            const v = {json.dumps(value)};
            if (!el.isContentEditable && el.value !== v) {{
              const proto = Object.getPrototypeOf(el);
              const desc = Object.getOwnPropertyDescriptor(proto, 'value');
              if (desc && desc.set) desc.set.call(el, v); else el.value = v;
              el.dispatchEvent(new Event('input', {{bubbles: true}}));
            }}
            el.dispatchEvent(new Event('change', {{bubbles: true}}));
            return el.isContentEditable ? el.innerText : el.value;
        """
        got = self._element_call(selector, True, None, set_js)
        if got is None:
            raise self._failure(f"cannot fill {selector!r}: element vanished")

    def press(self, key):
        """Press and release one key: 'Enter', 'Tab', 'Escape', 'a', ..."""
        code, text = _KEYS.get(key, (None, None))
        if code is None:
            if len(key) != 1:
                raise BrowserError(f"unknown key {key!r}")
            code, text = ord(key.upper()), key
        params = {
            "key": key,
            "code": key if len(key) > 1 else f"Key{key.upper()}",
            "windowsVirtualKeyCode": code,
            "nativeVirtualKeyCode": code,
        }
        if text:
            self.send(
                "Input.dispatchKeyEvent",
                {**params, "type": "keyDown", "text": text, "unmodifiedText": text},
            )
        else:
            self.send("Input.dispatchKeyEvent", {**params, "type": "rawKeyDown"})
        self.send("Input.dispatchKeyEvent", {**params, "type": "keyUp"})

    # -- reading ---------------------------------------------------------

    def text(self, selector, timeout=None):
        """innerText of the first match (waits for it to exist)."""
        self.wait_for(selector, timeout=timeout, visible=False)
        value = self._element_call(selector, False, None, "return el.innerText;")
        if value is None:
            raise self._failure(f"{selector!r} vanished before reading its text")
        return value

    def count(self, selector):
        """Number of elements matching ``selector`` right now (no wait)."""
        return self.evaluate(
            f"document.querySelectorAll({json.dumps(selector)}).length"
        )

    def screenshot(self, path, timeout=None):
        """Save a PNG of the viewport (brings the tab to front); return its path."""
        path = Path(path)
        if not path.is_absolute() and self.browser.screenshot_dir is not None:
            path = self.browser.screenshot_dir / path
        # Background tabs produce no frames in headless mode: activate first.
        self.send("Page.bringToFront", timeout=timeout)
        data = self.send("Page.captureScreenshot", {"format": "png"}, timeout=timeout)[
            "data"
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def cookies(self):
        """Cookies the browser would send to the current URL."""
        return self.send("Network.getCookies", {"urls": [self.url]})["cookies"]
