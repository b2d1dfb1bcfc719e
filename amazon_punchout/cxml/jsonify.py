# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""JSON view of parsed documents (for ``bin/cxml-inspect`` and logs)."""

import dataclasses
from datetime import date, datetime
from decimal import Decimal

from .const import REDACTED
from .model import Credential, Money
from .values import format_timestamp

#: dataclass field -> JSON key (snake_case of the cXML element name)
_RENAME = {
    "classifications": "classification",
    "extrinsics": "extrinsic",
    "items": "items",
}
_PAIR_KEYS = {
    "classifications": ("domain", "value"),
    "extrinsics": ("name", "value"),
    # ShipControl.carriers; ShipNoticeRequest.carriers (ShipControls) are no pairs
    "carriers": ("domain", "value"),
    "shipment_identifiers": ("domain", "value"),
    "comment_types": ("type", "value"),
}


def _timestamp(value):
    """ISO 8601 with the zone, keeping the fractional seconds that were sent
    (``…03.186+00:00``); the builders emit whole seconds (doc §2.2)."""
    if not value.microsecond:
        return format_timestamp(value)
    fraction = f"{value.microsecond:06d}"
    if fraction.endswith("000"):
        fraction = fraction[:3]
    whole = format_timestamp(value)
    return f"{whole[:19]}.{fraction}{whole[19:]}"


def _convert(value, key=None):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Money):
        return {"amount": format(value.amount, "f"), "currency": value.currency}
    if isinstance(value, Credential):
        result = {"domain": value.domain, "identity": value.identity}
        if value.shared_secret is not None:
            result["shared_secret"] = REDACTED
        return result
    if dataclasses.is_dataclass(value):
        result = {}
        for field in dataclasses.fields(value):
            name = field.name
            result[_RENAME.get(name, name)] = _convert(getattr(value, name), name)
        for prop in ("unspsc", "currency", "success"):
            if hasattr(type(value), prop) and isinstance(
                getattr(type(value), prop), property
            ):
                result[prop] = getattr(value, prop)
        return result
    if isinstance(value, (list, tuple)):
        names = _PAIR_KEYS.get(key)
        if names and all(isinstance(v, tuple) and len(v) == 2 for v in value):
            return [{names[0]: a, names[1]: b} for a, b in value]
        return [_convert(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _convert(v) for k, v in value.items()}
    return str(value)


def to_json_dict(doc):
    """A JSON-serialisable dict of a :class:`CXMLDocument`, secrets redacted."""
    result = _convert(doc)
    result["warnings"] = list(doc.warnings)
    return result
