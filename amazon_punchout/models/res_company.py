# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

# Amazon's charges billed on their own lines, each on a product (configurable).
CHARGE_PRODUCTS = {
    "shipping": "amazon_punchout.product_product_amazon_shipping",
    "special_handling": "amazon_punchout.product_product_amazon_special_handling",
    "discount": "amazon_punchout.product_product_amazon_discount",
    "deposit": "amazon_punchout.product_product_amazon_deposit",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    amazon_punchout_shipping_product_id = fields.Many2one(
        "product.product",
        string="Amazon shipping product",
        help="Product of the shipping lines of Amazon bills (default: Amazon "
        "Business shipping).",
    )
    amazon_punchout_special_handling_product_id = fields.Many2one(
        "product.product", string="Amazon special handling product"
    )
    amazon_punchout_discount_product_id = fields.Many2one(
        "product.product", string="Amazon discount product"
    )
    amazon_punchout_deposit_product_id = fields.Many2one(
        "product.product", string="Amazon deposit product"
    )
    amazon_punchout_match_tolerance_amount = fields.Monetary(
        string="Amazon match tolerance (amount)",
        currency_field="currency_id",
        default=1.0,
        help="A bill line whose amount differs from its order line by at most this "
        "amount (and the percentage below) matches the purchase order.",
    )
    amazon_punchout_match_tolerance_percent = fields.Float(
        string="Amazon match tolerance (%)",
        default=1.0,
        help="A bill line whose unit price differs from the order's by at most this "
        "percentage (and the amount above) matches the purchase order.",
    )
    amazon_punchout_autopost_matching = fields.Boolean(
        string="Post Amazon bills that match",
        help="Amazon bills that match their purchase orders are posted at once; "
        "others wait in draft for review.",
    )

    def _amazon_punchout_charge_product(self, kind):
        """The product of one kind of charge line: the company's, else ours."""
        self.ensure_one()
        product = self[f"amazon_punchout_{kind}_product_id"]
        return product or self.env.ref(CHARGE_PRODUCTS[kind], raise_if_not_found=False)
