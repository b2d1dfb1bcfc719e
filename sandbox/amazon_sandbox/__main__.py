# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Command line: ``bin/amazon-sandbox`` or ``python3 -m amazon_sandbox``."""

import argparse
import logging
import os
import re
import signal
import sys
import threading

from .accounts import DEFAULT_IDENTITY, DEFAULT_SECRET
from .faults import parse_faults
from .server import SandboxServer


def _fault_spec(spec):
    try:
        parse_faults(spec)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return spec


def _parser():
    p = argparse.ArgumentParser(
        prog="amazon-sandbox",
        description="Amazon Business punchout simulator (SANDBOX, not Amazon).",
    )
    p.add_argument("--host", default="127.0.0.1", help="bind address (loopback)")
    p.add_argument("--port", type=int, default=8079)
    p.add_argument(
        "--public-host",
        default="localhost",
        help="host name used in the URLs the sandbox hands out",
    )
    p.add_argument("--marketplace", choices=["US", "DE", "JP"], default="US")
    p.add_argument("--identity", default=DEFAULT_IDENTITY)
    p.add_argument(
        "--shared-secret", default=None, help="or env AMAZON_SANDBOX_SHARED_SECRET"
    )
    p.add_argument(
        "--buyer-inbound-url",
        default="",
        help="where confirmations, ship notices and invoices are posted",
    )
    p.add_argument(
        "--inbound-auth", choices=["none", "basic", "shared_secret"], default="none"
    )
    p.add_argument("--inbound-user", default="")
    p.add_argument(
        "--inbound-password",
        default=None,
        help="or env AMAZON_SANDBOX_INBOUND_PASSWORD",
    )
    p.add_argument("--mode", choices=["test", "production"], default="production")
    p.add_argument(
        "--fulfil-test-orders",
        action="store_true",
        help="SANDBOX ONLY: confirm, ship and invoice test-mode orders too "
        "(Amazon only confirms them)",
    )
    p.add_argument(
        "--carrier",
        default="",
        help="carrier name in ship notices (Amazon's own example leaves it empty)",
    )
    p.add_argument(
        "--faults",
        default="",
        type=_fault_spec,
        help="fault spec for the account, e.g. reject_line=20 (see sandbox/README.md)",
    )
    p.add_argument("--plan", choices=["auto", "manual"], default="auto")
    p.add_argument(
        "--delay",
        type=float,
        default=1.0,
        help="seconds between supplier callbacks (auto plan)",
    )
    p.add_argument("--dtd-dir", default=os.environ.get("AMAZON_SANDBOX_DTD_DIR"))
    p.add_argument(
        "--allow-remote-callbacks",
        action="store_true",
        help="allow callbacks to non-loopback hosts",
    )
    p.add_argument("--verbose", action="store_true", help="log every request path")
    return p


def mask_url(url):
    """Hide a token-like last path segment (the buyer's URL may embed one)."""
    return re.sub(r"/([^/]{9,})$", lambda m: "/" + m.group(1)[:4] + "…", url or "")


def account_from_args(args):
    secret = args.shared_secret or os.environ.get("AMAZON_SANDBOX_SHARED_SECRET")
    password = args.inbound_password or os.environ.get(
        "AMAZON_SANDBOX_INBOUND_PASSWORD", ""
    )
    return {
        "shared_secret": secret or DEFAULT_SECRET,
        "marketplace": args.marketplace,
        "mode": args.mode,
        "buyer_inbound_url": args.buyer_inbound_url,
        "inbound_auth": args.inbound_auth,
        "inbound_user": args.inbound_user,
        "inbound_password": password,
        "allow_remote_callbacks": args.allow_remote_callbacks,
        "fulfil_test_orders": args.fulfil_test_orders,
        "faults": args.faults,
        "plan": {"mode": args.plan, "delay": args.delay, "carrier": args.carrier},
    }


def main(argv=None):
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    account = account_from_args(args)
    srv = SandboxServer(
        args.host, args.port, args.public_host, args.dtd_dir, {args.identity: account}
    )
    url = srv.url
    secret_note = "(set)"
    if account["shared_secret"] == DEFAULT_SECRET:
        secret_note = "(built-in demo default, see sandbox/README.md)"
    print(f"Amazon Business SANDBOX (not Amazon) listening on {args.host}:{srv.port}")
    print(f"  punchout setup URL (production): {url}/punchout")
    print(f"  punchout setup URL (test):       {url}/punchout/test")
    print(f"  order request URL:               {url}/order")
    print(f"  introspection:                   {url}/_sandbox/state")
    print(
        f"  identity {args.identity}, marketplace {args.marketplace}, "
        f"mode {args.mode}, shared secret {secret_note}"
    )
    if args.fulfil_test_orders:
        print("  SANDBOX ONLY: test-mode orders are confirmed, shipped and invoiced")
    if args.faults:
        print(f"  faults: {args.faults}")
    print(
        "  buyer inbound URL: {} (auth {})".format(
            mask_url(args.buyer_inbound_url) or "(none)", args.inbound_auth
        )
    )
    if not srv.sandbox.validator.available:
        print(
            f"  warning: no DTDs in {srv.sandbox.validator.dtd_dir}, validation skipped"
        )
    sys.stdout.flush()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    srv.start()
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
