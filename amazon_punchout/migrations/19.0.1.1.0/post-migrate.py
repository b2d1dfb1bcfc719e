# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.1.0: the shopper rules (noupdate) restrict pure shoppers only."""

from odoo import SUPERUSER_ID, api

RULE_DOMAINS = {
    "amazon_punchout.purchase_order_rule_amazon_punchout_shopper": (
        "[('user_id', '=', user.id), ('amazon_punchout_session_id', '!=', False)]"
        " if amazon_punchout_shopper_only else [(1, '=', 1)]"
    ),
    "amazon_punchout.purchase_order_line_rule_amazon_punchout_shopper": (
        "[('order_id.user_id', '=', user.id), "
        "('order_id.amazon_punchout_session_id', '!=', False)]"
        " if amazon_punchout_shopper_only else [(1, '=', 1)]"
    ),
}
DEMO_SHOPPER = ("amazon_punchout.user_shopper_demo", "sam.shopper@example.com")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, domain in RULE_DOMAINS.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.domain_force = domain
    # The identity sent to Amazon is now set by administrators: the demo shopper
    # (login "shopper") keeps the address its demo data gave it.
    xmlid, email = DEMO_SHOPPER
    demo = env.ref(xmlid, raise_if_not_found=False)
    if demo and not demo.amazon_punchout_email:
        demo.amazon_punchout_email = email
