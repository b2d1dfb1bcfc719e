# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
