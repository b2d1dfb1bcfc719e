# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon's InvoiceDetailRequest → a vendor bill (or credit note).

One importer, two ways in: the inbound endpoint (a document processed by
``amazon.punchout.document``) and an accountant's upload through Odoo's own EDI
decoder hooks (``_get_import_file_type`` / ``_get_edi_decoder``). Both call
``_amazon_punchout_fill_from_invoice``, which fills an empty move inside
``_get_edi_creation`` and checks it against the document: a problem raises
``InboundProblem``, so the caller's savepoint leaves no half-made bill.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from markupsafe import Markup, escape
from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_is_zero, format_datetime, formatLang

from .. import cxml
from ..const import INBOUND_MAX_SIZE
from .amazon_punchout_document_inbound import InboundProblem

_logger = logging.getLogger(__name__)

IMPORT_FILE_TYPE = "amazon_punchout.cxml_invoice"
REFUND_PURPOSES = ("creditMemo", "lineLevelCreditMemo")
MATCH_STATES = [("matches", "Matches PO"), ("review", "Needs review")]


def _amount(money):
    """A cXML Money as a positive float (credit memos carry negative amounts)."""
    return abs(float(money.amount)) if money is not None else 0.0


class AccountMove(models.Model):
    _inherit = "account.move"

    amazon_punchout_invoice_id = fields.Char(
        string="Amazon invoice ID",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Amazon's invoiceID: one bill per invoice ID, vendor and company.",
    )
    amazon_punchout_original_invoice_id = fields.Char(
        string="Amazon original invoice",
        readonly=True,
        copy=False,
        help="The invoice a credit memo corrects (InvoiceIDInfo).",
    )
    amazon_punchout_document_id = fields.Many2one(
        "amazon.punchout.document",
        string="Amazon document",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    amazon_punchout_match_state = fields.Selection(
        MATCH_STATES,
        string="Amazon match",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Matches PO: every line is within the company's tolerances. Needs "
        "review: the differences are listed on the bill.",
    )
    amazon_punchout_match_summary = fields.Text(
        string="Amazon match notes", readonly=True, copy=False
    )
    amazon_punchout_cancel_document_id = fields.Many2one(
        "amazon.punchout.document",
        string="Amazon cancellation",
        readonly=True,
        copy=False,
        help="The document by which Amazon cancelled this invoice (operation delete).",
    )

    _amazon_punchout_invoice_unique = models.Constraint(
        "unique(company_id, partner_id, amazon_punchout_invoice_id)",
        "This Amazon invoice was already imported for this vendor and company.",
    )

    # === EDI HOOKS (upload into Vendor Bills) === #

    def _get_import_file_type(self, file_data):
        tree = file_data.get("xml_tree")
        if (
            tree is not None
            and tree.tag == "cXML"
            and tree.find("./Request/InvoiceDetailRequest") is not None
        ):
            return IMPORT_FILE_TYPE
        return super()._get_import_file_type(file_data)

    def _get_edi_decoder(self, file_data, new=False):
        if file_data.get("import_file_type") == IMPORT_FILE_TYPE:
            return {"priority": 20, "decoder": self._amazon_punchout_decode_upload}
        return super()._get_edi_decoder(file_data, new=new)

    @api.model
    def _to_files_data(self, attachments):
        # Every way in (Upload, mail alias, chatter, a PO's bill upload) reads the
        # files here, before Odoo commits: the sender's SharedSecret leaves the
        # kept attachment now, whatever the decoder does next.
        files_data = super()._to_files_data(attachments)
        for file_data in files_data:
            if file_data["import_file_type"] == IMPORT_FILE_TYPE:
                self._amazon_punchout_redact_file(file_data)
        return files_data

    @api.model
    def _amazon_punchout_redact_file(self, file_data):
        """Replace the bytes of an uploaded cXML invoice by their redacted copy."""
        redacted = cxml.redact(file_data["raw"])
        if redacted == file_data["raw"]:
            return
        file_data["raw"] = redacted
        attachment = file_data.get("attachment")
        if attachment:
            # the same record, so the bill and its chatter keep showing it;
            # checksum, size and the stored file follow the new bytes
            attachment.sudo().write({"raw": redacted, "mimetype": attachment.mimetype})

    def _amazon_punchout_decode_upload(self, invoice, file_data, new=False):
        """Decoder of an uploaded cXML invoice: None on success, else the reason.

        On failure Odoo keeps the empty draft with the file and posts the reason
        in its chatter (as for any e-invoice it cannot read, so a file is never
        lost); the draft is also marked "Needs review" with the reason and an
        activity, and "Process again" imports it once the data is fixed.
        """
        if invoice.invoice_line_ids:
            return invoice._reason_cannot_decode_has_invoice_lines()
        try:
            parsed = cxml.parse(file_data["raw"], max_size=INBOUND_MAX_SIZE)
        except cxml.CXMLError as error:
            return invoice._amazon_punchout_upload_failed(
                self.env._("unreadable cXML (%(error)s)", error=error.text)
            )
        if parsed.doc_type != "InvoiceDetailRequest":
            return invoice._amazon_punchout_upload_failed(
                self.env._("not an Amazon invoice")
            )
        try:
            with self.env.cr.savepoint():
                invoice._amazon_punchout_fill_from_invoice(parsed.body)
        except InboundProblem as problem:
            return invoice._amazon_punchout_upload_failed(str(problem), parsed.body)
        invoice.activity_ids.filtered(
            lambda a: a.summary == invoice._amazon_punchout_upload_summary()
        ).action_feedback(feedback=self.env._("Imported."))
        return None

    def _amazon_punchout_upload_summary(self):
        return self.env._("Amazon invoice not imported")

    def _amazon_punchout_upload_failed(self, reason, invoice=None):
        """Mark this empty draft with why its Amazon file was not imported.

        :return: the reason, for Odoo's chatter message
        """
        self.ensure_one()
        vals = {
            "amazon_punchout_match_state": "review",
            "amazon_punchout_match_summary": self.env._(
                "The attached Amazon invoice was not imported: %(reason)s\nFix the "
                "cause, then click Process again; or delete this draft.",
                reason=reason,
            ),
        }
        if invoice is not None and invoice.invoice_id:
            # says which invoice this draft is for; the Amazon invoice ID itself is
            # only set by a successful import
            vals["ref"] = invoice.invoice_id
        self.write(vals)
        summary = self._amazon_punchout_upload_summary()
        existing = self.activity_ids.filtered(lambda a: a.summary == summary)
        if existing:
            existing.note = reason
            return reason
        user = self.env.user
        if user.share or not user.active:  # e.g. a mail alias
            user = self.env[
                "amazon.punchout.document"
            ]._amazon_punchout_attention_user()
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=summary,
            note=reason,
            user_id=user.id,
        )
        return reason

    def _amazon_punchout_upload_files(self):
        """The Amazon cXML invoices attached to this move, as Odoo's files data."""
        self.ensure_one()
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)], order="id"
        )
        return [
            file_data
            for file_data in self._to_files_data(attachments)
            if file_data["import_file_type"] == IMPORT_FILE_TYPE
        ]

    def _amazon_punchout_is_failed_upload(self):
        self.ensure_one()
        return (
            self.state == "draft"
            and self.amazon_punchout_match_state == "review"
            and not self.amazon_punchout_invoice_id
            and not self.invoice_line_ids
        )

    def action_amazon_punchout_import_again(self):
        """Import the attached Amazon invoice again, once the data is fixed."""
        self.ensure_one()
        self.check_access("write")
        if not self._amazon_punchout_is_failed_upload():
            raise UserError(
                self.env._(
                    "Only an empty draft whose Amazon invoice was not imported can "
                    "be processed again."
                )
            )
        files_data = self._amazon_punchout_upload_files()
        if not files_data:
            raise UserError(self.env._("No Amazon cXML invoice is attached here."))
        if self._extend_with_attachments(files_data[-1:]):
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": self.amazon_punchout_match_summary,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _amazon_punchout_drop_duplicate_uploads(self, moves):
        """Uploads of an invoice that already has its bill leave no empty draft.

        :return: ``moves`` with each such draft replaced by the existing bill
        """
        result = self.browse()
        for move in moves:
            existing = self.browse()
            if move.ref and move._amazon_punchout_is_failed_upload():
                existing = self.search(
                    [
                        ("company_id", "=", move.company_id.id),
                        ("amazon_punchout_invoice_id", "=", move.ref),
                    ],
                    limit=1,
                )
            if not existing:
                result |= move
                continue
            existing.message_post(
                body=self.env._(
                    "%(user)s uploaded Amazon invoice %(invoice)s again: it is this "
                    "bill, no second bill was made.",
                    user=self.env.user.name,
                    invoice=move.ref,
                ),
                subtype_xmlid="mail.mt_note",
            )
            move.unlink()
            result |= existing
        return result

    def _link_bill_origin_to_purchase_orders(self, timeout=10):
        # Odoo's matching by total replaces the lines of a bill with its guess of
        # the order (odoo19-notes §2.4); Amazon bills are linked line by line.
        others = self.filtered(lambda move: not move.amazon_punchout_invoice_id)
        return super(AccountMove, others)._link_bill_origin_to_purchase_orders(
            timeout=timeout
        )

    # === BUSINESS METHODS: import === #

    @api.model
    def _amazon_punchout_create_from_document(self, document, invoice):
        """A bill from an inbound document: created, checked, matched, attached."""
        company = document.company_id or document.account_id.company_id
        move = self.with_company(company).create(
            {
                "move_type": "in_refund"
                if invoice.purpose in REFUND_PURPOSES
                else "in_invoice",
                "company_id": company.id,
                "amazon_punchout_document_id": document.id,
            }
        )
        move._amazon_punchout_fill_from_invoice(invoice, account=document.account_id)
        self.env["ir.attachment"].create(
            {
                "name": f"{invoice.invoice_id}.xml",
                "raw": document._amazon_punchout_raw(),
                "mimetype": "application/xml",
                "res_model": "account.move",
                "res_id": move.id,
            }
        )
        return move

    def _amazon_punchout_fill_from_invoice(self, invoice, account=None):
        """Fill this empty move from an ``cxml.InvoiceDetailRequest``.

        :raise InboundProblem: the document cannot become a correct bill
        """
        self.ensure_one()
        self._amazon_punchout_check_header(invoice)
        orders, account = self._amazon_punchout_invoice_orders(invoice, account)
        company = account.sudo().company_id
        partner = account.sudo().partner_id.commercial_partner_id
        self._amazon_punchout_check_duplicate(invoice, company, partner)
        cancellation = self._amazon_punchout_cancellation_of(
            invoice.invoice_id, company, partner
        )
        if cancellation:
            raise InboundProblem(
                self._amazon_punchout_cancelled_text(invoice.invoice_id, cancellation)
            )
        currency = self._amazon_punchout_invoice_currency(invoice, orders)
        builder = _BillBuilder(self.with_company(company), invoice, orders, currency)
        line_vals = builder.lines()
        invoice_date = invoice.invoice_date.date()
        vals = {
            "move_type": "in_refund"
            if invoice.purpose in REFUND_PURPOSES
            else "in_invoice",
            "partner_id": partner.id,
            "ref": invoice.invoice_id,
            "amazon_punchout_invoice_id": invoice.invoice_id,
            "amazon_punchout_original_invoice_id": invoice.original_invoice_id,
            "invoice_date": invoice_date,
            "date": invoice_date,
            "currency_id": currency.id,
            "invoice_origin": ", ".join(orders.mapped("name")),
            "narration": "\n".join(c for c in invoice.comments if c) or False,
            "invoice_line_ids": [fields.Command.create(v) for v in line_vals],
        }
        days = next(
            (
                t.pay_in_number_of_days
                for t in invoice.payment_terms
                if t.pay_in_number_of_days is not None
            ),
            None,
        )
        if days is not None:
            vals["invoice_payment_term_id"] = False
            vals["invoice_date_due"] = invoice_date + timedelta(days=days)
        with self._get_edi_creation() as move:
            move.write(vals)
        try:
            self.env.flush_all()
        except IntegrityError as error:
            # the same invoice committed meanwhile by another transaction
            if "amazon_punchout_invoice_unique" not in str(error):
                raise
            raise InboundProblem(
                self._amazon_punchout_duplicate_text(invoice)
            ) from error
        self._amazon_punchout_check_totals(invoice)
        self._amazon_punchout_match(orders)
        return True

    def _amazon_punchout_check_header(self, invoice):
        if not invoice.invoice_id:
            raise InboundProblem(self.env._("The invoice has no invoiceID."))
        if not invoice.invoice_date:
            raise InboundProblem(
                self.env._(
                    "Invoice %(invoice)s has no readable invoiceDate.",
                    invoice=invoice.invoice_id,
                )
            )
        if invoice.operation == "delete":
            # Applied where Amazon posts it (the inbound address), not as a bill.
            raise InboundProblem(
                self.env._(
                    "This is Amazon's cancellation of invoice %(invoice)s (operation "
                    "delete), not an invoice: it makes no bill. Posted by Amazon to "
                    "the inbound address, it cancels the bill of that invoice.",
                    invoice=invoice.invoice_id,
                )
            )
        if invoice.is_information_only:
            raise InboundProblem(
                self.env._(
                    "Invoice %(invoice)s is for information only: no bill is made.",
                    invoice=invoice.invoice_id,
                )
            )
        if not invoice.orders:
            raise InboundProblem(
                self.env._(
                    "Invoice %(invoice)s names no order.", invoice=invoice.invoice_id
                )
            )

    def _amazon_punchout_invoice_orders(self, invoice, account):
        """The purchase orders the invoice's orders point to, and their account."""
        Order = self.env["purchase.order"].sudo()
        orders = Order.browse()
        for detail in invoice.orders:
            if account:
                order = Order._amazon_punchout_match_order(
                    account, detail.order_id, detail.order_payload_id
                )
            else:
                # An upload: the order is found among the company's Amazon orders.
                order = Order.search(
                    [
                        ("name", "=", detail.order_id or ""),
                        ("amazon_punchout_account_id", "!=", False),
                        ("company_id", "in", self.env.companies.ids),
                    ],
                    limit=1,
                )
                if not order:
                    raise InboundProblem(
                        self.env._(
                            "No Amazon purchase order is named %(name)s.",
                            name=detail.order_id or "-",
                        )
                    )
                account = order.amazon_punchout_account_id
            if order.state != "purchase":
                raise InboundProblem(
                    self.env._(
                        "Order %(order)s is not a confirmed purchase order.",
                        order=order.name,
                    )
                )
            orders |= order
        return orders.with_env(self.env), account

    def _amazon_punchout_duplicate_text(self, invoice, existing=None):
        if existing:
            return self.env._(
                "Amazon invoice %(invoice)s was already imported as %(bill)s: no "
                "second bill is made.",
                invoice=invoice.invoice_id,
                bill=existing.display_name,
            )
        return self.env._(
            "Amazon invoice %(invoice)s was already imported: no second bill is made.",
            invoice=invoice.invoice_id,
        )

    def _amazon_punchout_check_duplicate(self, invoice, company, partner):
        existing = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "=", partner.id),
                    ("amazon_punchout_invoice_id", "=", invoice.invoice_id),
                    ("id", "!=", self.id),
                ],
                limit=1,
            )
        )
        if existing:
            raise InboundProblem(
                self._amazon_punchout_duplicate_text(invoice, existing)
            )

    def _amazon_punchout_invoice_currency(self, invoice, orders):
        money = invoice.net_amount or invoice.subtotal_amount or invoice.due_amount
        code = money.currency if money else orders[:1].currency_id.name
        currency = self.env["res.currency"].with_context(active_test=False)
        currency = currency.search([("name", "=", code)], limit=1)
        if not currency or not currency.active:
            raise InboundProblem(
                self.env._(
                    "Invoice %(invoice)s is in %(currency)s, which is not active.",
                    invoice=invoice.invoice_id,
                    currency=code,
                )
            )
        other = orders.filtered(lambda o: o.currency_id != currency)
        if other:
            raise InboundProblem(
                self.env._(
                    "Invoice %(invoice)s is in %(currency)s but order %(order)s is "
                    "in %(order_currency)s.",
                    invoice=invoice.invoice_id,
                    currency=code,
                    order=other[0].name,
                    order_currency=other[0].currency_id.name,
                )
            )
        return currency

    def _amazon_punchout_check_totals(self, invoice):
        """The bill's untaxed, tax and total amounts are the document's.

        Tax rounding differences (Amazon rounds per line or per document) are
        absorbed into the bill's tax line as Odoo's UBL import does; anything else
        is a problem.
        """
        self.ensure_one()
        currency = self.currency_id
        subtotal = _amount(invoice.subtotal_amount)
        tax = _amount(invoice.tax)
        shipping = _amount(invoice.shipping_amount)
        handling = _amount(invoice.special_handling_amount)
        discount = _amount(invoice.discount.amount if invoice.discount else None)
        deposit = _amount(invoice.deposit_amount)
        untaxed = currency.round(subtotal + shipping + handling - discount - deposit)
        if invoice.net_amount is not None:
            net = _amount(invoice.net_amount)
            expected_net = currency.round(
                subtotal + tax + shipping + handling - discount
            )
            if currency.compare_amounts(net, expected_net):
                raise InboundProblem(
                    self.env._(
                        "The totals of invoice %(invoice)s do not add up: subtotal "
                        "%(subtotal)s + tax %(tax)s + shipping %(shipping)s + special "
                        "handling %(handling)s - discount %(discount)s is "
                        "%(expected)s, the document says %(net)s.",
                        invoice=invoice.invoice_id,
                        subtotal=subtotal,
                        tax=tax,
                        shipping=shipping,
                        handling=handling,
                        discount=discount,
                        expected=expected_net,
                        net=net,
                    )
                )
        if currency.compare_amounts(self.amount_untaxed, untaxed):
            raise InboundProblem(
                self.env._(
                    "The lines of invoice %(invoice)s add up to %(lines)s before "
                    "tax, its summary says %(untaxed)s.",
                    invoice=invoice.invoice_id,
                    lines=self.amount_untaxed,
                    untaxed=untaxed,
                )
            )
        difference = currency.round(tax - self.amount_tax)
        if not currency.is_zero(difference):
            tax_lines = self.line_ids.filtered("tax_line_id")
            allowed = currency.rounding * max(len(self.invoice_line_ids), 1)
            if not tax_lines or abs(difference) > allowed + currency.rounding / 2:
                raise InboundProblem(
                    self.env._(
                        "Invoice %(invoice)s charges %(tax)s tax; its lines with the "
                        "company's taxes give %(odoo)s.",
                        invoice=invoice.invoice_id,
                        tax=tax,
                        odoo=self.amount_tax,
                    )
                )
            sign = -1 if self.is_inbound(include_receipts=True) else 1
            tax_lines[:1].amount_currency += sign * difference
        total = currency.round(untaxed + tax)
        if currency.compare_amounts(self.amount_total, total):
            raise InboundProblem(
                self.env._(
                    "Bill total %(bill)s differs from invoice %(invoice)s's %(total)s.",
                    bill=self.amount_total,
                    invoice=invoice.invoice_id,
                    total=total,
                )
            )

    # === BUSINESS METHODS: cancellation (operation delete) === #

    @api.model
    def _amazon_punchout_cancellation_of(self, invoice_id, company, partner):
        """Amazon's stored cancellation of ``invoice_id``, if any.

        Any stored cancellation counts, processed or not: Amazon said so, and a
        copy of the invoice arriving after it (out of order) makes no bill.
        """
        return (
            self.env["amazon.punchout.document"]
            .sudo()
            .search(
                [
                    ("direction", "=", "inbound"),
                    ("doc_type", "=", "InvoiceDetailRequest"),
                    ("invoice_cancellation", "=", True),
                    ("amazon_reference", "=", invoice_id),
                    ("company_id", "=", company.id),
                    ("account_id.partner_id.commercial_partner_id", "=", partner.id),
                ],
                order="id",
                limit=1,
            )
        )

    def _amazon_punchout_cancelled_text(self, invoice_id, cancellation):
        return self.env._(
            "Amazon cancelled invoice %(invoice)s on %(date)s (%(document)s): no "
            "bill is made from it.",
            invoice=invoice_id,
            date=format_datetime(self.env, cancellation.create_date),
            document=cancellation.display_name,
        )

    @api.model
    def _amazon_punchout_cancel_from_document(self, document, invoice):
        """Apply Amazon's cancellation of an invoice it sent (operation delete).

        A draft bill is cancelled. A posted bill keeps its accounting, as any
        posted entry: it is flagged "Needs review" and an accountant gets an
        activity to reverse it with a credit note. Without a bill, the document
        itself records the cancellation (see ``_amazon_punchout_cancellation_of``).
        Applying it again changes nothing.

        :return: the bill of the cancelled invoice, or an empty recordset
        """
        account = document.account_id
        company = document.company_id or account.company_id
        partner = account.sudo().partner_id.commercial_partner_id
        bill = (
            self.sudo()
            .with_company(company)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "=", partner.id),
                    ("amazon_punchout_invoice_id", "=", invoice.invoice_id),
                ],
                limit=1,
            )
        )
        if not bill:
            document.message_post(
                body=self.env._(
                    "Amazon cancels invoice %(invoice)s, which has no bill here: a "
                    "copy of it arriving later makes no bill.",
                    invoice=invoice.invoice_id,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return bill
        if bill.amazon_punchout_cancel_document_id or bill.state == "cancel":
            return bill
        cancelled = self.env._(
            "Amazon cancelled invoice %(invoice)s on %(date)s (%(document)s).",
            invoice=invoice.invoice_id,
            date=format_datetime(self.env, document.create_date),
            document=document.display_name,
        )
        review = bill.activity_ids.filtered(
            lambda a: a.summary == self.env._("Review Amazon bill")
        )
        if bill.state == "draft":
            bill.button_cancel()
            bill.amazon_punchout_cancel_document_id = document
            review.action_feedback(feedback=cancelled)
            bill.message_post(
                body=self.env._(
                    "%(cancelled)s This draft bill is cancelled.", cancelled=cancelled
                ),
                subtype_xmlid="mail.mt_note",
            )
            return bill
        if bill.payment_state == "reversed":
            todo = self.env._("The bill is already reversed: nothing is left to do.")
        else:
            todo = self.env._(
                "The bill is posted, so it stays as it is: reverse it with a credit "
                "note (Credit Note button)."
            )
        note = f"{cancelled} {todo}"
        bill.write(
            {
                "amazon_punchout_cancel_document_id": document.id,
                "amazon_punchout_match_state": "review",
                "amazon_punchout_match_summary": "\n".join(
                    filter(None, [note, bill.amazon_punchout_match_summary])
                ),
            }
        )
        bill.message_post(body=note, subtype_xmlid="mail.mt_note")
        if bill.payment_state != "reversed":
            bill.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Reverse the bill Amazon cancelled"),
                note=note,
                user_id=bill._amazon_punchout_accountant().id,
            )
        return bill

    def _amazon_punchout_accountant(self):
        """Who reverses this bill: its creator if an accountant, else a billing
        administrator of its company, else a purchase manager."""
        self.ensure_one()

        def usable(user):
            return (
                user.active
                and not user.share
                and self.company_id in user.company_ids
                and user.has_group("account.group_account_invoice")
            )

        if usable(self.create_uid):
            return self.create_uid
        managers = (
            self.env.ref("account.group_account_manager")
            .sudo()
            .user_ids.filtered(usable)
        )
        return (
            managers.sorted("id")[:1]
            or self.env["amazon.punchout.document"]._amazon_punchout_attention_user()
        )

    # === BUSINESS METHODS: matching === #

    def _amazon_punchout_match(self, orders):
        """Compare each line with its order line; write the notes and the state."""
        self.ensure_one()
        company = self.company_id
        tolerance_amount = company.amazon_punchout_match_tolerance_amount
        tolerance_percent = company.amazon_punchout_match_tolerance_percent
        review = False
        notes = []
        line_notes = {}
        refund = self.move_type == "in_refund"
        lines = self.invoice_line_ids.filtered(
            lambda aml: aml.display_type == "product"
        )
        for line in lines:
            note, ok = line._amazon_punchout_match_line(
                refund, tolerance_amount, tolerance_percent
            )
            line_notes[line.id] = note
            review = review or not ok
            if not ok:
                notes.append(note)
        for order in orders:
            if order.amazon_punchout_estimated_tax:
                notes.append(
                    self.env._(
                        "Order %(order)s: Amazon estimated %(estimate)s tax at "
                        "checkout, Odoo computed %(odoo)s on the order.",
                        order=order.name,
                        estimate=formatLang(
                            self.env,
                            order.amazon_punchout_estimated_tax,
                            currency_obj=order.currency_id,
                        ),
                        odoo=formatLang(
                            self.env, order.amount_tax, currency_obj=order.currency_id
                        ),
                    )
                )
        self.write(
            {
                "amazon_punchout_match_state": "review" if review else "matches",
                "amazon_punchout_match_summary": "\n".join(notes) or False,
            }
        )
        self._amazon_punchout_write_line_notes(line_notes)
        if review:
            self._amazon_punchout_review_activity(orders)

    def _amazon_punchout_write_line_notes(self, notes):
        """Store each line's match note ({line id: note}) in one UPDATE.

        The notes are words for the accountant, not accounting: a write per line
        would re-balance and re-sync the whole bill each time (two thirds of an
        import's time for 200 lines, bench/bench-invoice).
        """
        if not notes:
            return
        lines = self.env["account.move.line"].browse(notes)
        lines.flush_recordset(["amazon_punchout_match_note"])
        self.env.cr.execute(
            SQL(
                "UPDATE account_move_line SET amazon_punchout_match_note = v.note "
                "FROM (VALUES %s) AS v(id, note) WHERE account_move_line.id = v.id",
                SQL(", ").join(
                    SQL("(%s, %s::varchar)", line_id, note or None)
                    for line_id, note in notes.items()
                ),
            )
        )
        lines.invalidate_recordset(["amazon_punchout_match_note"])

    def _amazon_punchout_review_activity(self, orders):
        user = orders[:1].user_id
        if not user or user.share or not user.active:
            user = self.env[
                "amazon.punchout.document"
            ]._amazon_punchout_attention_user()
        summary = self.env._("Review Amazon bill")
        if self.activity_ids.filtered(lambda a: a.summary == summary):
            return
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=Markup("<br/>").join(
                escape(n)
                for n in (self.amazon_punchout_match_summary or "").split("\n")
            ),
            user_id=user.id,
        )

    def _amazon_punchout_after_import(self):
        """Post the bills that match when the company asks for it."""
        for move in self:
            if (
                move.company_id.amazon_punchout_autopost_matching
                and move.amazon_punchout_match_state == "matches"
                and move.state == "draft"
            ):
                move.action_post()


