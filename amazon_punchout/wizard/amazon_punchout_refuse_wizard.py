# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AmazonPunchoutRefuseWizard(models.TransientModel):
    _name = "amazon.punchout.refuse.wizard"
    _description = "Refuse Amazon Business requisitions"

    order_ids = fields.Many2many("purchase.order", string="Requisitions", required=True)
    reason = fields.Text(
        help="Sent to the shopper with the refusal, in their Odoo inbox or by e-mail."
    )

    def action_refuse(self):
        self.ensure_one()
        self.order_ids.with_context(
            amazon_punchout_refuse_reason=self.reason
        ).button_cancel()
        return {"type": "ir.actions.act_window_close"}
