# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Callbacks: playing an accepted order's plan and posting its documents.

Each step's document is validated against its DTD family and POSTed to the
buyer, retrying transport failures and 5xx answers with the same payloadID.
Every attempt is recorded for ``/_sandbox/callbacks``.
"""

import base64
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from . import cxml_docs, supplier

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Run:
    """The steps of one accepted order still to be played."""

    order: object  # orders.Order
    steps: list
    faults: dict  # callback faults that fired when the order was accepted


class Fulfilment:
    def __init__(self, lock, stop_event, validator, accounts):
        self.lock = lock
        self.stop_event = stop_event
        self.validator = validator
        self.accounts = accounts
        self.generation = 0
        self.reset()

    def reset(self):
        """Forget runs and records; auto runners of earlier generations stop."""
        with self.lock:
            self.generation += 1
            self.runs = {}  # (identity, orderID) -> Run
            self.records = []

    def public(self):
        with self.lock:
            return [dict(r) for r in self.records]

    # === PLAYING THE PLAN === #

    def start(self, order, faults):
        """Plan the documents of an accepted order; start them unless manual."""
        account = self.accounts.get(order.identity)
        if "reject_line" in faults:
            line = faults["reject_line"]
            already = order.plan.get("reject_lines") or []
            if not isinstance(already, list):
                already = [already]
            order.plan["reject_lines"] = [
                *already,
                "last" if line is None else int(line),
            ]
        steps = supplier.build_plan(
            order, order.plan, account["invoicing"], account["fulfil_test_orders"]
        )
        if "out_of_order" in faults:
            steps.reverse()
        order.faults = sorted(faults)
        order.steps_total = len(steps)
        order.pending = [s["kind"] for s in steps]
        run = Run(order, steps, faults)
        with self.lock:
            self.runs[(order.identity, order.order_id)] = run
        if order.plan.get("mode") == "manual":
            order.status = "waiting (manual plan)"
            return
        threading.Thread(
            target=self._run_auto, args=(run, self.generation), daemon=True
        ).start()

    def _run_auto(self, run, generation):
        delay = float(run.order.plan.get("delay", 0.2))
        while run.steps:
            if self.stop_event.wait(delay) or generation != self.generation:
                return
            self.advance(run.order)
        run.order.status = "done"

    def advance(self, order, steps=1):
        """Play the next ``steps`` steps (or all when steps is None)."""
        run = self.runs.get((order.identity, order.order_id))
        sent = []
        while run and run.steps and (steps is None or len(sent) < steps):
            with self.lock:
                step = run.steps.pop(0)
                order.pending = [s["kind"] for s in run.steps]
            sent.extend(self._deliver(run, step))
            order.steps_done += 1
            order.status = "in progress" if run.steps else "done"
        return sent

    # === SENDING === #

    def _deliver(self, run, step):
        order = run.order
        account = self.accounts.get(order.identity)
        root, family, name = supplier.build_document(step, account, order)
        body = cxml_docs.serialize(root, family)
        validation = self.validator.validate(body, family)
        base = {
            "order_id": order.order_id,
            "identity": order.identity,
            "kind": step["kind"],
            "document": name,
            "type": (step.get("group") or {}).get("type"),
            "payload_id": root.get("payloadID"),
            "url": callback_url(account, step["kind"]),
            "valid": validation["valid"],
            "dtd": validation["dtd"],
            "dtd_errors": validation["errors"],
            "xml": cxml_docs.redact_xml(body.decode("utf-8")),
        }
        copies = 2 if "duplicate" in run.faults else 1
        records = []
        for delivery in range(1, copies + 1):
            records.extend(self._post_with_retry(account, body, base, delivery))
        return records

    def _post_with_retry(self, account, body, base, delivery):
        base = dict(base, delivery=delivery)
        url = base["url"]
        if not url:
            return [self._record(base, 0, error="no buyer_inbound_url configured")]
        if not account["allow_remote_callbacks"] and not is_loopback(url):
            return [self._record(base, 0, error="refused: not a loopback URL")]
        retry = account["retry"]
        attempts = max(1, int(retry["attempts"]))
        records = []
        for attempt in range(1, attempts + 1):
            result = post_once(url, body, account, float(retry["timeout"]))
            records.append(self._record(base, attempt, **result))
            if not should_retry(result) or attempt == attempts:
                break
            if self.stop_event.wait(float(retry["backoff"]) * 2 ** (attempt - 1)):
                break
        return records

    def _record(self, base, attempt, **result):
        record = {
            **base,
            "attempt": attempt,
            "sent": time.time(),
            "http_status": None,
            "cxml_code": None,
            "cxml_text": None,
            "error": None,
            **result,
        }
        with self.lock:
            self.records.append(record)
        return record


def is_loopback(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def callback_url(account, kind):
    return account["callback_urls"].get(kind) or account["buyer_inbound_url"] or ""


def _headers(account):
    headers = {
        "Content-Type": "text/xml; charset=UTF-8",
        "User-Agent": "amazon-sandbox (Amazon Business simulator)",
    }
    if account["inbound_auth"] == "basic":
        pair = "{}:{}".format(account["inbound_user"], account["inbound_password"])
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    return headers


def post_once(url, body, account, timeout):
    """POST once; return dict(http_status, cxml_code, cxml_text, error)."""
    result = {"http_status": None, "cxml_code": None, "cxml_text": None, "error": None}
    request = urllib.request.Request(url, body, _headers(account), method="POST")
    data = b""
    try:
        with _OPENER.open(request, timeout=timeout) as resp:
            result["http_status"] = resp.status
            data = resp.read(cxml_docs.MAX_BYTES)
    except urllib.error.HTTPError as exc:
        result["http_status"] = exc.code
        data = exc.read(cxml_docs.MAX_BYTES)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        result["error"] = "{}: {}".format(
            type(exc).__name__, getattr(exc, "reason", exc)
        )
        return result
    try:
        status = cxml_docs.parse(data).getroot().find("Response/Status")
    except cxml_docs.CXMLError:
        status = None
    if status is not None:
        code = status.get("code", "")
        result["cxml_code"] = int(code) if code.isdigit() else code
        result["cxml_text"] = status.get("text")
    return result


def should_retry(result):
    if result["error"]:
        return True
    if result["http_status"] and result["http_status"] >= 500:
        return True
    code = result["cxml_code"]
    return isinstance(code, int) and code >= 500
