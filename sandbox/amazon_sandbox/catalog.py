# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fictitious product catalogue and marketplace facts of the sandbox.

ASINs, part numbers and manufacturers are made up; prices are per marketplace
(USD and EUR with cents, JPY as integers).
"""

import json
from decimal import Decimal
from pathlib import Path

# Marketplace facts: currency, language, decimals, estimated tax per category
# kind ("standard" or "reduced"), tax category name, shipping charged for
# merchant-fulfilled lines, carrier and the public Amazon host used in texts.
MARKETPLACES = {
    "US": {
        "currency": "USD",
        "lang": "en-US",
        "decimals": 2,
        "tax_category": "sales",
        "tax_label": "Estimated sales tax",
        "tax_rates": {"standard": Decimal("8.25"), "reduced": Decimal("8.25")},
        "merchant_shipping": Decimal("5.99"),
        "carrier": "UPS",
        "country": "US",
    },
    "DE": {
        "currency": "EUR",
        "lang": "de-DE",
        "decimals": 2,
        "tax_category": "vat",
        "tax_label": "MwSt.",
        "tax_rates": {"standard": Decimal(19), "reduced": Decimal(7)},
        "merchant_shipping": Decimal("4.99"),
        "carrier": "DHL",
        "country": "DE",
    },
    "JP": {
        "currency": "JPY",
        "lang": "ja-JP",
        "decimals": 0,
        "tax_category": "vat",
        "tax_label": "消費税",
        "tax_rates": {"standard": Decimal(10), "reduced": Decimal(8)},
        "merchant_shipping": Decimal(500),
        "carrier": "Yamato",
        "country": "JP",
    },
}

# category key -> (Amazon-style product group, English, German, Japanese, tax kind)
CATEGORIES = {
    "office": (
        "gl_office_product",
        "Office Supplies",
        "Bürobedarf",
        "文房具・オフィス用品",
        "standard",
    ),
    "computers": (
        "gl_pc",
        "Computers & Accessories",
        "Computer & Zubehör",
        "パソコン・周辺機器",
        "standard",
    ),
    "books": ("gl_book", "Books", "Bücher", "本", "reduced"),
    "breakroom": (
        "gl_grocery",
        "Breakroom & Food",
        "Pausenraum & Lebensmittel",
        "食品・飲料",
        "reduced",
    ),
    "industrial": (
        "gl_biss",
        "Industrial & Scientific",
        "Industrie & Wissenschaft",
        "産業・研究開発用品",
        "standard",
    ),
    "cleaning": (
        "gl_home",
        "Cleaning & Janitorial",
        "Reinigung & Hygiene",
        "掃除用品",
        "standard",
    ),
}

_DATA = Path(__file__).with_name("catalog.json")


def _product(row):
    return {
        "asin": row["asin"],
        "category": row["category"],
        "titles": {"US": row["title_en"], "DE": row["title_de"], "JP": row["title_ja"]},
        "prices": {
            "US": Decimal(row["price_usd"]),
            "DE": Decimal(row["price_eur"]),
            "JP": Decimal(row["price_jpy"]),
        },
        "unspsc": row["unspsc"],
        "manufacturer_part_id": row["manufacturer_part_id"],
        "manufacturer": row["manufacturer"],
        "sold_by": row["sold_by"],
        "fulfilled_by": row["fulfilled_by"],
    }


PRODUCTS = [_product(r) for r in json.loads(_DATA.read_text("utf-8"))]
BY_ASIN = {p["asin"]: p for p in PRODUCTS}


def category_name(key, marketplace):
    cat = CATEGORIES[key]
    return {"US": cat[1], "DE": cat[2], "JP": cat[3]}[marketplace]


def tax_rate(product, marketplace):
    kind = CATEGORIES[product["category"]][4]
    return MARKETPLACES[marketplace]["tax_rates"][kind]


def shipping_estimate(product, marketplace):
    """Per-unit shipping estimate: free when fulfilled by Amazon."""
    if product["fulfilled_by"] == "Amazon":
        return Decimal(0)
    return MARKETPLACES[marketplace]["merchant_shipping"]


def quantize(amount, marketplace):
    decimals = MARKETPLACES[marketplace]["decimals"]
    return Decimal(amount).quantize(Decimal(1).scaleb(-decimals))


def fmt_money(amount, marketplace):
    return str(quantize(amount, marketplace))


def search(query="", category=None, marketplace="US"):
    query = (query or "").strip().lower()
    found = []
    for product in PRODUCTS:
        if category and product["category"] != category:
            continue
        hay = " ".join(
            [product["asin"], product["manufacturer"], *product["titles"].values()]
        ).lower()
        if query and not all(word in hay for word in query.split()):
            continue
        found.append(product)
    return found
