# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Money formatting and timestamps (doc §2.2, §7)."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import cxml
import pytest


@pytest.mark.parametrize(
    "amount,currency,expected",
    [
        ("1234.5", "JPY", "1235"),
        ("1234.49", "JPY", "1234"),
        ("100", "KRW", "100"),
        ("12.345", "USD", "12.35"),
        ("12.344", "USD", "12.34"),
        ("-12.345", "USD", "-12.35"),
        ("0", "EUR", "0.00"),
        ("19.999", "EUR", "20.00"),
        ("1.2345", "KWD", "1.235"),
        ("1", "BHD", "1.000"),
        ("2.5", "OMR", "2.500"),
        ("2.5", "jod", "2.500"),
        ("7.0005", "TND", "7.001"),
        ("1.005", "XYZ", "1.01"),
        ("123456789012345.675", "USD", "123456789012345.68"),
    ],
)
def test_format_money(amount, currency, expected):
    assert cxml.format_money(Decimal(amount), currency) == expected


def test_currency_decimals():
    assert cxml.currency_decimals("JPY") == 0
    assert cxml.currency_decimals("usd") == 2
    assert cxml.currency_decimals("EUR") == 2
    assert cxml.currency_decimals("KWD") == 3
    assert cxml.currency_decimals("LYD") == 3
    assert cxml.currency_decimals("IQD") == 3
    assert cxml.currency_decimals("???") == 2
    assert cxml.currency_decimals("") == 2


def test_format_money_refuses_float():
    with pytest.raises(TypeError):
        cxml.format_money(1.1, "USD")


def test_format_timestamp():
    tz = timezone(timedelta(hours=-8))
    assert (
        cxml.format_timestamp(datetime(2000, 1, 9, 1, 36, 5, tzinfo=tz))
        == "2000-01-09T01:36:05-08:00"
    )
    # naive = UTC; microseconds dropped
    assert (
        cxml.format_timestamp(datetime(2026, 1, 1, 0, 0, 0, 999999))
        == "2026-01-01T00:00:00+00:00"
    )
    odd = timezone(timedelta(hours=13, minutes=4))
    assert cxml.format_timestamp(datetime(2026, 1, 1, tzinfo=odd)).endswith("+13:04")
    assert cxml.format_timestamp(date(2026, 3, 4)) == "2026-03-04T00:00:00+00:00"


UTC = timezone.utc


@pytest.mark.parametrize(
    "text,expected,warns",
    [
        (
            "2000-01-09T01:36:05-08:00",
            datetime(2000, 1, 9, 9, 36, 5, tzinfo=UTC),
            False,
        ),
        (
            "2026-01-01T10:00:00.123Z",
            datetime(2026, 1, 1, 10, 0, 0, 123000, UTC),
            False,
        ),
        ("2026-01-01T10:00:00z", datetime(2026, 1, 1, 10, tzinfo=UTC), False),
        ("2026-01-01T12:00:00+0200", datetime(2026, 1, 1, 10, tzinfo=UTC), False),
        ("2026-01-01T12:00:00+02", datetime(2026, 1, 1, 10, tzinfo=UTC), False),
        ("2026-01-01T13:04:00+13:04", datetime(2026, 1, 1, 0, 0, tzinfo=UTC), False),
        (
            "2026-01-01T10:00:00,5+00:00",
            datetime(2026, 1, 1, 10, 0, 0, 500000, UTC),
            False,
        ),
        ("2026-01-01T10:00", datetime(2026, 1, 1, 10, tzinfo=UTC), True),
        ("2026-01-01T10:00:00", datetime(2026, 1, 1, 10, tzinfo=UTC), True),
        ("2026-01-01 10:00:00", datetime(2026, 1, 1, 10, tzinfo=UTC), True),
        ("2026-01-01", datetime(2026, 1, 1, tzinfo=UTC), True),
        ("  2026-01-01T10:00:00Z  ", datetime(2026, 1, 1, 10, tzinfo=UTC), False),
    ],
)
def test_parse_timestamp(text, expected, warns):
    value, warning = cxml.parse_timestamp(text)
    assert value == expected
    assert value.tzinfo is not None
    assert bool(warning) == warns


@pytest.mark.parametrize(
    "text",
    [
        "invoice_date",
        "Mon May 19 18:29:48 +0000 2008",
        "2026-13-01T00:00:00Z",
        "2026-02-30",
        "2026-01-01T25:00:00Z",
        "2026-01-01T10:00:00+25:00",
        "",
        "9" * 100,
    ],
)
def test_parse_timestamp_unparseable_is_a_warning(text):
    value, warning = cxml.parse_timestamp(text)
    assert value is None
    assert "unparseable" in warning


def test_parse_timestamp_none():
    assert cxml.parse_timestamp(None) == (None, None)


def test_timestamp_round_trip():
    tz = timezone(timedelta(hours=5, minutes=30))
    value = datetime(2026, 6, 1, 8, 15, 0, tzinfo=tz)
    assert cxml.parse_timestamp(cxml.format_timestamp(value)) == (value, None)
