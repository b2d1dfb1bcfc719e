# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The taxes of Amazon lines: a per-account choice, so approved totals predict bills."""

from decimal import Decimal

from odoo import fields, models

TAX_POLICIES = [
    ("amazon_rate", "Purchase tax of Amazon's rate"),
    ("product", "Products' purchase taxes"),
]


# A rate derived from amounts (not stated by Amazon) is matched within this many
# percentage points: Amazon rounds each line's tax.
DERIVED_RATE_TOLERANCE = 0.1


def cart_tax_rate(cart, item=None):
    """Amazon's estimated tax rate of a cart line: (rate in %, exact?) or None.

    The line's TaxDetail rate, else the cart's single TaxDetail rate (exact); else
    derived from the line's tax over its amount, else from the cart's tax over its
    items and shipping (Amazon taxes shipping too).
    """
    for details in ((item.tax_details if item else ()), cart.tax_details):
        rates = {d.percentage_rate for d in details if d.percentage_rate is not None}
        if len(rates) == 1:
            return float(rates.pop()), True
        if len(rates) > 1:
            return None
    if item is not None and item.tax is not None and item.unit_price and item.quantity:
        base = item.unit_price.amount * item.quantity
        if base:
            return float(item.tax.amount * 100 / base), False
    if cart.tax is not None:
        base = sum(
            (i.unit_price.amount * i.quantity for i in cart.items if i.unit_price),
            start=Decimal(0),
        )
        if cart.shipping is not None:
            base += cart.shipping.amount
        else:
            base += sum(
                (i.shipping.amount for i in cart.items if i.shipping), start=Decimal(0)
            )
        if base:
            return float(cart.tax.amount * 100 / base), False
    return None


class AmazonPunchoutAccount(models.Model):
    _inherit = "amazon.punchout.account"  # pylint: disable=consider-merging-classes-inherited

    bill_tax_policy = fields.Selection(
        TAX_POLICIES,
        string="Taxes of Amazon lines",
        default="amazon_rate",
        required=True,
        help="Purchase tax of Amazon's rate: each requisition line gets the "
        "company's purchase tax (mapped by the vendor's fiscal position) whose rate "
        "is the one Amazon estimated in the cart, so the approved total is the best "
        "estimate of the invoice; without such a tax the product's taxes are kept. "
        "Products' purchase taxes: Odoo's usual default taxes.",
    )

    def _amazon_punchout_rate_taxes(self, rate, exact, fiscal_position):
        """The company's purchase tax of ``rate`` % (never created), or empty.

        A derived rate takes the nearest tax within ``DERIVED_RATE_TOLERANCE``.
        """
        self.ensure_one()
        Tax = self.env["account.tax"].with_company(self.company_id)
        taxes = Tax.search(
            [
                *Tax._check_company_domain(self.company_id),
                ("type_tax_use", "=", "purchase"),
                ("amount_type", "=", "percent"),
                ("price_include", "=", False),
            ]
        )
        tolerance = 0.0001 if exact else DERIVED_RATE_TOLERANCE
        near = taxes.filtered(lambda t: abs(t.amount - rate) <= tolerance)
        tax = near.sorted(lambda t: (abs(t.amount - rate), t.sequence, t.id))[:1]
        return fiscal_position.map_tax(tax) if tax else tax
