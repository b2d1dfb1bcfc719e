# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """``amazon_punchout_shopper_only``: the shopper rules restrict only users
        whose sole access to purchase orders is the shopper group's (group rules add
        up in Odoo: a shopper rule must not hide from an accountant what accounting
        shows them)."""
        context = super()._eval_context()
        user = self.env.user
        context["amazon_punchout_shopper_only"] = bool(
            user and user.sudo()._amazon_punchout_shopper_only()
        )
        return context
