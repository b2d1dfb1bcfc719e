# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shoppers change their requisitions only through checked actions, over the API too.

Every call goes over real HTTP with the shopper's web session, as a script using the
shopper's login would (issue 10, point 1).
"""

from odoo import Command
from odoo.tests import tagged

from .http_common import AmazonPunchoutJsonRpcCommon

ORDER_FIELDS = [
    "state",
    "partner_id",
    "company_id",
    "currency_id",
    "user_id",
    "amazon_punchout_account_id",
    "amazon_punchout_session_id",
    "amazon_punchout_warnings",
    "amazon_punchout_price_hold_until",
    "amazon_punchout_estimated_tax",
    "amazon_punchout_estimated_shipping",
    "order_line",
]
LINE_FIELDS = [
    "product_id",
    "product_qty",
    "product_uom_id",
    "price_unit",
    "discount",
    "name",
    "tax_ids",
    "amazon_punchout_asin",
    "amazon_punchout_aux_id",
    "amazon_punchout_uom_code",
    "amazon_punchout_warning",
    "amazon_punchout_is_estimate",
    "order_id",
]


@tagged("post_install", "-at_install")
class TestShopperApi(AmazonPunchoutJsonRpcCommon):
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
        cls.production_account = cls.account.copy(
            {
                "name": "Amazon Business (production)",
                "identity": "PunchoutGroup9999",
                "punchout_url_test": "https://localhost:9/punchout/test",
                "punchout_url_production": "https://localhost:9/punchout",
                "order_url": "https://localhost:9/order",
            }
        )
        cls.production_account.sudo().write({"state": "production"})
        cls.other_vendor = cls.env["res.partner"].create({"name": "Other vendor"})
        cls.euro = cls.env.ref("base.EUR")
        cls.euro.active = True

    def setUp(self):
        super().setUp()
        self.order = self._sample_requisition()
        self.pens, self.screws, self.shipping = self.order.order_line.sorted("sequence")

    def _snapshot(self):
        self.env.invalidate_all()
        return (
            self.order.read(ORDER_FIELDS),
            self.order.order_line.read(LINE_FIELDS),
        )

    def test_order_fields_refused(self):
        self.assertTrue(self.order.amazon_punchout_warnings)
        before = self._snapshot()
        for vals in (
            {"state": "purchase"},
            {"state": "to approve"},
            {"state": "cancel"},
            {"amazon_punchout_account_id": False},
            {"amazon_punchout_account_id": self.production_account.id},
            {"amazon_punchout_session_id": False},
            {"amazon_punchout_warnings": False},
            {"amazon_punchout_price_hold_until": "2099-01-01 00:00:00"},
            {"amazon_punchout_estimated_tax": 0.0},
            {"partner_id": self.other_vendor.id},
            {"company_id": self.env["res.company"].create({"name": "Other Co"}).id},
            {"currency_id": self.euro.id},
            {"user_id": self.other_shopper.id},
            {"order_line": [Command.create({"name": "Extra", "product_qty": 1})]},
            {"order_line": [Command.set(self.pens.ids)]},
        ):
            with self.subTest(vals=vals):
                message = self._rpc_refused(
                    self.shopper, "purchase.order", "write", self.order.ids, vals
                )
                self.assertTrue(message)
                self.assertEqual(self._snapshot(), before)

    def test_line_fields_refused(self):
        before = self._snapshot()
        for line, vals in (
            (self.pens, {"price_unit": 0.01}),
            (self.pens, {"product_qty": 30}),
            (self.pens, {"product_qty": 0}),
            (self.pens, {"product_qty": -1}),
            (self.pens, {"discount": 50}),
            (self.pens, {"amazon_punchout_asin": "B0OTHER001"}),
            (self.pens, {"amazon_punchout_aux_id": "999-9999999-9999999,1"}),
            (self.pens, {"amazon_punchout_uom_code": "BX"}),
            (self.screws, {"amazon_punchout_warning": False}),
            (self.pens, {"name": "Something else"}),
            (self.pens, {"product_id": self.screws.product_id.id}),
            (self.pens, {"tax_ids": [Command.clear()]}),
            (self.pens, {"order_id": self.order.copy().id}),
            (self.shipping, {"product_qty": 0.5}),
            (self.shipping, {"amazon_punchout_is_estimate": False}),
        ):
            with self.subTest(line=line.name, vals=vals):
                # Straight on the line, and through the order as the form saves it.
                self._rpc_refused(
                    self.shopper, "purchase.order.line", "write", line.ids, vals
                )
                self._rpc_refused(
                    self.shopper,
                    "purchase.order",
                    "write",
                    self.order.ids,
                    {"order_line": [Command.update(line.id, vals)]},
                )
                self.assertEqual(self._snapshot(), before)

    def test_create_copy_unlink_refused(self):
        before = self._snapshot()
        self._rpc_refused(
            self.shopper,
            "purchase.order.line",
            "create",
            [
                {
                    "order_id": self.order.id,
                    "product_id": self.pens.product_id.id,
                    "name": "More pens",
                    "product_qty": 1,
                    "price_unit": 0.01,
                    "amazon_punchout_asin": "B0TESTPEN1",
                    "amazon_punchout_aux_id": "x",
                }
            ],
        )
        self._rpc_refused(
            self.shopper,
            "purchase.order",
            "create",
            [{"partner_id": self.vendor.id, "user_id": self.shopper.id}],
        )
        self._rpc_refused(self.shopper, "purchase.order", "copy", self.order.ids)
        self._rpc_refused(self.shopper, "purchase.order", "unlink", self.order.ids)
        # The shipping estimate is Amazon's, not an item the shopper may drop.
        self._rpc_refused(
            self.shopper, "purchase.order.line", "unlink", self.shipping.ids
        )
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(
            self.env["purchase.order"].search_count(
                [("partner_id", "=", self.vendor.id)]
            ),
            1,
        )

    def test_cleared_account_cannot_skip_approval(self):
        """The old bypass: clear the account, then "submit" auto-approves."""
        self._rpc_refused(
            self.shopper,
            "purchase.order",
            "write",
            self.order.ids,
            {"amazon_punchout_account_id": False},
        )
        self._rpc_ok(self.shopper, "purchase.order", "button_confirm", self.order.ids)
        self.assertEqual(self.order.state, "to approve")
        self.assertEqual(self.order.amazon_punchout_account_id, self.account)

    def test_submit_gives_to_approve_never_purchase(self):
        self.assertEqual(self.account.company_id.po_double_validation, "one_step")
        self._rpc_ok(self.shopper, "purchase.order", "button_confirm", self.order.ids)
        self.assertEqual(self.order.state, "to approve")
        self._rpc(self.shopper, "purchase.order", "button_approve", self.order.ids)
        self.assertEqual(self.order.state, "to approve")
        self._rpc_refused(
            self.shopper,
            "purchase.order",
            "write",
            self.order.ids,
            {"state": "purchase"},
        )
        self.assertEqual(self.order.state, "to approve")
        self.assertFalse(
            self.order.amazon_punchout_document_ids.filtered(
                lambda d: d.doc_type == "OrderRequest"
            )
        )

    def test_lower_quantity_and_remove_line_in_draft(self):
        # As the requisition form saves: one write on the order with line commands.
        self._rpc_ok(
            self.shopper,
            "purchase.order",
            "write",
            self.order.ids,
            {
                "order_line": [
                    Command.update(self.pens.id, {"product_qty": 1}),
                    Command.delete(self.screws.id),
                ]
            },
        )
        self.assertEqual(self.order.order_line, self.pens | self.shipping)
        self.assertEqual(self.pens.product_qty, 1)
        self.assertEqual(self.pens.price_unit, 8.99)
        self.assertAlmostEqual(self.order.amount_untaxed, 8.99 + 4.99)
        # Or straight on the line; an unchanged value sent again is no change.
        self._rpc_ok(
            self.shopper,
            "purchase.order.line",
            "write",
            self.pens.ids,
            {"product_qty": 0.5, "price_unit": 8.99},
        )
        self.assertEqual(self.pens.product_qty, 0.5)

    def test_edits_refused_once_submitted(self):
        self._rpc_ok(self.shopper, "purchase.order", "button_confirm", self.order.ids)
        before = self._snapshot()
        self._rpc_refused(
            self.shopper,
            "purchase.order.line",
            "write",
            self.pens.ids,
            {"product_qty": 1},
        )
        self._rpc_refused(self.shopper, "purchase.order.line", "unlink", self.pens.ids)
        self.assertEqual(self._snapshot(), before)

    def test_shopper_cancels_own_requisition(self):
        self._rpc_ok(self.shopper, "purchase.order", "button_cancel", self.order.ids)
        self.assertEqual(self.order.state, "cancel")
        # Cancelled stays cancelled: reopening is the purchase team's decision.
        self._rpc_refused(
            self.shopper, "purchase.order", "button_draft", self.order.ids
        )
        self.assertEqual(self.order.state, "cancel")

    def test_other_shoppers_requisition_untouchable(self):
        theirs = self._sample_requisition(self.other_shopper)
        line = theirs.order_line[0]
        qty = line.product_qty
        self._rpc_refused(
            self.shopper, "purchase.order.line", "write", line.ids, {"product_qty": 1}
        )
        self._rpc_refused(self.shopper, "purchase.order", "button_cancel", theirs.ids)
        self.assertEqual(line.product_qty, qty)
        self.assertEqual(theirs.state, "draft")

    def test_purchase_user_still_edits(self):
        self._rpc_ok(
            self.purchase_user,
            "purchase.order.line",
            "write",
            self.pens.ids,
            {"product_qty": 30, "price_unit": 8.5},
        )
        self.assertEqual((self.pens.product_qty, self.pens.price_unit), (30, 8.5))

    def test_account_must_belong_to_the_order_company(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.account.copy({"company_id": other_company.id})
        self.purchase_manager.company_ids |= other_company
        self._rpc_refused(
            self.purchase_manager,
            "purchase.order",
            "write",
            self.order.ids,
            {"amazon_punchout_account_id": foreign.id},
        )
        self.assertEqual(self.order.amazon_punchout_account_id, self.account)
