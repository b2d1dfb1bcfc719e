# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    amazon_punchout_shipment_ids = fields.Many2many(
        "amazon.punchout.shipment",
        "amazon_punchout_shipment_stock_picking_rel",
        "picking_id",
        "shipment_id",
        string="Amazon shipments",
        readonly=True,
        copy=False,
    )
    amazon_punchout_carrier = fields.Char(
        string="Amazon carrier",
        compute="_compute_amazon_punchout_tracking",
        store=True,
    )
    amazon_punchout_tracking_ref = fields.Char(
        string="Amazon tracking numbers",
        compute="_compute_amazon_punchout_tracking",
        store=True,
        tracking=True,
        # Not carrier_tracking_ref: that field exists only with stock_delivery.
        help="The tracking numbers of the Amazon shipments announced for this receipt.",
    )
    amazon_punchout_tracking_url = fields.Char(
        string="Amazon tracking link",
        compute="_compute_amazon_punchout_tracking",
        store=True,
    )

    @api.depends(
        "amazon_punchout_shipment_ids.carrier",
        "amazon_punchout_shipment_ids.tracking_ref",
        "amazon_punchout_shipment_ids.tracking_url",
    )
    def _compute_amazon_punchout_tracking(self):
        for picking in self:
            shipments = picking.amazon_punchout_shipment_ids.sorted(
                lambda s: (s.shipment_date or s.create_date, s.id)
            )
            picking.amazon_punchout_carrier = _join(shipments.mapped("carrier"))
            picking.amazon_punchout_tracking_ref = _join(
                shipments.mapped("tracking_ref")
            )
            picking.amazon_punchout_tracking_url = next(
                (url for url in shipments.mapped("tracking_url") if url), False
            )


def _join(values):
    """Distinct non-empty values in their order, comma-separated (or False)."""
    seen = []
    for value in values:
        for part in (value or "").split(", "):
            if part and part not in seen:
                seen.append(part)
    return ", ".join(seen) or False
