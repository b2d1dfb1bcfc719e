# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import threading

import requests

from odoo.tests import tagged
from odoo.tools import mute_logger

from .. import cxml
from .common import IDENTITY, SECRET, AmazonPunchoutHttpCommon


class TestInvoiceCommon(AmazonPunchoutHttpCommon):
    """A company with Amazon's tax rate, a sandbox that invoices, the helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.account.company_id
        cls.company.partner_id.write(
            {"street": "1 Main Street", "city": "Seattle", "zip": "98109"}
        )
        cls.company.po_double_validation = "one_step"
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

    def _advance(self, order, steps=None):
        sent = super()._advance(order, steps)
        for attempt in sent:
            self.assertEqual(attempt["http_status"], 200, attempt)
            # the sandbox's documents (credit memos, header invoices too) are DTD-valid
            self.assertSandboxDtdValid(attempt["valid"], attempt["dtd_errors"])
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

    def _repost(self, document, payload_id=None, replace=()):
        """Post a stored invoice again, its secret put back, with changes."""
        return self._post(self._body(document, payload_id, replace))

    def _body(self, document, payload_id=None, replace=()):
        body = document._amazon_punchout_raw().replace(
            b"<SharedSecret>********</SharedSecret>",
            f"<SharedSecret>{SECRET}</SharedSecret>".encode(),
        )
        old_payload = cxml.parse(body).payload_id.encode()
        body = body.replace(old_payload, (payload_id or cxml.new_payload_id()).encode())
        for old, new in replace:
            self.assertIn(old.encode(), body)
            body = body.replace(old.encode(), new.encode())
        return body

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


@tagged("post_install", "-at_install")
class TestInvoice(TestInvoiceCommon):
    """Amazon's invoices, posted by the sandbox after real orders, become bills."""

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
        # The requisition was taxed at Amazon's rate: the approved total predicted
        # the invoice, so the bill matches.
        self.assertEqual(items.tax_ids, self.tax_825)
        self.assertEqual(
            bill.amazon_punchout_match_state,
            "matches",
            bill.amazon_punchout_match_summary,
        )
        self.assertFalse(bill.activity_ids)
        # Every ordered unit is billed now.
        self.assertEqual(items.mapped("qty_invoiced"), items.mapped("product_qty"))

    def _billed(self, order):
        self.env.flush_all()
        self.env.invalidate_all()
        return order._amazon_punchout_item_lines().mapped("qty_invoiced")

    def test_split_order_two_invoices(self):
        self._configure(split=True)
        order = self._sent_order()
        self._advance(order)
        documents = self._invoices()
        self.assertEqual(len(documents), 2)
        self.assertEqual(documents.mapped("state"), ["input_processed"] * 2)
        bills = documents.bill_id
        self.assertEqual(len(bills), 2)
        for bill, document in zip(bills, documents, strict=True):
            self._assert_bill_is_document(bill, document)
            self.assertEqual(bill.invoice_origin, order.name)
        lines = bills.invoice_line_ids.filtered(lambda l: not l.amazon_punchout_charge)
        self.assertEqual(
            sorted(lines.purchase_line_id.ids),
            sorted(order._amazon_punchout_item_lines().ids),
        )
        self.assertEqual(
            self._billed(order),
            order._amazon_punchout_item_lines().mapped("product_qty"),
        )
        self.assertEqual(order.invoice_count, 2)

    def test_credit_memo_for_returned_unit(self):
        self._configure(return_lines=[1])
        order = self._sent_order()
        self._advance(order)
        invoice, memo = self._invoices()
        self.assertEqual(memo.state, "input_processed", memo.error)
        refund = memo.bill_id
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(
            refund.amazon_punchout_original_invoice_id,
            invoice.bill_id.amazon_punchout_invoice_id,
        )
        self._assert_bill_is_document(refund, memo)
        line = refund.invoice_line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.quantity, 1)
        self.assertEqual(line.purchase_line_id.amazon_punchout_line_number, 1)
        self.assertEqual(line.tax_ids, self.tax_825)
        ordered = order._amazon_punchout_item_lines().mapped("product_qty")
        billed = self._billed(order)
        self.assertEqual(billed[0], ordered[0] - 1)
        self.assertEqual(billed[1:], ordered[1:])
        self.assertIn("credited", line.amazon_punchout_match_note)

    def test_header_invoice(self):
        self._configure(header_invoice=True)
        order = self._sent_order()
        self._advance(order)
        document = self._invoices()
        self.assertEqual(document.state, "input_processed", document.error)
        bill = document.bill_id
        self._assert_bill_is_document(bill, document)
        summary_line = bill.invoice_line_ids.filtered(
            lambda l: not l.amazon_punchout_charge
        )
        self.assertEqual(len(summary_line), 1)
        self.assertFalse(summary_line.purchase_line_id)
        self.assertEqual(summary_line.tax_ids, self.tax_825)
        self.assertEqual(bill.amazon_punchout_match_state, "review")
        self.assertIn("without item lines", bill.amazon_punchout_match_summary)

    def test_price_change_is_explained(self):
        self._configure(invoice_price_change=2)
        order = self._sent_order()
        self._advance(order)
        bill = self._invoices().bill_id
        self._assert_bill_is_document(bill, self._invoices())
        self.assertEqual(bill.amazon_punchout_match_state, "review")
        line = bill.invoice_line_ids.filtered(
            lambda l: l.purchase_line_id.amazon_punchout_line_number == 1
        )
        self.assertGreater(line.price_unit, line.purchase_line_id.price_unit)
        self.assertRegex(line.amazon_punchout_match_note, r"^Line 1: 2 × .* invoiced")
        self.assertIn("+2.0", line.amazon_punchout_match_note)
        self.assertIn(
            line.amazon_punchout_match_note, bill.amazon_punchout_match_summary
        )
        self.assertIn(
            bill,
            self.env["account.move"].search(
                [("amazon_punchout_match_state", "=", "review")]
            ),
        )

    def test_products_tax_policy_needs_review(self):
        """With the products' 15 % tax, the order predicted the wrong tax."""
        self.account.bill_tax_policy = "product"
        order = self._sent_order()
        self.assertNotIn(self.tax_825, order.order_line.tax_ids)
        self._advance(order)
        bill = self._invoices().bill_id
        self._assert_bill_is_document(bill, self._invoices())
        self.assertEqual(bill.amazon_punchout_match_state, "review")
        self.assertIn("on the order", bill.amazon_punchout_match_summary)
        self.assertTrue(bill.activity_ids)

    def test_bill_that_matches_is_posted_when_asked(self):
        self.company.amazon_punchout_autopost_matching = True
        order = self._sent_order()
        self._advance(order)
        bill = self._invoices().bill_id
        self.assertEqual(
            bill.amazon_punchout_match_state,
            "matches",
            bill.amazon_punchout_match_summary,
        )
        self.assertEqual(bill.state, "posted")
        self.assertFalse(bill.activity_ids)

    def test_missing_tax_needs_attention_then_process_again(self):
        self.tax_825.active = False
        order = self._sent_order()
        with mute_logger(
            "odoo.addons.amazon_punchout.models.amazon_punchout_document_inbound"
        ):
            self._advance(order)
        document = self._invoices()
        self.assertEqual(document.state, "input_error")
        self.assertIn("8.25 %", document.error)
        self.assertIn("no purchase tax", document.error)
        self.assertFalse(document.bill_id)
        self.assertFalse(
            self.env["account.move"].search([("invoice_origin", "=", order.name)])
        )
        self.assertTrue(document.activity_ids)
        self.tax_825.active = True
        document.with_user(self.purchase_manager).action_process_again()
        self.assertEqual(document.state, "input_processed", document.error)
        self._assert_bill_is_document(document.bill_id, document)

    def test_bad_input_needs_attention(self):
        order = self._sent_order()
        self._advance(order)
        document = self._invoices()
        bill = document.bill_id
        invoice_id = bill.amazon_punchout_invoice_id
        net = cxml.parse(document._amazon_punchout_raw()).body.net_amount.amount
        request = order.amazon_punchout_document_ids.filtered(
            lambda d: d.doc_type == "OrderRequest"
        )
        self.env.ref("base.EUR").active = True
        cases = {
            "already imported": [],
            "do not add up": [
                (
                    f'<NetAmount><Money currency="USD">{net}',
                    f'<NetAmount><Money currency="USD">{net + 1}',
                )
            ],
            "but order": [('currency="USD"', 'currency="EUR"')],
            "quantity of -2": [('quantity="2"', 'quantity="-2"')],
            "No purchase order": [
                (f'orderID="{order.name}"', 'orderID="P99999"'),
                (f'payloadID="{request.payload_id}"', 'payloadID="unknown@x"'),
            ],
        }
        for index, (reason, replace) in enumerate(cases.items()):
            with self.subTest(reason=reason):
                if replace:
                    replace = [*replace, (invoice_id, f"{invoice_id}-{index}")]
                response = self._repost(document, replace=replace)
                self.assertEqual(response.status_code, 200)
                bad = self._invoices()[-1]
                self.assertEqual(bad.state, "input_error")
                self.assertIn(reason, bad.error)
                self.assertFalse(bad.bill_id)
        self.assertEqual(
            len(self.env["account.move"].search([("invoice_origin", "=", order.name)])),
            1,
        )

    def test_same_invoice_posted_concurrently_makes_one_bill(self):
        order = self._sent_order()
        self._advance(order)
        document = self._invoices()
        invoice_id = document.bill_id.amazon_punchout_invoice_id
        document.bill_id.unlink()
        self.env.flush_all()
        responses = []

        url = self.base_url() + self.inbound_path

        def post(body):
            responses.append(
                requests.post(
                    url,
                    data=body,
                    headers={"Content-Type": "text/xml; charset=UTF-8"},
                    timeout=60,
                )
            )

        payload_ids = [cxml.new_payload_id(), cxml.new_payload_id()]
        bodies = [self._body(document, payload_id) for payload_id in payload_ids]
        threads = [
            threading.Thread(target=post, args=(body,))
            for body in [bodies[0], bodies[0], bodies[1]]
        ]
        with self.allow_requests(all_requests=True):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        self.assertEqual([r.status_code for r in responses], [200] * 3)
        self.env.invalidate_all()
        bills = self.env["account.move"].search(
            [("amazon_punchout_invoice_id", "=", invoice_id)]
        )
        self.assertEqual(len(bills), 1)
        documents = self._invoices().filtered(lambda d: d.payload_id in payload_ids)
        self.assertEqual(len(documents), 2, "the same payloadID is stored once")
        self.assertEqual(
            sorted(documents.mapped("state")), ["input_error", "input_processed"]
        )

    def test_upload_gives_the_same_bill(self):
        order = self._sent_order()
        self._advance(order)
        document = self._invoices()

        def values(bill):
            return [
                (
                    l.purchase_line_id.id,
                    l.product_id.id,
                    l.quantity,
                    l.price_unit,
                    l.tax_ids.ids,
                )
                for l in bill.invoice_line_ids.sorted("sequence")
            ] + [bill.amount_untaxed, bill.amount_tax, bill.amount_total, bill.ref]

        expected = values(document.bill_id)
        document.bill_id.unlink()
        journal = self.env["account.journal"].search(
            [("type", "=", "purchase"), ("company_id", "=", self.company.id)], limit=1
        )
        attachment = self.env["ir.attachment"].create(
            {"name": "amazon-invoice.xml", "raw": document._amazon_punchout_raw()}
        )
        journal.with_context(
            default_journal_id=journal.id, default_move_type="in_invoice"
        )._create_document_from_attachment(attachment.ids)
        bill = self.env["account.move"].search(
            [("amazon_punchout_invoice_id", "=", expected[-1])]
        )
        self.assertEqual(values(bill), expected)
        self.assertEqual(bill.amazon_punchout_match_state, "matches")
        # a second upload of the same file makes no second bill
        attachment2 = attachment.copy()
        journal.with_context(
            default_journal_id=journal.id, default_move_type="in_invoice"
        )._create_document_from_attachment(attachment2.ids)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("amazon_punchout_invoice_id", "=", expected[-1])]
            ),
            1,
        )
