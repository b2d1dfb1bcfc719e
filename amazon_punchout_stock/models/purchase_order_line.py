# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    # purchase_stock reads the stock moves of lines whose quantity changes or that are
    # removed (a draft has none), and shoppers may not read stock moves. So a shopper's
    # change is checked as the shopper (access rights, record rules and the main
    # addon's own rules: lower quantities, remove lines of their own drafts), then
    # applied with sudo(), which keeps env.user.

    def write(self, vals):
        if self._amazon_punchout_restricted_user():
            self.check_access("write")
            self._amazon_punchout_check_shopper_write(vals)
            return super(PurchaseOrderLine, self.sudo()).write(vals)
        return super().write(vals)

    def unlink(self):
        if self._amazon_punchout_restricted_user():
            self.check_access("unlink")
            self._amazon_punchout_check_shopper_unlink()
            return super(PurchaseOrderLine, self.sudo()).unlink()
        return super().unlink()
