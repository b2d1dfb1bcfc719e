# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import requests

from odoo.tests import tagged

from .. import cxml
from .common import IDENTITY, AmazonPunchoutHttpCommon


@tagged("post_install", "-at_install")
class TestInvoice(AmazonPunchoutHttpCommon):
    """Amazon's invoices, posted by the sandbox after real orders, become bills."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.account.company_id
        cls.company.partner_id.write(
            {"street": "1 Main Street", "city": "Seattle", "zip": "98109"}
        )
        cls.company.po_double_validation = "one_step"
        cls.send_cron = cls.env.ref("amazon_punchout.ir_cron_send_documents")
        cls.inbound_path = f"/amazon_punchout/cxml/{cls.account.inbound_token}"
        # The sandbox's US sales tax: Amazon's rate must be found, never invented.
        cls.tax_825 = cls.env["account.tax"].create(
            {
                "name": "Sales tax 8.25 % (purchases)",
                "amount": 8.25,
                "amount_type": "percent",
                "type_tax_use": "purchase",
                "company_id": cls.company.id,
            }
        )

    def setUp(self):
        super().setUp()
        self._configure()

    def _configure(self, **plan):
        self.sandbox.configure_account(
            IDENTITY,
            mode="test",
            fulfil_test_orders=True,
            buyer_inbound_url=self.base_url() + self.inbound_path,
            inbound_auth="shared_secret",
            plan={"mode": "manual", "carrier": "UPS", **plan},
        )

    # --- helpers ---

    def _sent_order(self, items=None):
        sid = self._punch_out(self.shopper)
        cart = self._fill_cart(sid, items)
        response = self._post_cart(cart)
        claim = self._claim(response.headers["Location"], self.shopper)
        self.assertEqual(claim.status_code, 303)
        order = self._requisitions().sorted("id")[-1]
        order.with_user(self.purchase_user).button_confirm()
        self.env.flush_all()
        self.send_cron.method_direct_trigger()
        self.env.invalidate_all()
        request = order.amazon_punchout_document_ids.filtered(
            lambda d: d.doc_type == "OrderRequest"
        )
        self.assertEqual(request.state, "output_sent", request.error)
        return order

    def _advance(self, order, steps=None):
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            sent = self.sandbox.advance(order.name, steps=steps)
        self.env.invalidate_all()
        for attempt in sent:
            self.assertEqual(attempt["http_status"], 200, attempt)
        return sent

    def _invoices(self):
        return self.env["amazon.punchout.document"].search(
            [
                ("direction", "=", "inbound"),
                ("account_id", "=", self.account.id),
                ("doc_type", "=", "InvoiceDetailRequest"),
            ],
            order="id",
        )

    def _post(self, data):
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            response = requests.post(
                self.base_url() + self.inbound_path,
                data=data,
                headers={"Content-Type": "text/xml; charset=UTF-8"},
                timeout=30,
            )
        self.env.invalidate_all()
        return response

    def _assert_bill_is_document(self, bill, document):
        """Untaxed, tax and total of the bill are the document's, to the cent."""
        invoice = cxml.parse(document._amazon_punchout_raw()).body
        summary_tax = abs(invoice.tax.amount)
        untaxed = abs(invoice.subtotal_amount.amount) + abs(
            invoice.shipping_amount.amount if invoice.shipping_amount else 0
        )
        self.assertAlmostEqual(bill.amount_tax, float(summary_tax), places=2)
        self.assertAlmostEqual(bill.amount_untaxed, float(untaxed), places=2)
        self.assertAlmostEqual(
            bill.amount_total, float(abs(invoice.net_amount.amount)), places=2
        )
        self.assertEqual(bill.ref, invoice.invoice_id)
        self.assertEqual(bill.amazon_punchout_invoice_id, invoice.invoice_id)
        self.assertEqual(bill.partner_id, self.vendor)
        self.assertEqual(bill.state, "draft")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", bill.id)]
        )
        self.assertEqual(attachment.name, f"{invoice.invoice_id}.xml")
        self.assertNotIn(b"SharedSecret>test-secret", attachment.raw)

    # --- tests ---

    def test_single_invoice_is_a_matched_bill(self):
        order = self._sent_order()
        self._advance(order)
        document = self._invoices()
        self.assertEqual(document.state, "input_processed", document.error)
        bill = document.bill_id
        self.assertEqual(bill.move_type, "in_invoice")
        self._assert_bill_is_document(bill, document)
        items = order._amazon_punchout_item_lines()
        product_lines = bill.invoice_line_ids.filtered(
            lambda aml: not aml.amazon_punchout_charge
        )
        self.assertEqual(product_lines.purchase_line_id, items)
        for line in product_lines:
            self.assertEqual(line.quantity, line.purchase_line_id.product_qty)
            self.assertEqual(line.price_unit, line.purchase_line_id.price_unit)
            self.assertEqual(line.tax_ids, self.tax_825)
            self.assertIn("already billed", line.amazon_punchout_match_note)
        self.assertEqual(bill.invoice_origin, order.name)
        self.assertEqual(
            bill.amazon_punchout_match_state,
            "review",
            "Odoo's order taxed at the products' 15 %, Amazon at 8.25 %",
        )
        self.assertIn("tax", bill.amazon_punchout_match_summary)
        self.assertTrue(bill.activity_ids)
        # Every ordered unit is billed now.
        self.assertEqual(items.mapped("qty_invoiced"), items.mapped("product_qty"))
