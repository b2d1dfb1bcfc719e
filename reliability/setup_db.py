# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Prepare the reliability database (run inside `odoo-bin shell` by harness.py).

Points the demo account at the sandbox (identity and secret chosen by the
harness), then creates ORDERS draft requisitions through the real flow (setup
request to the sandbox, start page, cart filled in the sandbox, cart received,
requisition created as the shopper; every other order has two lines, so that
the harness can split its invoice in two) and CARTS shopping sessions whose carts are
filled in the sandbox but not returned (the harness posts them over HTTP).
Commits, and writes what the harness needs as JSON to OUT.
"""

import json
import time

import requests

SANDBOX_URL = globals()["SANDBOX_URL"]
IDENTITY = globals()["IDENTITY"]
SECRET = globals()["SECRET"]
ORDERS = int(globals()["ORDERS"])
CARTS = int(globals()["CARTS"])
OUT = globals()["OUT"]
BASE_URL = globals()["BASE_URL"]
ASINS = ["B0SBX1PEN1", "B0SBX2PAP2"]


def start(env, account, shopper, http, lines=1):
    Session = env["amazon.punchout.session"]
    session, start_page = Session._amazon_punchout_start(account, shopper)
    answer = http.get(start_page, timeout=30, allow_redirects=False)
    sid = answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    cart = http.post(
        f"{SANDBOX_URL}/_sandbox/sessions/{sid}/cart",
        json={"items": [{"asin": a, "quantity": 1} for a in ASINS[:lines]]},
        timeout=30,
    ).json()
    return session, cart


def main(env):
    env = env(su=True)
    account = env.ref("amazon_punchout.amazon_punchout_account_demo")
    shopper = env.ref("amazon_punchout.user_shopper_demo")
    company = account.company_id
    company.partner_id.write(
        {
            "street": "1 Main Street",
            "city": "Seattle",
            "zip": "98109",
            "country_id": env.ref("base.us").id,
        }
    )
    company.po_double_validation = "one_step"
    env["ir.config_parameter"].set_param("web.base.url", BASE_URL)
    env["ir.config_parameter"].set_param("web.base.url.freeze", "True")
    account.write(
        {
            "identity": IDENTITY,
            "shared_secret": SECRET,
            "marketplace": "US",
            "punchout_url_test": f"{SANDBOX_URL}/punchout",
            "punchout_url_production": f"{SANDBOX_URL}/punchout",
            "order_url": f"{SANDBOX_URL}/order",
            "state": "test",
            "inbound_auth": "shared_secret",
        }
    )
    # The sandbox's US sales tax, as an accountant would have it: Amazon's
    # invoices are taxed at 8.25 %, and a bill needs the company's tax of that
    # rate (the requisition lines get it too, by the account's tax policy).
    Tax = env["account.tax"].with_company(company)
    if not Tax.search(
        [
            *Tax._check_company_domain(company),
            ("type_tax_use", "=", "purchase"),
            ("amount_type", "=", "percent"),
            ("amount", "=", 8.25),
        ],
        limit=1,
    ):
        Tax.create(
            {
                "name": "Sales tax 8.25 % (purchases)",
                "amount": 8.25,
                "amount_type": "percent",
                "type_tax_use": "purchase",
                "company_id": company.id,
            }
        )
    env.cr.commit()
    http = requests.Session()
    t0 = time.perf_counter()
    order_ids = []
    for n in range(ORDERS):
        session, cart = start(env, account, shopper, http, lines=1 + n % 2)
        token = cart["return_url"].rsplit("/", 1)[1]
        env["amazon.punchout.session"]._amazon_punchout_receive_cart(
            token, cart["cxml"].encode()
        )
        order = session.with_user(shopper)._amazon_punchout_create_requisition()
        order_ids.append(order.id)
        env.cr.commit()
    carts = []
    for _n in range(CARTS):
        session, cart = start(env, account, shopper, http)
        carts.append(
            {
                "session_id": session.id,
                "return_token": cart["return_url"].rsplit("/", 1)[1],
                "field": cart["field"],
                "value": cart["value"],
            }
        )
        env.cr.commit()
    out = {
        "orders": order_ids,
        "carts": carts,
        "inbound_token": account.inbound_token,
        "account_id": account.id,
        "setup_seconds": time.perf_counter() - t0,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f)
    print(f"reliability setup: {len(order_ids)} requisitions, {len(carts)} carts")


main(env)  # noqa: F821 (odoo-bin shell provides env)
