# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .amazon_punchout_account_bill import cart_tax_rate


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"  # pylint: disable=consider-merging-classes-inherited

    def _amazon_punchout_create_from_cart(self, session, cart):
        # Amazon's estimated rate of each line (by line number) reaches the lines,
        # whose taxes follow the account's policy.
        rates = tuple(cart_tax_rate(cart, item) for item in cart.items)
        return super(
            PurchaseOrder,
            self.with_context(
                amazon_punchout_cart_rates=rates,
                amazon_punchout_cart_account_id=session.account_id.id,
            ),
        )._amazon_punchout_create_from_cart(session, cart)


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _amazon_punchout_prepare_vals(
        self, item, *, number, product, uom, fiscal_position, warning=""
    ):
        vals = super()._amazon_punchout_prepare_vals(
            item,
            number=number,
            product=product,
            uom=uom,
            fiscal_position=fiscal_position,
            warning=warning,
        )
        rates = self.env.context.get("amazon_punchout_cart_rates") or ()
        account = (
            self.env["amazon.punchout.account"]
            .sudo()
            .browse(self.env.context.get("amazon_punchout_cart_account_id"))
        )
        if not account or account.bill_tax_policy != "amazon_rate":
            return vals
        rate = rates[number - 1] if number <= len(rates) else None
        if rate is None:
            return vals
        taxes = account._amazon_punchout_rate_taxes(*rate, fiscal_position)
        if taxes:
            vals["tax_ids"] = [fields.Command.set(taxes.ids)]
        return vals
