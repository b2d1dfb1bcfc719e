# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""After the bill: Amazon cancels an invoice; an accountant uploads a file."""

import hashlib

from odoo.tests import new_test_user, tagged

from .common import SECRET
from .http_common import AmazonPunchoutJsonRpcCommon
from .test_invoice import TestInvoiceCommon

CANCELLED = "Amazon cancelled invoice"


@tagged("post_install", "-at_install")
class TestInvoiceCancellation(TestInvoiceCommon):
    """operation="delete": Amazon cancels an invoice it sent, same invoiceID."""

    def _invoiced(self):
        order = self._sent_order()
        self._advance(order)
        document = self._invoices()
        self.assertEqual(document.state, "input_processed", document.error)
        return order, document

    def _delete(self, document, invoice_id=None):
        """Amazon's cancellation of the stored invoice (or of ``invoice_id``)."""
        replace = [('operation="new"', 'operation="delete"')]
        if invoice_id:
            replace.append((document.amazon_reference, invoice_id))
        response = self._repost(document, replace=replace)
        self.assertEqual(response.status_code, 200)
        self.assertIn(b'code="200"', response.content)
        cancellation = self._invoices()[-1]
        self.assertTrue(cancellation.invoice_cancellation)
        self.assertEqual(cancellation.state, "input_processed", cancellation.error)
        return cancellation

    def _messages(self, record, text):
        return record.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_draft_bill_is_cancelled_once(self):
        order, document = self._invoiced()
        bill = document.bill_id
        self.assertEqual(bill.state, "draft")
        items = order._amazon_punchout_item_lines()
        cancellation = self._delete(document)
        self.assertEqual(cancellation.bill_id, bill)
        self.assertEqual(bill.state, "cancel")
        self.assertEqual(bill.amazon_punchout_cancel_document_id, cancellation)
        note = self._messages(bill, CANCELLED)
        self.assertEqual(len(note), 1)
        self.assertIn(bill.amazon_punchout_invoice_id, note.body)
        self.assertIn(cancellation.payload_id, note.body)
        self.assertIn("This draft bill is cancelled.", note.body)
        # the order lines are to bill again
        self.assertEqual(items.mapped("qty_invoiced"), [0.0] * len(items))

        # the same cancellation again (a new payloadID) changes nothing
        again = self._delete(document)
        self.assertEqual(again.bill_id, bill)
        self.assertEqual(bill.amazon_punchout_cancel_document_id, cancellation)
        self.assertEqual(len(self._messages(bill, CANCELLED)), 1)

        # a late copy of the cancelled invoice makes no bill
        self._repost(document)
        late = self._invoices()[-1]
        self.assertEqual(late.state, "input_processed", late.error)
        self.assertFalse(late.bill_id)
        self.assertTrue(self._messages(late, CANCELLED))
        self.assertEqual(
            self.env["account.move"].search_count(
                [("amazon_punchout_invoice_id", "=", bill.amazon_punchout_invoice_id)]
            ),
            1,
        )

    def test_posted_bill_is_flagged_for_a_credit_note(self):
        _order, document = self._invoiced()
        bill = document.bill_id
        bill.action_post()
        total = bill.amount_total
        self._delete(document)
        # the accounting is untouched: an accountant reverses it
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.amount_total, total)
        self.assertFalse(bill.reversal_move_ids)
        self.assertEqual(bill.amazon_punchout_match_state, "review")
        self.assertTrue(bill.amazon_punchout_match_summary.startswith(CANCELLED))
        self.assertIn("credit note", bill.amazon_punchout_match_summary)
        activity = bill.activity_ids.filtered(
            lambda a: a.summary == "Reverse the bill Amazon cancelled"
        )
        self.assertEqual(len(activity), 1)
        self.assertIn("credit note", activity.note)
        self.assertTrue(activity.user_id.has_group("account.group_account_invoice"))
        self.assertEqual(len(self._messages(bill, CANCELLED)), 1)
        # repeated: still one activity, one note
        self._delete(document)
        self.assertEqual(
            len(
                bill.activity_ids.filtered(
                    lambda a: a.summary == "Reverse the bill Amazon cancelled"
                )
            ),
            1,
        )
        self.assertEqual(len(self._messages(bill, CANCELLED)), 1)
        self.assertEqual(bill.amazon_punchout_match_summary.count(CANCELLED), 1)

    def test_cancellation_before_the_invoice(self):
        """Out of order, or after a failed import: the invoice makes no bill."""
        _order, document = self._invoiced()
        invoice_id = document.amazon_reference
        late_id = f"{invoice_id}-LATE"
        cancellation = self._delete(document, invoice_id=late_id)
        self.assertFalse(cancellation.bill_id)
        self.assertTrue(self._messages(cancellation, "has no bill here"))
        self._repost(document, replace=[(invoice_id, late_id)])
        late = self._invoices()[-1]
        self.assertEqual(late.state, "input_processed", late.error)
        self.assertFalse(late.bill_id)
        self.assertTrue(self._messages(late, CANCELLED))

        # An invoice waiting in "Needs attention" is settled by its cancellation.
        failed_id = f"{invoice_id}-FAILED"
        self._repost(
            document,
            replace=[(invoice_id, failed_id), ('quantity="2"', 'quantity="-2"')],
        )
        failed = self._invoices()[-1]
        self.assertEqual(failed.state, "input_error")
        self.assertTrue(failed.activity_ids)
        self._delete(document, invoice_id=failed_id)
        self.assertEqual(failed.state, "input_processed", failed.error)
        self.assertFalse(failed.bill_id)
        self.assertFalse(failed.activity_ids)
        self.assertFalse(
            self.env["account.move"].search(
                [("amazon_punchout_invoice_id", "in", [late_id, failed_id])]
            )
        )


