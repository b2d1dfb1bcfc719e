# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


# Kept apart from the outbound code while both change in parallel; merge later.
class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"  # pylint: disable=consider-merging-classes-inherited

    # What Amazon answered, per line (ConfirmationRequest, ShipNoticeRequest); written
    # by the inbound processing only, recomputed from all documents of the order.
    amazon_punchout_qty_sent = fields.Float(
        string="Quantity sent to Amazon",
        digits="Product Unit",
        readonly=True,
        copy=False,
        help="Quantity of the OrderRequest, kept when the order is aligned.",
    )
    amazon_punchout_qty_confirmed = fields.Float(
        string="Confirmed by Amazon", digits="Product Unit", readonly=True, copy=False
    )
    amazon_punchout_qty_rejected = fields.Float(
        string="Rejected by Amazon", digits="Product Unit", readonly=True, copy=False
    )
    amazon_punchout_qty_backordered = fields.Float(
        string="Backordered", digits="Product Unit", readonly=True, copy=False
    )
    amazon_punchout_qty_shipped = fields.Float(
        string="Shipped by Amazon", digits="Product Unit", readonly=True, copy=False
    )
    amazon_punchout_confirmed_price = fields.Float(
        string="Price confirmed by Amazon",
        min_display_digits="Product Price",
        readonly=True,
        copy=False,
        help="Set only when Amazon confirmed another unit price than ordered.",
    )
    amazon_punchout_delivery_date = fields.Datetime(
        string="Amazon expected delivery", readonly=True, copy=False
    )
    amazon_punchout_reject_reason = fields.Char(
        string="Amazon reason", readonly=True, copy=False
    )
    amazon_punchout_error_code = fields.Char(
        string="Amazon error code", readonly=True, copy=False
    )
    amazon_punchout_order_refs = fields.Char(
        string="Amazon orders",
        readonly=True,
        copy=False,
        help="Amazon order numbers of this line (Amazon may split an order).",
    )

    def _amazon_punchout_check_editable(self):
        # "Align with Amazon" brings the lines down to what Amazon confirmed.
        if self.env.context.get("amazon_punchout_align"):
            return None
        return super()._amazon_punchout_check_editable()

    def _amazon_punchout_capture_sent_qty(self):
        """Remember the quantity Amazon received before anything changes it."""
        for line in self.filtered(lambda line: not line.amazon_punchout_qty_sent):
            line.amazon_punchout_qty_sent = line.product_qty
