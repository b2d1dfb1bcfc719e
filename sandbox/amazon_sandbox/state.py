# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Accounts, fault specifications and small helpers shared by the server."""

import copy

from . import catalog

DEFAULT_IDENTITY = "PunchoutGroup1000"
DEFAULT_SECRET = "sandbox-shared-secret"
SECRET_KEYS = {"shared_secret", "inbound_password", "order_auth_password"}

DEFAULT_PLAN = {
    # auto | manual (tests advance via POST /_sandbox/orders/<id>/advance)
    "mode": "auto",
    "delay": 0.2,  # seconds before each callback in auto mode
    "split": False,  # spread accepted lines over two Amazon orders
    "reject_lines": [],  # PO line numbers, or "last" / "all"
    "backorder_lines": [],  # PO line numbers, or "last" / "all"
    "confirm_type": None,  # None: "detail" (one Amazon order) / "accept" (split)
    "carrier": "",  # CarrierIdentifier text; Amazon's own example leaves it empty
    "reject_reason": None,
}
DEFAULT_RETRY = {"attempts": 4, "backoff": 0.5, "timeout": 10.0}

DEFAULT_ACCOUNT = {
    "shared_secret": DEFAULT_SECRET,
    "marketplace": "US",
    "mode": "production",
    "buyer_inbound_url": "",
    "callback_urls": {},  # optional per kind: confirmation, ship_notice, invoice
    "allow_remote_callbacks": False,
    "inbound_auth": "none",  # none | basic | shared_secret
    "inbound_user": "",
    "inbound_password": "",
    "order_auth_user": "",  # optional HTTP Basic required on POST /order
    "order_auth_password": "",
    "encoding": "urlencoded",  # urlencoded | base64
    "field_name": None,  # default cxml-urlencoded / cXML-base64
    "doctype": True,
    "omit_uom_classification": False,
    "header_tax_shipping": True,
    "line_tax": None,  # None: True for DE, else False
    "extrinsics": True,
    "price_tolerance_percent": 10,
    "token_ttl": 300,
    "setup_status_text": True,  # False: Status without text, like Amazon's example
    "invoicing": True,
    "plan": DEFAULT_PLAN,
    "retry": DEFAULT_RETRY,
    "faults": "",
}

CALLBACK_KINDS = {"confirmation", "ship_notice", "invoice"}
CHOICES = {
    "marketplace": set(catalog.MARKETPLACES),
    "mode": {"test", "production"},
    "inbound_auth": {"none", "basic", "shared_secret"},
    "encoding": {"urlencoded", "base64"},
}

FAULT_NAMES = {
    "latency",
    "timeout",
    "http500",
    "cxml500",
    "malformed",
    "duplicate",
    "out_of_order",
}
RESPONSE_FAULTS = {"latency", "timeout", "http500", "cxml500", "malformed"}
CALLBACK_FAULTS = {"duplicate", "out_of_order"}
DEFAULT_TIMEOUT_SLEEP = 35.0


def parse_faults(spec):
    """Parse ``"http500*2,latency=0.5"`` into a list of fault dicts.

    :raise ValueError: on an unknown fault name or a bad number.
    """
    faults = []
    if isinstance(spec, list | tuple):
        spec = ",".join(spec)
    for raw in (spec or "").replace(";", ",").split(","):
        part = raw.strip()
        if not part:
            continue
        count = None
        if "*" in part:
            part, num = part.rsplit("*", 1)
            count = int(num)
        name, _sep, value = part.partition("=")
        name = name.strip().lower().replace("-", "_")
        if name not in FAULT_NAMES:
            raise ValueError(f"unknown fault {name!r} (known: {sorted(FAULT_NAMES)})")
        faults.append(
            {
                "name": name,
                "value": float(value) if value.strip() else None,
                "remaining": count,
                "spec": raw.strip(),
            }
        )
    return faults


def as_bool(value, default):
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def new_account(identity, settings, base=None):
    """Merge settings into an account dict; validate choices."""
    account = copy.deepcopy(base or DEFAULT_ACCOUNT)
    account["identity"] = identity
    for key, value in settings.items():
        if key not in DEFAULT_ACCOUNT:
            raise ValueError(f"unknown account setting {key!r}")
        if key in ("plan", "retry", "callback_urls"):
            allowed = CALLBACK_KINDS if key == "callback_urls" else DEFAULT_ACCOUNT[key]
            unknown = set(value) - set(allowed)
            if unknown:
                raise ValueError(f"unknown {key} option(s) {sorted(unknown)}")
            account[key] = {**account[key], **value}
        elif key == "faults":
            parse_faults(value)
            account[key] = value
        else:
            if key in CHOICES and value not in CHOICES[key]:
                raise ValueError(f"{key} must be one of {sorted(CHOICES[key])}")
            account[key] = value
    account["_faults"] = parse_faults(account["faults"])
    return account


def redact(account):
    public = {k: v for k, v in account.items() if not k.startswith("_")}
    for key in SECRET_KEYS:
        if public.get(key):
            public[key] = "***"
    public["active_faults"] = copy.deepcopy(account.get("_faults", []))
    return public


def _encoding_of(field):
    return "base64" if "base64" in field.lower() else "urlencoded"


def cart_options(account, overrides):
    """Resolve the cart options of an account with per-request overrides."""
    overrides = overrides or {}
    field = overrides.get("field") or overrides.get("field_name")
    encoding = overrides.get("encoding")
    if not encoding:
        encoding = _encoding_of(field) if field else account["encoding"]
    if encoding not in CHOICES["encoding"]:
        raise ValueError("encoding must be urlencoded or base64")
    if not field:
        field = account["field_name"]
        if not field or _encoding_of(field) != encoding:
            field = "cXML-base64" if encoding == "base64" else "cxml-urlencoded"
    line_tax_default = account["line_tax"]
    if line_tax_default is None:
        line_tax_default = account["marketplace"] == "DE"
    omit = overrides.get("omit", overrides.get("omit_uom_classification"))
    header = overrides.get("header_tax_shipping", overrides.get("header"))
    return {
        "encoding": encoding,
        "field": field,
        "doctype": as_bool(overrides.get("doctype"), account["doctype"]),
        "omit_uom_classification": as_bool(omit, account["omit_uom_classification"]),
        "header_tax_shipping": as_bool(header, account["header_tax_shipping"]),
        "line_tax": as_bool(overrides.get("line_tax"), line_tax_default),
        "extrinsics": as_bool(overrides.get("extrinsics"), account["extrinsics"]),
    }