@tagged("post_install", "-at_install")
class TestInvoiceUploadCommon(TestInvoiceCommon):
    """An accountant uploads Amazon's cXML file into Vendor Bills."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            login="ap_upload",
            name="Una Upload",
            groups="base.group_user,account.group_account_invoice",
        )
        cls.journal = cls.env["account.journal"].search(
            [("type", "=", "purchase"), ("company_id", "=", cls.company.id)], limit=1
        )

    def _file(self):
        """Amazon's invoice of a real order, as the sender posted it: with the
        secret. Its bill from the endpoint is removed: the upload makes it."""
        order = self._sent_order()
        self._advance(order)
        document = self._invoices()
        document.bill_id.unlink()
        body = self._body(document)
        self.assertIn(SECRET.encode(), body)
        return document.amazon_reference, body

    def _upload(self, body):
        Attachment = self.env["ir.attachment"].with_user(self.accountant)
        attachment = Attachment.create({"name": "amazon-invoice.xml", "raw": body})
        moves = (
            self.journal.with_user(self.accountant)
            .with_context(
                default_journal_id=self.journal.id, default_move_type="in_invoice"
            )
            ._create_document_from_attachment(attachment.ids)
        )
        self.env.invalidate_all()
        return moves.sudo(), attachment.sudo()

    def _assert_redacted(self, move, attachment):
        self.assertEqual(
            (attachment.res_model, attachment.res_id), (move._name, move.id)
        )
        raw = attachment.raw
        self.assertIn(b"<SharedSecret>********</SharedSecret>", raw)
        self.assertNotIn(SECRET.encode(), raw)
        self.assertEqual(attachment.checksum, hashlib.sha1(raw).hexdigest())
        self.assertEqual(attachment.file_size, len(raw))
        if attachment.store_fname:
            stored = attachment._full_path(attachment.store_fname)
            with open(stored, "rb") as file:
                self.assertNotIn(SECRET.encode(), file.read())
        self.assertNotIn(SECRET, attachment.index_content or "")
        # the bill still shows the document, in its chatter
        self.assertIn(attachment, move.message_ids.attachment_ids)


@tagged("post_install", "-at_install")
class TestInvoiceUpload(TestInvoiceUploadCommon):
    """Uploads: the redacted file kept, failures marked, duplicates opened."""

    def test_upload_keeps_only_the_redacted_file(self):
        invoice_id, body = self._file()
        bill, attachment = self._upload(body)
        self.assertEqual(bill.amazon_punchout_invoice_id, invoice_id)
        self.assertTrue(bill.invoice_line_ids)
        self._assert_redacted(bill, attachment)

    def test_failed_upload_is_marked_then_processed_again(self):
        invoice_id, body = self._file()
        self.tax_825.active = False
        draft, attachment = self._upload(body)
        self.assertEqual(len(draft), 1)
        self._assert_redacted(draft, attachment)
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.invoice_line_ids)
        self.assertFalse(draft.amazon_punchout_invoice_id)
        self.assertEqual(draft.ref, invoice_id)
        self.assertEqual(draft.amazon_punchout_match_state, "review")
        self.assertIn("no purchase tax", draft.amazon_punchout_match_summary)
        self.assertIn("Process again", draft.amazon_punchout_match_summary)
        self.assertTrue(
            draft.message_ids.filtered(
                lambda m: (
                    "not imported" in (m.body or "") and "no purchase tax" in m.body
                )
            )
        )
        activity = draft.activity_ids
        self.assertEqual(activity.summary, "Amazon invoice not imported")
        self.assertEqual(activity.user_id, self.accountant)
        self.assertIn(
            draft,
            self.env["account.move"].search(
                [("amazon_punchout_match_state", "=", "review")]
            ),
        )

        # still broken: a warning with the reason, nothing made
        action = draft.with_user(self.accountant).action_amazon_punchout_import_again()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("no purchase tax", action["params"]["message"])
        self.assertFalse(draft.invoice_line_ids)
        self.assertEqual(len(draft.activity_ids), 1)

        # fixed: the same draft becomes the bill
        self.tax_825.active = True
        self.assertIs(
            draft.with_user(self.accountant).action_amazon_punchout_import_again(),
            True,
        )
        self.env.invalidate_all()
        self.assertEqual(draft.amazon_punchout_invoice_id, invoice_id)
        self.assertEqual(draft.amazon_punchout_match_state, "matches")
        self.assertEqual(draft.invoice_line_ids.tax_ids, self.tax_825)
        self.assertFalse(draft.activity_ids)
        self._assert_redacted(draft, attachment)

    def test_unknown_order_and_duplicate_uploads(self):
        invoice_id, body = self._file()
        order_name = self._invoices().order_id.name
        unknown = body.replace(f'orderID="{order_name}"'.encode(), b'orderID="P99999"')
        draft, _attachment = self._upload(unknown)
        self.assertEqual(draft.amazon_punchout_match_state, "review")
        self.assertIn("P99999", draft.amazon_punchout_match_summary)
        draft.unlink()

        bill, _attachment = self._upload(body)
        self.assertEqual(bill.amazon_punchout_invoice_id, invoice_id)
        # the same file again: Odoo opens the existing bill, no empty draft is left
        again, attachment = self._upload(body)
        self.assertEqual(again, bill)
        self.assertFalse(attachment.exists())
        self.assertEqual(
            self.env["account.move"].search_count(
                [
                    "|",
                    ("ref", "=", invoice_id),
                    ("amazon_punchout_invoice_id", "=", invoice_id),
                ]
            ),
            1,
        )
        self.assertTrue(
            bill.message_ids.filtered(
                lambda m: "uploaded Amazon invoice" in (m.body or "")
            )
        )


@tagged("post_install", "-at_install")
class TestInvoiceUploadRpc(AmazonPunchoutJsonRpcCommon, TestInvoiceUploadCommon):
    """ "Process again" and the upload helpers, called over JSON-RPC by people who
    are not accountants: refused, and the failed draft left as it was."""

    def test_process_again_refused_to_shopper_and_stranger(self):
        _invoice_id, body = self._file()
        self.tax_825.active = False
        draft, _attachment = self._upload(body)
        self.tax_825.active = True  # fixed: only an accountant's call may import it
        stranger = new_test_user(
            self.env, login="ap_stranger", groups="base.group_portal"
        )
        for user in (self.shopper, stranger):
            self._rpc_refused(
                user, "account.move", "action_amazon_punchout_import_again", [draft.id]
            )
            self._rpc_refused(
                user,
                "account.move",
                "_amazon_punchout_drop_duplicate_uploads",
                [],
                draft.ids,
            )
        self.assertFalse(draft.invoice_line_ids)
        self.assertFalse(draft.amazon_punchout_invoice_id)
        self.assertEqual(draft.amazon_punchout_match_state, "review")
        self.assertIs(
            self._rpc_ok(
                self.accountant,
                "account.move",
                "action_amazon_punchout_import_again",
                [draft.id],
            ),
            True,
        )
        self.assertTrue(draft.invoice_line_ids)
        self.assertEqual(draft.amazon_punchout_match_state, "matches")
