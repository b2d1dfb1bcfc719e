# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from odoo.addons.amazon_punchout.models.purchase_order import (
    SHOPPER_CANCELLABLE_STATES,
)


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def button_cancel(self):
        # purchase_stock reads the order's receipts first, which shoppers may not:
        # check the shopper's withdrawal of their own requisition as amazon_punchout
        # does, then cancel with sudo() (env.user kept).
        if (
            self._amazon_punchout_restricted_user()
            and self.sudo()._amazon_punchout_requisitions()
        ):
            self._amazon_punchout_check_shopper_action(SHOPPER_CANCELLABLE_STATES)
            return self.sudo().button_cancel()
        return super().button_cancel()

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
