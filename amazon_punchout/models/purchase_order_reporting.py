# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the spend report needs and Odoo does not keep: when a requisition was
submitted, who approved it, and the cart's Amazon category of each line."""

from odoo import api, fields, models


# Kept apart from the outbound code while both change in parallel; merge later.
class PurchaseOrder(models.Model):
    _inherit = "purchase.order"  # pylint: disable=consider-merging-classes-inherited

    amazon_punchout_date_submitted = fields.Datetime(
        string="Submitted for approval",
        readonly=True,
        copy=False,
        help="When the requisition was submitted (Odoo's confirmation).",
    )
    amazon_punchout_approver_id = fields.Many2one(
        "res.users",
        string="Approved by",
        readonly=True,
        copy=False,
        help="The user whose action approved the Amazon Business order.",
    )

    # === ACTION METHODS === #

    def button_confirm(self):
        submitting = self.filtered(
            lambda o: o.amazon_punchout_account_id and o.state in ("draft", "sent")
        )
        res = super().button_confirm()
        submitting.filtered(
            lambda o: (
                o.state in ("to approve", "purchase")
                and not o.amazon_punchout_date_submitted
            )
        ).sudo().amazon_punchout_date_submitted = fields.Datetime.now()
        return res

    def button_approve(self, force=False):
        approving = self.filtered(
            lambda o: o.amazon_punchout_account_id and o.state != "purchase"
        )
        res = super().button_approve(force=force)
        approving.filtered(
            lambda o: o.state == "purchase"
        ).sudo().amazon_punchout_approver_id = self.env.user
        return res


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"  # pylint: disable=consider-merging-classes-inherited

    # Amazon's own product classification, from the cart's ItemDetail extrinsics
    # ("category" such as gl_pc, "subCategory"); the UNSPSC code is kept beside.
    amazon_punchout_category = fields.Char(string="Amazon category", copy=False)
    amazon_punchout_subcategory = fields.Char(string="Amazon sub-category", copy=False)

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
        vals["amazon_punchout_category"] = item.extrinsic("category")
        vals["amazon_punchout_subcategory"] = item.extrinsic("subCategory")
        return vals
