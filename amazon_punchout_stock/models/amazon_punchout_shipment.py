# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AmazonPunchoutShipment(models.Model):
    _inherit = "amazon.punchout.shipment"

    picking_ids = fields.Many2many(
        "stock.picking",
        "amazon_punchout_shipment_stock_picking_rel",
        "shipment_id",
        "picking_id",
        string="Receipts",
        readonly=True,
        copy=False,
        help="The incoming receipts of the goods this shipment brings.",
    )
