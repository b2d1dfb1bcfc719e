# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import secrets
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import AmazonPunchoutCommon


@tagged("post_install", "-at_install")
class TestRequisition(AmazonPunchoutCommon):
    """The cart → requisition mapping, on hand-written Amazon-shaped carts."""

    def _session(self, user=None):
        return (
            self.env["amazon.punchout.session"]
            .sudo()
            .create(
                {
                    "account_id": self.account.id,
                    "user_id": (user or self.shopper).id,
                    "deployment_mode": "test",
                    "buyer_cookie": secrets.token_urlsafe(16),
                    "return_token": secrets.token_urlsafe(16),
                    "expires_at": fields.Datetime.now() + timedelta(hours=1),
                }
            )
        )

    def _requisition(self, session=None, **values):
        session = session or self._session()
        values = {
            "payload_id": secrets.token_hex(8) + "@amazon.example",
            "buyer_cookie": session.buyer_cookie,
            "currency": "USD",
            "total": "50.97",
            "uom1": "EA",
            "uom2": "C62",
            **values,
        }
        data = self._cart_xml(**values)
        document = self.env["amazon.punchout.session"]._amazon_punchout_receive_cart(
            session.return_token, data
        )
        self.assertEqual(document.state, "input_received", document.error)
        return session.with_user(session.user_id)._amazon_punchout_create_requisition()

    def test_lines_keep_amazon_data(self):
        order = self._requisition()
        self.assertEqual(order.user_id, self.shopper)
        self.assertEqual(order.partner_id, self.vendor)
        pens, screws, shipping = order.order_line.sorted("sequence")
        self.assertRecordValues(
            pens,
            [
                {
                    "amazon_punchout_asin": "B0TESTPEN1",
                    "amazon_punchout_aux_id": "111-2223334-4445556,1",
                    "amazon_punchout_unspsc": "44121704",
                    "amazon_punchout_manufacturer_part": "GP-12-BK",
                    "amazon_punchout_manufacturer_name": "Scribbo",
                    "amazon_punchout_sold_by": "Amazon",
                    "amazon_punchout_fulfilled_by": "Amazon",
                    "amazon_punchout_uom_code": "EA",
                    "product_qty": 3.0,
                    "price_unit": 8.99,  # never the line's Tax money
                    "amazon_punchout_line_number": 1,
                }
            ],
        )
        self.assertEqual(pens.product_uom_id, self.env.ref("uom.product_uom_unit"))
        # 12.00 per 100 screws: exactly 0.12 each.
        self.assertEqual(screws.price_unit, 0.12)
        self.assertEqual(screws.amazon_punchout_sold_by, "Hardware Hub LLC")
        self.assertTrue(shipping.amazon_punchout_is_estimate)
        self.assertEqual(shipping.price_unit, 4.99)
        self.assertFalse(shipping.tax_ids)
        self.assertEqual(order.amazon_punchout_estimated_tax, 2.10)
        self.assertEqual(order.amazon_punchout_estimated_shipping, 4.99)
        self.assertFalse(order.amazon_punchout_warnings)

    def test_product_created_once_then_found_by_asin(self):
        first = self._requisition()
        pens = first.order_line.filtered(
            lambda line: line.amazon_punchout_asin == "B0TESTPEN1"
        )
        product = pens.product_id
        self.assertTrue(product.purchase_ok)
        self.assertEqual(product.seller_ids.partner_id, self.vendor)
        self.assertEqual(product.seller_ids.product_code, "B0TESTPEN1")
        second = self._requisition()
        again = second.order_line.filtered(
            lambda line: line.amazon_punchout_asin == "B0TESTPEN1"
        )
        self.assertEqual(again.product_id, product)
        self.assertEqual(
            self.env["product.supplierinfo"].search_count(
                [("product_code", "=", "B0TESTPEN1")]
            ),
            1,
        )

    def test_existing_product_and_taxes(self):
        tax = self.env["account.tax"].create(
            {"name": "Purchase 10%", "amount": 10, "type_tax_use": "purchase"}
        )
        product = self.env["product.product"].create(
            {
                "name": "Our pens",
                "purchase_ok": True,
                "supplier_taxes_id": [fields.Command.set(tax.ids)],
                "seller_ids": [
                    fields.Command.create(
                        {
                            "partner_id": self.vendor.id,
                            "product_code": "B0TESTPEN1",
                            "price": 1.0,
                        }
                    )
                ],
            }
        )
        order = self._requisition()
        pens = order.order_line.filtered("amazon_punchout_asin")[0]
        self.assertEqual(pens.product_id, product)
        self.assertEqual(pens.tax_ids, tax)
        self.assertEqual(pens.price_unit, 8.99)

    def test_units_of_measure(self):
        order = self._requisition(uom1="DZN", uom2="XYZ")
        pens, screws = order.order_line.filtered("amazon_punchout_asin").sorted(
            "sequence"
        )
        self.assertEqual(pens.product_uom_id, self.env.ref("uom.product_uom_dozen"))
        self.assertEqual(screws.product_uom_id, self.env.ref("uom.product_uom_unit"))
        self.assertIn("XYZ", screws.amazon_punchout_warning)
        self.assertIn("XYZ", order.amazon_punchout_warnings)

    def test_quantity_change_keeps_amazon_price(self):
        order = self._requisition()
        with (
            Form(order.with_user(self.purchase_user)) as form,
            form.order_line.edit(0) as line,
        ):
            line.product_qty = 7
        pens = order.order_line.sorted("sequence")[0]
        self.assertEqual(pens.product_qty, 7)
        self.assertEqual(pens.price_unit, 8.99)

    def test_currency_mismatch_creates_nothing(self):
        session = self._session()
        with self.assertRaisesRegex(Exception, "EUR"):
            self._requisition(session, currency="EUR")
        self.assertFalse(
            self.env["purchase.order"].search([("partner_id", "=", self.vendor.id)])
        )
        self.assertFalse(
            self.env["product.supplierinfo"].search(
                [("partner_id", "=", self.vendor.id)]
            )
        )
        self.assertEqual(session.state, "error")

    def test_requisition_created_once(self):
        session = self._session()
        order = self._requisition(session)
        self.assertEqual(session._amazon_punchout_create_requisition(), order)

    def test_shopper_sees_own_requisitions_only(self):
        mine = self._requisition()
        theirs = self._requisition(self._session(self.other_shopper))
        PurchaseOrder = self.env["purchase.order"].with_user(self.shopper)
        self.assertEqual(PurchaseOrder.search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.shopper).read(["name"])
        # Purchase users see both; the shopper's submission is Odoo's confirmation.
        self.assertEqual(
            self.env["purchase.order"]
            .with_user(self.purchase_user)
            .search([("id", "in", (mine | theirs).ids)]),
            mine | theirs,
        )

    def test_order_created_with_its_lines_in_one_create(self):
        PurchaseOrder = type(self.env["purchase.order"])
        original_write = PurchaseOrder.write
        writes = []

        def recording_write(orders, vals):
            writes.append(set(vals))
            return original_write(orders, vals)

        with patch.object(PurchaseOrder, "write", recording_write):
            order = self._requisition()
        self.assertEqual(len(order.order_line), 3)
        self.assertFalse([w for w in writes if "order_line" in w], writes)
        shipping = order.order_line.filtered("amazon_punchout_is_estimate")
        self.assertEqual(
            shipping.product_id,
            self.env.ref("amazon_punchout.product_product_amazon_shipping"),
        )
        self.assertFalse(shipping.product_id.company_id)

    def test_notice_shows_test_mode_and_warnings(self):
        order = self._requisition(uom2="XYZ")
        notice = str(order.amazon_punchout_notice)
        self.assertIn("o_amazon_punchout_test_banner", notice)
        self.assertIn("o_amazon_punchout_warnings", notice)
        self.assertIn("XYZ", notice)
        self.assertNotIn("o_amazon_punchout_hold_banner", notice)
        order.state = "to approve"
        self.assertIn(
            "o_amazon_punchout_hold_banner", str(order.amazon_punchout_notice)
        )
