# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scalar conversions: money, quantities, timestamps."""

import re
from datetime import date, datetime, timedelta, timezone
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    localcontext,
)

from .const import CURRENCY_DECIMALS, DEFAULT_CURRENCY_DECIMALS

_QUANTUM = {n: Decimal(1).scaleb(-n) for n in range(5)}

#: amounts outside this exponent range are refused (hostile 1E999999999)
_MAX_ADJUSTED = 18
_MIN_EXPONENT = -12


def currency_decimals(currency):
    """Number of minor-unit digits of an ISO 4217 currency (unknown: 2)."""
    return CURRENCY_DECIMALS.get(
        (currency or "").strip().upper(), DEFAULT_CURRENCY_DECIMALS
    )


_MONEY_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)


def quantize_money(amount, currency):
    """Round ``amount`` to the currency's minor units, ROUND_HALF_UP."""
    if type(amount) is not Decimal:
        amount = Decimal(amount)
    return amount.quantize(
        _QUANTUM[currency_decimals(currency)], context=_MONEY_CONTEXT
    )


def format_money(amount, currency):
    """Format ``amount`` with the minor units of ``currency`` (never float)."""
    if type(amount) is Decimal:
        return str(
            amount.quantize(
                _QUANTUM[currency_decimals(currency)], context=_MONEY_CONTEXT
            )
        )
    if isinstance(amount, float):
        raise TypeError("money amounts must be Decimal, not float")
    return str(quantize_money(amount, currency))


def format_decimal(value):
    """Plain notation of a Decimal quantity, no exponent, no trailing zeros."""
    if isinstance(value, float):
        raise TypeError("quantities must be Decimal, not float")
    if type(value) is not Decimal:
        value = Decimal(value)
    text = str(value)
    if "." not in text and "E" not in text:
        return text
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = format(value.normalize(), "f")
    return text


def parse_decimal(text):
    """Decimal from cXML text; ``None`` when not a finite, sane number."""
    if text is None:
        return None
    text = text.strip()
    if not text or len(text) > 64:
        return None
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite():
        return None
    # only long or exponent notation can be absurdly large or precise
    if (
        (len(text) > 12 or "e" in text or "E" in text)
        and value
        and (
            value.adjusted() > _MAX_ADJUSTED
            or value.as_tuple().exponent < _MIN_EXPONENT
        )
    ):
        return None
    return value


def exact_divide(numerator, denominator):
    """``numerator / denominator`` with enough precision; (value, exact)."""
    with localcontext() as ctx:
        ctx.prec = 50
        ctx.clear_flags()
        result = numerator / denominator
        exact = not ctx.flags[Inexact]
    return result, exact


def format_timestamp(dt):
    """``YYYY-MM-DDThh:mm:ss±hh:mm``; a naive datetime is taken as UTC."""
    if isinstance(dt, date) and not isinstance(dt, datetime):
        dt = datetime(dt.year, dt.month, dt.day)
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        dt = dt.replace(tzinfo=timezone.utc)
    dt = dt.replace(microsecond=0)
    offset = dt.utcoffset()
    total = int(offset.total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"{dt.strftime('%Y-%m-%dT%H:%M:%S')}{sign}{hours:02d}:{minutes:02d}"


def format_date(value):
    """``YYYY-MM-DD`` of a date or datetime."""
    return value.strftime("%Y-%m-%d")


_TS_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?\s*$"
)


def parse_timestamp(text):
    """Lenient ISO 8601 parsing (doc §2.2).

    :return: ``(datetime | None, warning | None)``; the datetime is aware (UTC
        assumed when the zone is missing, with a warning).
    """
    if text is None:
        return None, None
    match = _TS_RE.match(text)
    if not match:
        return None, f"unparseable timestamp {text[:64]!r} kept as text"
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    warning = None
    try:
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        if zone is None:
            tz = timezone.utc
            if hour is None:
                warning = f"timestamp {text[:64]!r} is a date only, UTC midnight"
            else:
                warning = f"timestamp {text[:64]!r} has no time zone, UTC assumed"
        elif zone in ("Z", "z"):
            tz = timezone.utc
        else:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            hours = int(digits[:2])
            minutes = int(digits[2:4] or 0)
            if hours > 23 or minutes > 59:
                return None, f"unparseable timestamp {text[:64]!r} kept as text"
            tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
        value = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            micro,
            tzinfo=tz,
        )
    except (ValueError, OverflowError):
        return None, f"unparseable timestamp {text[:64]!r} kept as text"
    return value, warning
