# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def _amazon_punchout_shipment_received(self, shipment):
        """Announce the shipment on the receipts of its goods; never receive them.

        The receipts holding the open moves of the shipped lines get the shipment
        (carrier, tracking numbers and link follow from it) and those moves the
        expected delivery date, which becomes the receipt's scheduled date.
        Receiving, and validating, stays a warehouse decision.
        """
        res = super()._amazon_punchout_shipment_received(shipment)
        moves = shipment.sudo().line_ids.order_line_id.move_ids.filtered(
            lambda m: (
                m.state not in ("done", "cancel")
                and m.picking_id.picking_type_code == "incoming"
            )
        )
        pickings = moves.picking_id
        shipment.sudo().picking_ids = pickings
        if shipment.delivery_date and moves:
            moves.write({"date": shipment.delivery_date})
        return res
