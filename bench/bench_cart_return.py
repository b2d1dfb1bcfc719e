# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Time from cart return to requisition, for carts of 100 lines (a benchmark).

Run by bin/bench-cart-return inside `odoo-bin shell` on the demo database. For each
round it opens a PunchOut session for the demo shopper, receives a cart of N lines
with fresh ASINs (so every product is created, the slow path) or known ASINs (found
through the vendor's pricelist), turns it into a requisition, and rolls everything
back. It prints the median and best wall time and the SQL queries per cart.
"""

import secrets
import statistics
import time
from datetime import timedelta

LINES = int(globals().get("LINES", 100))
ROUNDS = int(globals().get("ROUNDS", 7))


def cart_xml(buyer_cookie, lines, prefix):
    items = "".join(
        f"""<ItemIn quantity="{1 + n % 5}"><ItemID>
<SupplierPartID>B0{prefix}{n:06d}</SupplierPartID>
<SupplierPartAuxiliaryID>111-2223334-{n:07d},{n + 1}</SupplierPartAuxiliaryID></ItemID>
<ItemDetail><UnitPrice>
<Money currency="USD">{10 + n % 90}.{n % 100:02d}</Money></UnitPrice>
<Description xml:lang="en-US">Benchmark item {n}</Description>
<UnitOfMeasure>EA</UnitOfMeasure>
<Classification domain="UNSPSC">44121704</Classification>
<Extrinsic name="soldBy">Amazon</Extrinsic>
<Extrinsic name="fulfilledBy">Amazon</Extrinsic>
</ItemDetail></ItemIn>"""
        for n in range(lines)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<cXML payloadID="{secrets.token_hex(8)}@amazon.example"
 timestamp="2026-11-20T10:15:00Z">
<Header><From><Credential domain="NetworkId"><Identity>Amazon</Identity>
</Credential></From>
<To><Credential domain="NetworkId"><Identity>PunchoutGroup1000</Identity>
</Credential></To>
<Sender><Credential domain="NetworkId"><Identity>Amazon</Identity></Credential>
<UserAgent>Amazon LLC eProcurement Application</UserAgent></Sender></Header>
<Message><PunchOutOrderMessage><BuyerCookie>{buyer_cookie}</BuyerCookie>
<PunchOutOrderMessageHeader operationAllowed="create">
<Total><Money currency="USD">1.00</Money></Total></PunchOutOrderMessageHeader>
{items}</PunchOutOrderMessage></Message></cXML>""".encode()


def one_round(env, account, shopper, prefix):
    Session = env["amazon.punchout.session"].sudo()
    session = Session.create(
        {
            "account_id": account.id,
            "user_id": shopper.id,
            "deployment_mode": "test",
            "buyer_cookie": secrets.token_urlsafe(16),
            "return_token": secrets.token_urlsafe(16),
            "expires_at": env.cr.now() + timedelta(hours=1),
        }
    )
    data = cart_xml(session.buyer_cookie, LINES, prefix)
    env.flush_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    Session._amazon_punchout_receive_cart(session.return_token, data)
    order = session.with_user(shopper)._amazon_punchout_create_requisition()
    env.flush_all()
    elapsed = time.perf_counter() - start
    assert len(order.order_line) == LINES, len(order.order_line)
    return elapsed, env.cr.sql_log_count - queries


def main(env):
    account = env.ref("amazon_punchout.amazon_punchout_account_demo")
    shopper = env.ref("amazon_punchout.user_shopper_demo")
    results = {}
    for label, fresh in (("new products", True), ("known products", False)):
        times, queries = [], []
        for rnd in range(ROUNDS):
            savepoint = env.cr.savepoint()
            if not fresh:  # first create the products, then time the lookup
                one_round(env, account, shopper, "KNOWN")
            elapsed, count = one_round(
                env, account, shopper, f"N{rnd:02d}" if fresh else "KNOWN"
            )
            savepoint.rollback()
            savepoint.close(rollback=False)
            times.append(elapsed)
            queries.append(count)
        results[label] = (times, queries)
        print(
            f"{LINES}-line cart, {label}: cart return → requisition "
            f"median {statistics.median(times) * 1000:.0f} ms, "
            f"best {min(times) * 1000:.0f} ms over {ROUNDS} rounds; "
            f"{statistics.median(queries):.0f} SQL queries per cart"
        )
    env.cr.rollback()
    return results


main(env)  # noqa: F821 (odoo-bin shell provides env)
