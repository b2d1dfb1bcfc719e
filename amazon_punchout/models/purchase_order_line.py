# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

# What Amazon received: unchangeable once the OrderRequest is queued or sent.
AMAZON_LOCKED_FIELDS = {
    "product_id",
    "product_qty",
    "product_uom_id",
    "price_unit",
    "discount",
    "amazon_punchout_asin",
    "amazon_punchout_aux_id",
    "amazon_punchout_uom_code",
}


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    amazon_punchout_line_number = fields.Integer(string="Amazon line", copy=False)
    amazon_punchout_asin = fields.Char(
        string="ASIN", copy=False, index="btree_not_null"
    )
    amazon_punchout_aux_id = fields.Char(
        string="Amazon auxiliary ID",
        copy=False,
        help="Amazon's offer token for this cart line, echoed verbatim in the order.",
    )
    amazon_punchout_uom_code = fields.Char(string="Amazon unit code", copy=False)
    amazon_punchout_unspsc = fields.Char(string="UNSPSC", copy=False)
    amazon_punchout_manufacturer_part = fields.Char(
        string="Manufacturer part", copy=False
    )
    amazon_punchout_manufacturer_name = fields.Char(string="Manufacturer", copy=False)
    amazon_punchout_sold_by = fields.Char(string="Sold by", copy=False)
    amazon_punchout_fulfilled_by = fields.Char(string="Fulfilled by", copy=False)
    amazon_punchout_is_estimate = fields.Boolean(
        string="Estimate",
        copy=False,
        help="Shipping estimated by Amazon at checkout; the invoice brings the charge.",
    )
    amazon_punchout_warning = fields.Char(string="Amazon warning", copy=False)

    def _compute_price_unit_and_date_planned_and_name(self):
        # A cart line keeps Amazon's price: never recomputed from a supplierinfo.
        amazon_lines = self.filtered(
            lambda line: line.amazon_punchout_asin or line.amazon_punchout_is_estimate
        )
        return super(
            PurchaseOrderLine, self - amazon_lines
        )._compute_price_unit_and_date_planned_and_name()

    def _amazon_punchout_check_editable(self):
        """Amazon accepts no change orders: refuse edits once the order went out."""
        documents = self.sudo().order_id.amazon_punchout_document_ids.filtered(
            lambda d: (
                d.doc_type == "OrderRequest"
                and d.direction == "outbound"
                and d.state != "output_error"
            )
        )
        if not documents:
            return
        locked = self.filtered(
            lambda line: (
                line.order_id in documents.order_id
                and (line.amazon_punchout_asin or line.amazon_punchout_is_estimate)
            )
        )
        if locked:
            raise UserError(
                self.env._(
                    "%(orders)s went to Amazon Business, which accepts no change "
                    "orders: its Amazon lines can no longer be changed (%(lines)s). "
                    "Cancel the order on Amazon and in Odoo, then shop again.",
                    orders=", ".join(sorted(set(locked.order_id.mapped("name")))),
                    lines=", ".join(locked.mapped("name")),
                )
            )

    def write(self, vals):
        if AMAZON_LOCKED_FIELDS.intersection(vals):
            self._amazon_punchout_check_editable()
        return super().write(vals)

    def unlink(self):
        self._amazon_punchout_check_editable()
        return super().unlink()