class _BillBuilder:
    """The values of the bill lines of one invoice (no database writes)."""

    def __init__(self, move, invoice, orders, currency):
        self.move = move
        self.env = move.env
        self.invoice = invoice
        self.orders = orders
        self.currency = currency
        self.company = move.env.company
        self.refund = invoice.purpose in REFUND_PURPOSES
        self._taxes = {}
        self._estimates = {
            order: order.order_line.filtered("amazon_punchout_is_estimate")[:1]
            for order in orders
        }

    # --- taxes ---

    def _find_tax(self, detail, where):
        """The company's purchase tax of a TaxDetail's rate (never invented)."""
        rate = detail.percentage_rate
        if rate is None:
            taxable = _amount(detail.taxable_amount)
            amount = _amount(detail.tax_amount)
            if not taxable:
                raise InboundProblem(
                    self.env._(
                        "%(where)s: a %(category)s tax without rate.",
                        where=where,
                        category=detail.category,
                    )
                )
            rate = (Decimal(str(amount)) * 100 / Decimal(str(taxable))).quantize(
                Decimal("0.01")
            )
        key = float(rate)
        if key not in self._taxes:
            Tax = self.env["account.tax"]
            domain = [
                *Tax._check_company_domain(self.company),
                ("type_tax_use", "=", "purchase"),
                ("amount_type", "=", "percent"),
                ("amount", "=", key),
            ]
            tax = Tax.search(domain + [("price_include", "=", False)], limit=1)
            self._taxes[key] = tax or Tax.search(
                domain + [("price_include", "=", True)], limit=1
            )
        tax = self._taxes[key]
        if not tax and key:
            raise InboundProblem(
                self.env._(
                    "%(where)s: Amazon charges %(rate)s %% %(category)s tax and "
                    "%(company)s has no purchase tax of that rate: create one (or "
                    "activate it), then process the document again.",
                    where=where,
                    rate=key,
                    category=detail.category,
                    company=self.company.name,
                )
            )
        return tax

    def _taxes_of(self, tax_money, details, where, purposes=None):
        """Taxes of a line from its TaxDetails (only those of ``purposes``)."""
        taxes = self.env["account.tax"]
        for detail in details:
            if purposes and detail.purpose and detail.purpose not in purposes:
                continue
            if (
                detail.tax_amount is not None
                and not _amount(detail.tax_amount)
                and not detail.percentage_rate
            ):
                continue
            taxes |= self._find_tax(detail, where)
        if not taxes and _amount(tax_money) and not details:
            raise InboundProblem(
                self.env._(
                    "%(where)s: Amazon charges %(tax)s tax without a rate.",
                    where=where,
                    tax=_amount(tax_money),
                )
            )
        return taxes

    def _header_taxes(self):
        """The summary's taxes, for invoices that carry tax only in the summary."""
        invoice = self.invoice
        return self._taxes_of(
            invoice.tax,
            invoice.tax_details,
            self.env._("Invoice %(invoice)s", invoice=invoice.invoice_id),
            purposes=("tax", "subtotalTax", None),
        )

    # --- lines ---

    def lines(self):
        invoice = self.invoice
        vals = []
        header_taxes = None
        if not invoice.is_tax_in_line and _amount(invoice.tax):
            header_taxes = self._header_taxes()
        for detail, order in zip(invoice.orders, self._ordered(), strict=True):
            if detail.summary is not None:
                vals += self._summary_lines(detail, order, header_taxes)
                continue
            by_number = {
                line.amazon_punchout_line_number: line
                for line in order._amazon_punchout_item_lines()
            }
            by_aux = {
                line.amazon_punchout_aux_id: line
                for line in by_number.values()
                if line.amazon_punchout_aux_id
            }
            for item in detail.items:
                vals += self._item_lines(item, order, by_number, by_aux, header_taxes)
        vals += self._summary_charges()
        for sequence, line in enumerate(vals, start=1):
            line["sequence"] = sequence
        return vals

    def _ordered(self):
        """The order of each InvoiceDetailOrder, in the document's order."""
        by_name = {order.name: order for order in self.orders}
        result = []
        for detail in self.invoice.orders:
            order = by_name.get(detail.order_id)
            if order is None:
                # matched by payloadID only
                order = (
                    self.orders[len(result)]
                    if len(self.orders) > len(result)
                    else self.orders[:1]
                )
            result.append(order)
        return result

    def _quantity(self, item, where):
        quantity = item.quantity
        if quantity is None:
            raise InboundProblem(self.env._("%(where)s has no quantity.", where=where))
        if quantity == 0 or (quantity < 0 and not self.refund):
            raise InboundProblem(
                self.env._(
                    "%(where)s invoices a quantity of %(quantity)s.",
                    where=where,
                    quantity=quantity,
                )
            )
        return abs(float(quantity))

    def _item_lines(self, item, order, by_number, by_aux, header_taxes):
        where = self.env._(
            "Invoice line %(number)s (order %(order)s line %(line)s)",
            number=item.invoice_line_number,
            order=order.name,
            line=item.line_number,
        )
        po_line = by_number.get(item.line_number) or by_aux.get(
            item.supplier_part_auxiliary_id
        )
        quantity = self._quantity(item, where)
        if item.unit_price is None:
            raise InboundProblem(
                self.env._("%(where)s has no unit price.", where=where)
            )
        price = _amount(item.unit_price)
        if item.subtotal_amount is not None and price:
            # the subtotal wins where Amazon's per-unit price was rounded
            subtotal = _amount(item.subtotal_amount)
            if self.currency.compare_amounts(subtotal, quantity * price):
                price = subtotal / quantity
        if header_taxes is not None:
            taxes = header_taxes
        else:
            taxes = self._taxes_of(
                item.tax,
                item.tax_details,
                where,
                purposes=("tax", "subtotalTax", None),
            )
        if taxes and all(taxes.mapped("price_include")):
            price *= 1 + sum(taxes.mapped("amount")) / 100
        name = item.description or (po_line.name if po_line else "") or where
        if po_line:
            vals = po_line._prepare_account_move_line(self.move)
            vals.update(
                {
                    "name": name,
                    "quantity": quantity,
                    "price_unit": price,
                    "discount": 0.0,
                    "tax_ids": [fields.Command.set(taxes.ids)],
                }
            )
        else:
            vals = {
                "name": self.env._(
                    "%(name)s (not on order %(order)s)", name=name, order=order.name
                ),
                "quantity": quantity,
                "price_unit": price,
                "tax_ids": [fields.Command.set(taxes.ids)],
            }
        vals["amazon_punchout_invoice_line_number"] = item.invoice_line_number
        vals["amazon_punchout_line_number"] = item.line_number
        out = [vals]
        label = item.description or name
        shipping_taxes = self._taxes_of(
            None, item.tax_details, where, purposes=("shippingTax",)
        )
        out += self._charge(
            "shipping", item.shipping, label, order, shipping_taxes, where
        )
        out += self._charge(
            "special_handling", item.special_handling, label, order, taxes, where
        )
        if item.discount is not None:
            out += self._charge(
                "discount", item.discount.amount, label, order, taxes, where, sign=-1
            )
        return out

    def _summary_lines(self, detail, order, header_taxes):
        """A header invoice or summary-only credit memo: one line per order."""
        summary = detail.summary
        where = self.env._("Order %(order)s (no item lines)", order=order.name)
        taxes = (
            header_taxes
            if header_taxes is not None
            else self._taxes_of(summary.tax, summary.tax_details, where)
        )
        if self.refund:
            name = self.env._(
                "Credit on order %(order)s (summary without item lines)",
                order=order.name,
            )
        else:
            name = self.env._(
                "Order %(order)s, invoiced as a whole (header invoice)",
                order=order.name,
            )
        comments = " ".join(c for c in summary.comments if c)
        vals = [
            {
                "name": f"{name}: {comments}" if comments else name,
                "quantity": 1.0,
                "price_unit": _amount(summary.subtotal_amount),
                "tax_ids": [fields.Command.set(taxes.ids)],
                "amazon_punchout_invoice_line_number": summary.invoice_line_number,
            }
        ]
        vals += self._charge("shipping", summary.shipping, name, order, None, where)
        vals += self._charge(
            "special_handling", summary.special_handling, name, order, taxes, where
        )
        if summary.discount is not None:
            vals += self._charge(
                "discount", summary.discount.amount, name, order, taxes, where, sign=-1
            )
        return vals

    def _summary_charges(self):
        """Charges given only in the summary (not in the lines)."""
        invoice = self.invoice
        order = self.orders[:1]
        name = self.env._("Invoice %(invoice)s", invoice=invoice.invoice_id)
        summaries = [d.summary for d in invoice.orders if d.summary is not None]
        out = []
        if not invoice.is_shipping_in_line and not any(s.shipping for s in summaries):
            taxes = self._taxes_of(
                None, invoice.tax_details, name, purposes=("shippingTax",)
            )
            out += self._charge(
                "shipping", invoice.shipping_amount, name, order, taxes, name
            )
        if not invoice.is_special_handling_in_line and not any(
            s.special_handling for s in summaries
        ):
            out += self._charge(
                "special_handling",
                invoice.special_handling_amount,
                invoice.special_handling_description or name,
                order,
                None,
                name,
            )
        if not invoice.is_discount_in_line and invoice.discount is not None:
            out += self._charge(
                "discount", invoice.discount.amount, name, order, None, name, sign=-1
            )
        out += self._charge(
            "deposit", invoice.deposit_amount, name, order, None, name, sign=-1
        )
        return out

    def _charge(self, kind, money, label, order, taxes, where, sign=1):
        """One line of a charge (shipping, handling, discount, deposit), if any."""
        amount = _amount(money)
        if float_is_zero(amount, precision_rounding=self.currency.rounding):
            return []
        titles = {
            "shipping": self.env._("Shipping"),
            "special_handling": self.env._("Special handling"),
            "discount": self.env._("Discount"),
            "deposit": self.env._("Deposit"),
        }
        product = self.company._amazon_punchout_charge_product(kind)
        if not product:
            raise InboundProblem(
                self.env._(
                    "%(where)s: no product is set for Amazon's %(kind)s lines.",
                    where=where,
                    kind=titles[kind],
                )
            )
        vals = {
            "product_id": product.id,
            "name": f"{titles[kind]}: {label}",
            "quantity": 1.0,
            "price_unit": sign * amount,
            "tax_ids": [fields.Command.set(taxes.ids if taxes else [])],
            "amazon_punchout_charge": kind,
        }
        estimate = self._estimates.get(order)
        if kind == "shipping" and estimate and not self.refund:
            billed = sum(
                estimate.invoice_lines.filtered(
                    lambda aml: aml.parent_state != "cancel"
                ).mapped("quantity")
            )
            if float_compare(billed, estimate.product_qty, precision_digits=2) < 0:
                # the estimate's line is billed by the first shipping charge
                self._estimates[order] = None
                vals["purchase_line_id"] = estimate.id
        return [vals]
