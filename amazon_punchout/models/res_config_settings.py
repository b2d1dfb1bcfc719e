# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    amazon_punchout_shipping_product_id = fields.Many2one(
        related="company_id.amazon_punchout_shipping_product_id", readonly=False
    )
    amazon_punchout_special_handling_product_id = fields.Many2one(
        related="company_id.amazon_punchout_special_handling_product_id",
        readonly=False,
    )
    amazon_punchout_discount_product_id = fields.Many2one(
        related="company_id.amazon_punchout_discount_product_id", readonly=False
    )
    amazon_punchout_deposit_product_id = fields.Many2one(
        related="company_id.amazon_punchout_deposit_product_id", readonly=False
    )
    amazon_punchout_match_tolerance_amount = fields.Monetary(
        related="company_id.amazon_punchout_match_tolerance_amount", readonly=False
    )
    amazon_punchout_match_tolerance_percent = fields.Float(
        related="company_id.amazon_punchout_match_tolerance_percent", readonly=False
    )
    amazon_punchout_autopost_matching = fields.Boolean(
        related="company_id.amazon_punchout_autopost_matching", readonly=False
    )
