# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Server-rendered HTML pages of the sandbox shop (no JavaScript but the
auto-submit of the return form).

Stable CSS hooks for browser tests are documented in sandbox/README.md.
"""

from html import escape

from . import catalog

CSS = """
*{box-sizing:border-box}body{margin:0;font-family:Arial,Helvetica,sans-serif;
font-size:14px;color:#0f1111;background:#eaeded}
a{color:#007185;text-decoration:none}a:hover{text-decoration:underline;color:#c7511f}
.sb-banner{background:repeating-linear-gradient(45deg,#ffd814,#ffd814 14px,#111 14px,
#111 28px);padding:4px}.sb-banner span{display:block;background:#fff3cd;color:#8a1c00;
font-weight:bold;text-align:center;padding:4px;letter-spacing:.05em}
header.sb-nav{background:#131921;color:#fff;display:flex;align-items:center;gap:16px;
padding:8px 16px}.sb-logo{color:#fff;font-size:22px;font-weight:bold}
.sb-logo small{color:#ff9900;font-size:13px;margin-left:4px}
.sb-nav form{flex:1;display:flex}.sb-nav input[type=search]{flex:1;padding:8px;
border:0;border-radius:4px 0 0 4px;font-size:15px}
.sb-nav form button{background:#febd69;border:0;border-radius:0 4px 4px 0;
padding:0 14px;cursor:pointer}
#sb-cart-link{color:#fff;font-weight:bold;white-space:nowrap}
.sb-count{background:#ff9900;color:#111;border-radius:10px;padding:1px 7px;
margin-left:4px}nav.sb-cats{background:#232f3e;padding:6px 16px}
nav.sb-cats a{color:#fff;margin-right:16px}
main{max-width:1200px;margin:16px auto;padding:0 16px}
.sb-box{background:#fff;border-radius:8px;padding:16px;margin-bottom:16px}
.sb-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:12px}
.sb-card{background:#fff;border-radius:8px;padding:12px;display:flex;flex-direction:column;
gap:6px}.sb-thumb{height:110px;border-radius:6px;display:flex;flex-direction:column;
align-items:center;justify-content:center;color:#fff;font-weight:bold;font-size:20px;
width:100%;
letter-spacing:.1em}.sb-thumb-asin{font-size:11px;font-weight:normal;opacity:.8}
.sb-big .sb-thumb{height:220px;font-size:30px;max-width:420px}
.sb-price{font-size:18px;font-weight:bold}.sb-meta{color:#565959;font-size:12px}
.sb-btn{background:#ffd814;border:1px solid #fcd200;border-radius:20px;padding:8px 18px;
cursor:pointer;font-size:14px}.sb-btn-primary{background:#ffa41c;border-color:#ff8f00}
table.sb-cart{width:100%;border-collapse:collapse}table.sb-cart td,table.sb-cart th{
border-bottom:1px solid #ddd;padding:8px;text-align:left;vertical-align:middle}
.sb-total{font-size:18px;text-align:right}.sb-muted{color:#565959}
.sb-qty{width:64px;padding:4px}
"""

# Product "images": coloured tiles (no emoji: fonts may lack them).
ICONS = {
    "office": ("#3f6fb5", "OFFICE"),
    "computers": ("#5b4aa8", "TECH"),
    "books": ("#b5653f", "BOOK"),
    "breakroom": ("#3f9b6b", "FOOD"),
    "industrial": ("#8a7a2a", "SAFETY"),
    "cleaning": ("#2a8a8a", "CLEAN"),
}


def tile(product):
    colour, label = ICONS[product["category"]]
    return (
        f'<div class="sb-thumb" style="background:{colour}">'
        f'<span class="sb-thumb-label">{label}</span>'
        f'<span class="sb-thumb-asin">{product["asin"]}</span></div>'
    )


SYMBOLS = {"US": ("$", ""), "DE": ("", " €"), "JP": ("￥", "")}
LABELS = {
    "US": {
        "add": "Add to Cart",
        "cart": "Cart",
        "submit": "Submit these items for approval",
        "search": "Search Amazon Business",
        "qty": "Quantity",
        "update": "Update",
        "remove": "Delete",
        "subtotal": "Subtotal",
        "empty": "Your cart is empty.",
    },
    "DE": {
        "add": "In den Einkaufswagen",
        "cart": "Einkaufswagen",
        "submit": "Diese Artikel zur Genehmigung senden",
        "search": "Suche",
        "qty": "Menge",
        "update": "Aktualisieren",
        "remove": "Löschen",
        "subtotal": "Zwischensumme",
        "empty": "Ihr Einkaufswagen ist leer.",
    },
    "JP": {
        "add": "カートに入れる",
        "cart": "カート",
        "submit": "承認のために送信",
        "search": "検索",
        "qty": "数量",
        "update": "更新",
        "remove": "削除",
        "subtotal": "小計",
        "empty": "カートは空です。",
    },
}
# The rest of the pages' words, by marketplace (US: the English of the code).
LABELS["US"].update(
    {
        "banner": "SANDBOX — not Amazon. Simulated Amazon Business punchout for tests "
        "and demos.",
        "search_button": "Search",
        "sold_by": "Sold by {seller}",
        "by_amazon": ", fulfilled by Amazon",
        "by_seller": ", shipped by the seller",
        "results": 'Results for "{query}" ({count})',
        "welcome": "Welcome, {name}",
        "no_results": "No results.",
        "session": "Punchout session for {email} ({identity}, {mode}).",
        "test": "test",
        "production": "production",
        "manufacturer": "Manufacturer",
        "category": "Category",
        "returning_title": "Returning to your procurement system",
        "returning": "Returning your cart to your procurement system…",
        "continue": "Continue",
    }
)
LABELS["DE"].update(
    {
        "banner": "SANDBOX — nicht Amazon. Simuliertes Amazon Business Punchout für "
        "Tests und Demos.",
        "search_button": "Suchen",
        "sold_by": "Verkauf durch {seller}",
        "by_amazon": ", Versand durch Amazon",
        "by_seller": ", Versand durch den Verkäufer",
        "results": 'Ergebnisse für „{query}" ({count})',
        "welcome": "Willkommen, {name}",
        "no_results": "Keine Ergebnisse.",
        "session": "Punchout-Sitzung für {email} ({identity}, {mode}).",
        "test": "Test",
        "production": "Produktion",
        "manufacturer": "Hersteller",
        "category": "Kategorie",
        "returning_title": "Zurück zu Ihrem Beschaffungssystem",
        "returning": "Ihr Einkaufswagen wird an Ihr Beschaffungssystem übergeben…",
        "continue": "Weiter",
    }
)
LABELS["JP"].update(
    {
        "banner": "SANDBOX（サンドボックス）— Amazon ではありません。"
        "テスト・デモ用の Amazon Business パンチアウトのシミュレーターです。",
        "search_button": "検索",
        "sold_by": "販売: {seller}",
        "by_amazon": "、発送: Amazon",
        "by_seller": "、発送: 出品者",
        "results": "「{query}」の検索結果（{count} 件）",
        "welcome": "ようこそ、{name} 様",
        "no_results": "該当する商品はありません。",
        "session": "{email} のパンチアウトセッション（{identity}、{mode}）",
        "test": "テスト",
        "production": "本番",
        "manufacturer": "メーカー",
        "category": "カテゴリー",
        "returning_title": "購買システムに戻っています",
        "returning": "カートを購買システムに送信しています…",
        "continue": "続行",
    }
)
# Error pages: the English text the shop passes, in the session's language.
MESSAGES = {
    "DE": {
        "Not found": "Nicht gefunden",
        "Unknown ASIN.": "Unbekannte ASIN.",
        "Invalid request": "Ungültige Anfrage",
        "Unknown item or quantity.": "Unbekannter Artikel oder ungültige Menge.",
    },
    "JP": {
        "Not found": "見つかりません",
        "Unknown ASIN.": "不明な ASIN です。",
        "Invalid request": "無効なリクエスト",
        "Unknown item or quantity.": "商品または数量が正しくありません。",
    },
}


def price(amount, mkt):
    value = catalog.quantize(amount, mkt)
    prefix, suffix = SYMBOLS[mkt]
    if mkt == "DE":
        body = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    elif mkt == "JP":
        body = f"{value:,.0f}"
    else:
        body = f"{value:,.2f}"
    return prefix + body + suffix


def layout(title, body, session=None, status_note=""):
    mkt = session.marketplace if session else "US"
    return page(title, body, mkt, session, status_note)


def page(title, body, mkt, session=None, status_note=""):
    """The page in the marketplace's language; the shop's header with a session."""
    lang = catalog.MARKETPLACES[mkt]["lang"]
    nav = ""
    if session:
        base = f"/shop/{escape(session.id)}/"
        count = sum(session.cart.values())
        labels = LABELS[mkt]
        cats = "".join(
            f'<a class="sb-category-link" href="{base}?cat={key}">'
            f"{escape(catalog.category_name(key, mkt))}</a>"
            for key in catalog.CATEGORIES
        )
        nav = (
            '<header class="sb-nav"><a class="sb-logo" href="{base}">amazon business'
            "<small>sandbox</small></a>"
            '<form method="get" action="{base}" role="search">'
            '<input type="search" id="sb-search" name="q" placeholder="{ph}">'
            '<button type="submit" id="sb-search-button">{button}</button></form>'
            '<a id="sb-cart-link" href="{base}cart">{cart}'
            '<span class="sb-count" id="sb-cart-count">{count}</span></a></header>'
            '<nav class="sb-cats">{cats}</nav>'
        ).format(
            base=base,
            ph=escape(labels["search"]),
            button=escape(labels["search_button"]),
            cart=escape(labels["cart"]),
            count=count,
            cats=cats,
        )
    else:
        nav = (
            '<header class="sb-nav"><span class="sb-logo">amazon business'
            "<small>sandbox</small></span></header>"
        )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<div class="sb-banner" id="sb-banner"><span>{escape(LABELS[mkt]["banner"])}'
        f"{escape(status_note)}</span></div>"
        f"{nav}<main>{body}</main></body></html>"
    )


def product_card(session, product, mkt):
    base = f"/shop/{session.id}/"
    title = escape(product["titles"][mkt])
    return (
        '<div class="sb-card sb-product" data-asin="{asin}">'
        '<div class="sb-thumb">{icon}</div>'
        '<a class="sb-product-link" href="{base}dp/{asin}">{title}</a>'
        '<div class="sb-price">{price}</div>'
        '<div class="sb-meta">{sold}</div></div>'
    ).format(
        asin=product["asin"],
        icon=tile(product),
        base=base,
        title=title,
        price=escape(price(product["prices"][mkt], mkt)),
        sold=escape(_seller_line(product, mkt)),
    )


def _seller_line(product, mkt="US"):
    labels = LABELS[mkt]
    line = labels["sold_by"].format(seller=product["sold_by"])
    if product["fulfilled_by"] == "Amazon":
        line += labels["by_amazon"]
    else:
        line += labels["by_seller"]
    return line


def home(session, products, query="", category=None):
    mkt = session.marketplace
    labels = LABELS[mkt]
    if query:
        heading = labels["results"].format(query=query, count=len(products))
    elif category:
        heading = catalog.category_name(category, mkt)
    else:
        heading = labels["welcome"].format(name=session.name or session.email)
    cards = "".join(product_card(session, p, mkt) for p in products)
    if not products:
        cards = '<p class="sb-muted" id="sb-no-results">{}</p>'.format(
            escape(labels["no_results"])
        )
    note = labels["session"].format(
        email=session.email,
        identity=session.identity,
        mode=labels["test" if session.test else "production"],
    )
    body = (
        f'<div class="sb-box"><h2 id="sb-heading">{escape(heading)}</h2>'
        f'<p class="sb-muted">{escape(note)}</p></div>'
        f'<div class="sb-grid" id="sb-results">{cards}</div>'
    )
    return layout("Amazon Business Sandbox", body, session)


def product_page(session, product, mkt):
    title = escape(product["titles"][mkt])
    unspsc = product["unspsc"] or "—"
    facts = (
        "<ul class='sb-facts'><li>ASIN: <span id='sb-asin'>{asin}</span></li>"
        "<li>{mfr_label}: {mfr} ({mpn})</li><li>UNSPSC: {unspsc}</li>"
        "<li>{seller}</li><li>{cat_label}: {cat}</li></ul>"
    ).format(
        mfr_label=escape(LABELS[mkt]["manufacturer"]),
        cat_label=escape(LABELS[mkt]["category"]),
        asin=product["asin"],
        mfr=escape(product["manufacturer"]),
        mpn=escape(product["manufacturer_part_id"]),
        unspsc=escape(unspsc),
        seller=escape(_seller_line(product, mkt)),
        cat=escape(catalog.category_name(product["category"], mkt)),
    )
    buy = ""
    if session:
        labels = LABELS[mkt]
        buy = (
            '<form method="post" action="/shop/{sid}/cart/add" id="sb-add-form">'
            '<input type="hidden" name="asin" value="{asin}">'
            '<label>{qty} <input class="sb-qty" type="number" name="quantity" '
            'value="1" min="1" max="999"></label> '
            '<button class="sb-btn" type="submit" id="sb-add-to-cart">{add}</button>'
            "</form>"
        ).format(
            sid=escape(session.id),
            asin=product["asin"],
            qty=escape(labels["qty"]),
            add=escape(labels["add"]),
        )
    body = (
        '<div class="sb-box sb-product-page" data-asin="{asin}">'
        '<div class="sb-big">{icon}</div>'
        '<h1 id="sb-title">{title}</h1>'
        '<div class="sb-price" id="sb-price">{price}</div>'
        "{facts}{buy}</div>"
    ).format(
        asin=product["asin"],
        icon=tile(product),
        title=title,
        price=escape(price(product["prices"][mkt], mkt)),
        facts=facts,
        buy=buy,
    )
    return page(product["titles"][mkt], body, mkt, session)


def cart_page(session):
    mkt = session.marketplace
    labels = LABELS[mkt]
    sid = escape(session.id)
    rows, total = [], 0
    for asin, qty in session.cart.items():
        product = catalog.BY_ASIN[asin]
        unit = product["prices"][mkt]
        total += unit * qty
        rows.append(
            '<tr class="sb-cart-line" data-asin="{asin}"><td>'
            '<a class="sb-product-link" href="/shop/{sid}/dp/{asin}">{title}</a>'
            '<div class="sb-meta">{seller}</div></td><td>{unit}</td><td>'
            '<form method="post" action="/shop/{sid}/cart/update" '
            'class="sb-update-form">'
            '<input type="hidden" name="asin" value="{asin}">'
            '<input class="sb-qty" type="number" name="quantity" value="{qty}" min="0" '
            'max="999"> <button class="sb-btn sb-update" type="submit">{upd}</button>'
            '</form></td><td><form method="post" action="/shop/{sid}/cart/remove">'
            '<input type="hidden" name="asin" value="{asin}"><button class="sb-btn '
            'sb-remove" type="submit">{rem}</button></form></td></tr>'.format(
                asin=asin,
                sid=sid,
                title=escape(product["titles"][mkt]),
                seller=escape(_seller_line(product, mkt)),
                unit=escape(price(unit, mkt)),
                qty=qty,
                upd=escape(labels["update"]),
                rem=escape(labels["remove"]),
            )
        )
    if rows:
        table = (
            '<table class="sb-cart" id="sb-cart"><tr><th></th><th></th><th>{qty}</th>'
            "<th></th></tr>{rows}</table>"
        ).format(qty=escape(labels["qty"]), rows="".join(rows))
    else:
        table = '<p id="sb-cart-empty">{}</p>'.format(escape(labels["empty"]))
    body = (
        '<div class="sb-box"><h1>{cart}</h1>{table}<p class="sb-total">{sub}: '
        '<b id="sb-cart-total">{total}</b></p>'
        '<form method="post" action="/shop/{sid}/cart/submit" id="sb-submit-form" '
        'style="text-align:right"><button class="sb-btn sb-btn-primary" type="submit" '
        'id="sb-submit-cart">{submit}</button></form></div>'
    ).format(
        cart=escape(labels["cart"]),
        table=table,
        sub=escape(labels["subtotal"]),
        total=escape(price(total, mkt)),
        sid=sid,
        submit=escape(labels["submit"]),
    )
    return layout(labels["cart"], body, session)


def return_form(return_url, field, value, mkt="US"):
    """The page that carries the cart back to the buyer (auto-submitted)."""
    labels = LABELS[mkt]
    return (
        '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}'
        "</title></head><body>"
        '<div id="sb-banner">SANDBOX — not Amazon</div>'
        "<p>{text}</p>"
        '<form id="sb-return-form" method="POST" action="{url}">'
        '<input type="hidden" name="{field}" value="{value}">'
        '<button type="submit" id="sb-return-submit">{button}</button></form>'
        "<script>document.getElementById('sb-return-form').submit();</script>"
        "</body></html>"
    ).format(
        lang=catalog.MARKETPLACES[mkt]["lang"],
        title=escape(labels["returning_title"]),
        text=escape(labels["returning"]),
        url=escape(return_url),
        field=escape(field),
        value=escape(value),
        button=escape(labels["continue"]),
    )


def message(title, text, session=None):
    words = MESSAGES.get(session.marketplace if session else "US", {})
    title, text = words.get(title, title), words.get(text, text)
    body = (
        f'<div class="sb-box" id="sb-message"><h1>{escape(title)}</h1>'
        f"<p>{escape(text)}</p></div>"
    )
    return layout(title, body, session)


def index(sandbox_url, accounts):
    rows = "".join(
        "<li><code>{}</code>: {}, {} mode</li>".format(
            escape(a["identity"]), escape(a["marketplace"]), escape(a["mode"])
        )
        for a in accounts
    )
    body = (
        '<div class="sb-box"><h1>Amazon Business sandbox</h1>'
        "<p>An independent simulator of Amazon Business punchout over cXML.</p><ul>"
        f"<li>Setup: <code>POST {escape(sandbox_url)}/punchout</code> and "
        f"<code>{escape(sandbox_url)}/punchout/test</code></li>"
        f"<li>Orders: <code>POST {escape(sandbox_url)}/order</code></li>"
        '<li>Introspection: <a href="/_sandbox/state">/_sandbox/state</a></li></ul>'
        f"<h2>Accounts</h2><ul>{rows}</ul></div>"
    )
    return layout("Amazon Business Sandbox", body)
