# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The in-process ``SandboxServer`` API: werkzeug's threaded server in a thread."""

import logging
import threading
import time

from werkzeug.serving import WSGIRequestHandler, make_server

from .sandbox import Sandbox
from .web import SandboxApp

_logger = logging.getLogger("amazon_sandbox")


class _Handler(WSGIRequestHandler):
    """Request lines to the ``amazon_sandbox`` logger at debug level (paths carry
    no secrets; bodies are never logged), never to werkzeug's own logger."""

    server_version = "AmazonSandbox/1.0"

    def log(self, type, message, *args):
        level = logging.DEBUG if type == "info" else logging.WARNING
        _logger.log(level, "%s %s", self.address_string(), message % args)


class SandboxServer:
    """Run the sandbox in a daemon thread (tests) or in the foreground (CLI).

    ``srv = SandboxServer(port=0).start()``; ``srv.url``; ``srv.stop()``.
    """

    def __init__(
        self,
        host="127.0.0.1",
        port=0,
        public_host="localhost",
        dtd_dir=None,
        accounts=None,
    ):
        self.sandbox = Sandbox(dtd_dir=dtd_dir, accounts=accounts)
        self.httpd = make_server(
            host,
            port,
            SandboxApp(self.sandbox),
            threaded=True,
            request_handler=_Handler,
        )
        self.host = host
        self.port = self.httpd.server_address[1]
        self.url = f"http://{public_host or host}:{self.port}"
        self.sandbox.url = self.url
        self._thread = None

    def start(self):
        self._thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="amazon-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self):
        self.httpd.serve_forever(poll_interval=0.2)

    def stop(self):
        self.sandbox.stop_event.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # === STATE AND CONFIGURATION (mirrors /_sandbox/) === #

    def reset(self):
        self.sandbox.reset()

    def configure_account(self, identity, **settings):
        return self.sandbox.accounts.configure(identity, **settings)

    def set_faults(self, spec, identity=None):
        return self.sandbox.set_faults(spec, identity)

    def state(self):
        return self.sandbox.snapshot()

    def accounts(self):
        return self.sandbox.snapshot("accounts")

    def sessions(self):
        return self.sandbox.snapshot("sessions")

    def carts(self):
        return self.sandbox.snapshot("carts")

    def orders(self):
        return self.sandbox.snapshot("orders")

    def callbacks(self):
        return self.sandbox.snapshot("callbacks")

    def fill_cart(self, session_id, items, options=None):
        return self.sandbox.fill_cart(session_id, items, options)

    def advance(self, order_id, steps=1):
        order = self.sandbox.orders.find(order_id)
        if order is None:
            raise KeyError(order_id)
        return self.sandbox.fulfilment.advance(order, steps)

    def wait_for_callbacks(self, count, timeout=5.0, predicate=None):
        """Wait until ``count`` callback attempts (matching predicate) exist."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.callbacks() if predicate is None or predicate(c)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    def wait_for_order(self, order_id, status="done", timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            order = self.sandbox.orders.find(order_id)
            if order is not None and order.status == status:
                return order.public()
            time.sleep(0.02)
        order = self.sandbox.orders.find(order_id)
        return order.public() if order else None
