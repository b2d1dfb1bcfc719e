# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.amazon_punchout.tests.common import (
    IDENTITY,
    AmazonPunchoutHttpCommon,
)


@tagged("post_install", "-at_install")
class TestReceipt(AmazonPunchoutHttpCommon):
    """Amazon's ship notices, posted by the sandbox to Odoo's endpoint, on receipts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.company_id.partner_id.write(
            {
                "street": "1 Main Street",
                "city": "Seattle",
                "zip": "98109",
                "country_id": cls.env.ref("base.us").id,
            }
        )

    def setUp(self):
        super().setUp()
        self.sandbox.configure_account(
            IDENTITY,
            mode="test",
            fulfil_test_orders=True,
            buyer_inbound_url=f"{self.base_url()}/amazon_punchout/cxml/"
            f"{self.account.inbound_token}",
            inbound_auth="shared_secret",
            plan={
                "mode": "manual",
                "carrier": "UPS",
                "split": True,
                "backorder_lines": [2],
            },
        )

    def _advance(self, order, steps=None):
        sent = super()._advance(order, steps)
        self.assertTrue(sent)
        for attempt in sent:
            self.assertEqual(attempt["http_status"], 200, attempt)
        return sent

    def test_ship_notices_on_the_receipt(self):
        order = self._sent_order()
        receipt = order.picking_ids
        self.assertEqual(len(receipt), 1)
        self.assertEqual(receipt.picking_type_code, "incoming")
        self.assertFalse(receipt.amazon_punchout_tracking_ref)
        self._advance(order)
        shipments = order.amazon_punchout_shipment_ids
        self.assertGreaterEqual(len(shipments), 2, "split over two Amazon orders")
        self.assertEqual(receipt.amazon_punchout_shipment_ids, shipments)
        self.assertEqual(shipments.picking_ids, receipt)
        self.assertEqual(receipt.amazon_punchout_carrier, "UPS")
        for shipment in shipments:
            self.assertIn(shipment.tracking_ref, receipt.amazon_punchout_tracking_ref)
            # Each shipped good is expected on its shipment's delivery date.
            self.assertTrue(shipment.delivery_date)
            moves = shipment.line_ids.order_line_id.move_ids
            self.assertEqual(set(moves.mapped("date")), {shipment.delivery_date})
        self.assertIn("ups.com", receipt.amazon_punchout_tracking_url)
        # The receipt is scheduled when the first parcel arrives.
        self.assertEqual(receipt.scheduled_date, min(shipments.mapped("delivery_date")))
        # Receiving is the warehouse's decision.
        self.assertNotIn(receipt.state, ("done", "cancel"))
        self.assertFalse(any(order.order_line.mapped("qty_received")))

        # Amazon withdraws a shipment: it leaves the receipt.
        withdrawn, kept = shipments[0], shipments[1:]
        withdrawn_ref = withdrawn.tracking_ref
        withdrawn.unlink()
        self.env.flush_all()
        self.assertEqual(receipt.amazon_punchout_shipment_ids, kept)
        self.assertNotIn(withdrawn_ref, receipt.amazon_punchout_tracking_ref or "")

    def test_receipt_form_shows_tracking(self):
        arch = self.env["stock.picking"].get_view(
            self.env.ref("stock.view_picking_form").id
        )["arch"]
        for name in (
            "amazon_punchout_carrier",
            "amazon_punchout_tracking_ref",
            "amazon_punchout_tracking_url",
            "amazon_punchout_shipment_ids",
        ):
            self.assertIn(f'name="{name}"', arch)
