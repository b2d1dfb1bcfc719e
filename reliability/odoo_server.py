#!/usr/bin/env python3
# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's own server (odoo-bin) with the addon's waiting times scaled down.

Used by the reliability suite only: a bounded run cannot wait Odoo's real minutes
between retries. The scaled constants (printed in the log) are:

    ORDER_RETRY_DELAY            60 s   -> REL_RETRY_DELAY (1 s)
    ORDER_SEND_TIMEOUT           30 s   -> REL_SEND_TIMEOUT (3 s)
    ORDER_SENDING_STUCK_MINUTES  10 min -> REL_STUCK_SECONDS (12 s) / 60
    INBOUND_STALE_MINUTES         2 min -> REL_STALE_SECONDS (5 s) / 60

Everything else is Odoo and the addon unchanged. Each run of the sending cron also
logs its SQL query count ("reliability: send cron ..."), for queries per order.
Usage: odoo_server.py <odoo-bin arguments>
"""

import logging
import os
import sys
import threading

from odoo.modules import module as odoo_module
from odoo.tools import config

SCALED = {
    "ORDER_RETRY_DELAY": float(os.environ.get("REL_RETRY_DELAY", "1")),
    "ORDER_SEND_TIMEOUT": float(os.environ.get("REL_SEND_TIMEOUT", "3")),
    "ORDER_SENDING_STUCK_MINUTES": float(os.environ.get("REL_STUCK_SECONDS", "12"))
    / 60,
    "INBOUND_STALE_MINUTES": float(os.environ.get("REL_STALE_SECONDS", "5")) / 60,
}
_logger = logging.getLogger("reliability")


def server_args():
    """odoo-bin's arguments, for the server and for its websocket process.

    Odoo's prefork master starts its websocket (gevent) process as
    ``<this script> gevent server <arguments>``; Odoo drops "gevent" when it is
    imported, so a leading "server" is ours from the first start. (Not skipping
    it made that process fail at once and the master respawn it every second,
    which burnt a core and made the two-server figures slower than one server.)
    """
    args = sys.argv[1:]
    return args[1:] if args[:1] == ["server"] else args


def patch(args):
    config.parse_config(args, setup_logging=False)
    odoo_module.initialize_sys_path()
    from odoo.addons.amazon_punchout.models import (
        amazon_punchout_document as document_module,
    )

    for name, module in list(sys.modules.items()):
        if name.startswith("odoo.addons.amazon_punchout"):
            for const, value in SCALED.items():
                if hasattr(module, const):
                    setattr(module, const, value)
    cls = document_module.AmazonPunchoutDocument
    original = cls._cron_send_documents

    def _cron_send_documents(self, *args, **kwargs):
        thread = threading.current_thread()
        if not hasattr(thread, "query_count"):
            thread.query_count = 0
        before = thread.query_count
        try:
            return original(self, *args, **kwargs)
        finally:
            _logger.info(
                "reliability: send cron run, %s queries (scaled constants %s)",
                thread.query_count - before,
                SCALED,
            )

    cls._cron_send_documents = _cron_send_documents


if __name__ == "__main__":
    args = server_args()
    patch(args)
    from odoo.cli.command import main

    sys.argv = [sys.argv[0], "server", *args]
    main()
