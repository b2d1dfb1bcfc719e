# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    amazon_punchout_session_id = fields.Many2one(
        "amazon.punchout.session",
        string="Amazon PunchOut session",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    amazon_punchout_account_id = fields.Many2one(
        "amazon.punchout.account",
        string="Amazon Business account",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    amazon_punchout_is_test = fields.Boolean(
        string="Amazon test mode",
        compute="_compute_amazon_punchout_is_test",
        compute_sudo=True,
    )
    amazon_punchout_price_hold_until = fields.Datetime(
        string="Amazon prices held until",
        readonly=True,
        copy=False,
        help="Amazon holds the cart's prices and stock for 7 days after checkout.",
    )
    amazon_punchout_estimated_tax = fields.Monetary(
        string="Estimated tax (Amazon cart)",
        readonly=True,
        copy=False,
        help="Amazon's tax estimate at checkout, for information: Odoo computes the "
        "taxes of the lines from the products and the fiscal position.",
    )
    amazon_punchout_estimated_shipping = fields.Monetary(
        string="Estimated shipping (Amazon cart)", readonly=True, copy=False
    )
    amazon_punchout_warnings = fields.Text(
        string="Amazon cart warnings", readonly=True, copy=False
    )
    amazon_punchout_document_ids = fields.One2many(
        "amazon.punchout.document", "order_id", string="Amazon documents"
    )
    amazon_punchout_document_count = fields.Integer(
        compute="_compute_amazon_punchout_document_count"
    )

    @api.depends("amazon_punchout_account_id.state")
    def _compute_amazon_punchout_is_test(self):
        for order in self:
            account = order.amazon_punchout_account_id
            order.amazon_punchout_is_test = (
                bool(account) and account.state != "production"
            )

    @api.depends("amazon_punchout_document_ids")
    def _compute_amazon_punchout_document_count(self):
        for order in self:
            order.amazon_punchout_document_count = len(
                order.sudo().amazon_punchout_document_ids
            )

    def action_amazon_punchout_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_punchout.amazon_punchout_document_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        return action

    def action_amazon_punchout_shop(self):
        """Open Amazon Business in a new tab (Amazon forbids frames).

        A list header button: called on the selected orders, usually none.
        """
        return {
            "type": "ir.actions.act_url",
            "url": "/amazon_punchout/start",
            "target": "new",
        }
