# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Inbound documents: what Amazon posts to /amazon_punchout/cxml/<token>.

Receiving and processing are two steps. Receiving authenticates, stores the
document (redacted) and commits: only that decides Amazon's answer. Processing
applies it to the purchase order in a savepoint, all or nothing; a document that
cannot be applied waits in "Needs attention" with the reason, and "Process again"
applies it once the data is fixed. Applying is idempotent: order lines are
recomputed from every processed document of the order, so a document applied
twice, or documents arriving out of order, give the same result.
"""

import logging
from datetime import timedelta, timezone

from psycopg2 import IntegrityError, OperationalError

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import cxml
from ..const import INBOUND_MAX_SIZE, INBOUND_PROCESS_BATCH, INBOUND_STALE_MINUTES

_logger = logging.getLogger(__name__)

# Received, stored and applied: to the order (confirmations, ship notices) or as a
# vendor bill (invoices, see account_move.py).
INBOUND_TYPES = ("ConfirmationRequest", "ShipNoticeRequest", "InvoiceDetailRequest")
PROCESSED_TYPES = INBOUND_TYPES


class InboundProblem(Exception):
    """The document cannot be applied as it is: the text says why, for people."""


def to_utc_naive(value):
    """A parsed cXML datetime as Odoo stores it (naive UTC), or False."""
    if not value:
        return False
    if getattr(value, "tzinfo", None) is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


class AmazonPunchoutDocument(models.Model):
    _name = "amazon.punchout.document"
    _inherit = ["amazon.punchout.document", "mail.thread", "mail.activity.mixin"]

    notice_date = fields.Datetime(
        readonly=True, help="Amazon's noticeDate: the latest notice wins."
    )
    amazon_reference = fields.Char(
        string="Amazon reference",
        readonly=True,
        help="Amazon order number (confirmations) or shipment ID (ship notices).",
    )
    processed_at = fields.Datetime(readonly=True)
    bill_id = fields.Many2one(
        "account.move",
        string="Vendor bill",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The bill or credit note made from this invoice, or the one it cancels.",
    )
    invoice_cancellation = fields.Boolean(
        string="Cancels an invoice",
        readonly=True,
        help="Amazon cancels the invoice of this Amazon reference (operation "
        "delete): its draft bill is cancelled, a posted one is flagged for a credit "
        "note, and a copy of the invoice arriving later makes no bill.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Activities need the chatter; documents need no followers nor creation log.
        return super(
            AmazonPunchoutDocument,
            self.with_context(mail_create_nosubscribe=True, mail_create_nolog=True),
        ).create(vals_list)

    # === RECEIVING (called by the controller) === #

    def _amazon_punchout_receive_inbound(self, token, data, basic_auth=None):
        """Authenticate and store one inbound document, without processing it.

        :param str token: the token of the URL
        :param bytes data: the body
        :param tuple basic_auth: (user, password) of an HTTP Basic header, or None
        :return: (HTTP status, cXML status code, text, document or empty recordset);
            the caller commits, then processes the document
        """
        Document = self.sudo()
        account = self.env["amazon.punchout.account"].sudo()
        account = account._amazon_punchout_inbound_account(token)
        if not account:
            _logger.info("Inbound cXML on an unknown address refused")
            return 401, 401, "Unauthorized", Document
        if not account._amazon_punchout_check_basic_auth(basic_auth):
            _logger.info("Inbound cXML for %s: wrong HTTP credentials", account.name)
            return 401, 401, "Unauthorized", Document
        try:
            parsed = cxml.parse(data, max_size=INBOUND_MAX_SIZE)
        except cxml.CXMLSizeError:
            return 413, 400, "Document too large", Document
        except cxml.CXMLError as error:
            _logger.info("Unreadable inbound cXML for %s: %s", account.name, error)
            return 400, 400, error.text[:300], Document
        if not account._amazon_punchout_check_inbound_credentials(parsed.header):
            _logger.info(
                "Inbound cXML for %s: credentials not recognised (sender %s)",
                account.name,
                parsed.header and parsed.header.sender.identity,
            )
            return 401, 401, "Unauthorized", Document
        if parsed.doc_type not in INBOUND_TYPES:
            return 400, 400, f"{parsed.doc_type} is not received here", Document
        if not parsed.payload_id:
            return 400, 400, "payloadID missing", Document
        document = Document._amazon_punchout_find_inbound(account, parsed.payload_id)
        if document:
            _logger.info("Inbound cXML %s received again", parsed.payload_id)
            return 200, document.status_code, document.status_text, Document
        try:
            with self.env.cr.savepoint():
                document = Document._amazon_punchout_store_inbound(
                    account, parsed, data
                )
        except IntegrityError:
            # Another worker stored the same payloadID meanwhile: its commit is only
            # visible to a new transaction.
            self.env.cr.rollback()
            document = Document._amazon_punchout_find_inbound(
                account, parsed.payload_id
            )
            if not document:
                raise
            return 200, document.status_code, document.status_text, Document
        return 200, 200, "OK", document

    def _amazon_punchout_find_inbound(self, account, payload_id):
        return self.search(
            [
                ("account_id", "=", account.id),
                ("direction", "=", "inbound"),
                ("payload_id", "=", payload_id),
            ],
            limit=1,
        )

    def _amazon_punchout_store_inbound(self, account, parsed, data):
        body = parsed.body
        reference = None
        if parsed.doc_type == "ConfirmationRequest":
            reference = body.confirm_id
        elif parsed.doc_type == "ShipNoticeRequest":
            reference = body.shipment_id
        elif parsed.doc_type == "InvoiceDetailRequest":
            reference = body.invoice_id
        cancellation = (
            parsed.doc_type == "InvoiceDetailRequest" and body.operation == "delete"
        )
        document = self.create(
            {
                "direction": "inbound",
                "doc_type": parsed.doc_type,
                "state": "input_received",
                "payload_id": parsed.payload_id,
                "payload_timestamp": to_utc_naive(parsed.timestamp),
                "notice_date": to_utc_naive(getattr(body, "notice_date", None)),
                "amazon_reference": reference,
                # stored with the document, so the cancellation is known even
                # before it is processed (a copy of the invoice may race it)
                "invoice_cancellation": cancellation,
                "account_id": account.id,
                "company_id": account.company_id.id,
                "warnings": "\n".join(parsed.warnings) or False,
                "status_code": 200,
                "status_text": "OK",
            }
        )
        document._amazon_punchout_attach(data)
        return document

    # === PROCESSING === #

    def _amazon_punchout_process_inbound(self):
        """Apply each document to its order, one savepoint each: all or nothing.

        A document that cannot be applied goes to "Needs attention". Other errors
        (a bug, a concurrent update) propagate: the document stays "Received" and
        the cron tries again.
        """
        for document in self:
            if (
                document.direction != "inbound"
                or document.doc_type not in PROCESSED_TYPES
                or document.state not in ("input_received", "input_error")
            ):
                continue
            try:
                with self.env.cr.savepoint():
                    document._amazon_punchout_apply_inbound()
            except InboundProblem as problem:
                document._amazon_punchout_needs_attention(str(problem))
            else:
                document.write(
                    {
                        "state": "input_processed",
                        "error": False,
                        "processed_at": fields.Datetime.now(),
                    }
                )
                document.activity_ids.action_feedback(
                    feedback=self.env._("Processed again.")
                )
                document.bill_id._amazon_punchout_after_import()

    def _amazon_punchout_parsed(self):
        """The stored document, parsed again (it is stored redacted, not changed)."""
        self.ensure_one()
        try:
            return cxml.parse(self._amazon_punchout_raw(), max_size=INBOUND_MAX_SIZE)
        except cxml.CXMLError as error:
            raise InboundProblem(
                self.env._(
                    "The stored document cannot be read again (%(error)s).",
                    error=error.text,
                )
            ) from error

    def _amazon_punchout_apply_inbound(self):
        self.ensure_one()
        parsed = self._amazon_punchout_parsed()
        Order = self.env["purchase.order"]
        if self.doc_type == "ConfirmationRequest":
            body = parsed.body
            order = Order._amazon_punchout_match_order(
                self.account_id, body.order_id, body.order_payload_id
            )
            self.order_id = order
            order._amazon_punchout_apply_confirmation(self, body)
        elif self.doc_type == "ShipNoticeRequest":
            Order._amazon_punchout_apply_ship_notice(self, parsed.body)
        elif self.doc_type == "InvoiceDetailRequest":
            self._amazon_punchout_apply_invoice(parsed.body)

    def _amazon_punchout_apply_invoice(self, invoice):
        """A vendor bill (or credit note) from an InvoiceDetailRequest.

        An invoice Amazon cancels (operation delete) cancels or flags its bill
        instead; an invoice Amazon already cancelled makes no bill.
        """
        self.ensure_one()
        if self.bill_id:
            return
        self._amazon_punchout_lock_invoice()
        Move = self.env["account.move"]
        if invoice.operation == "delete":
            self.invoice_cancellation = True
            bill = Move._amazon_punchout_cancel_from_document(self, invoice)
            self.write(
                {
                    "bill_id": bill.id,
                    "order_id": bill.invoice_line_ids.purchase_order_id[:1].id
                    or self.order_id.id,
                }
            )
            # Copies of the invoice that could not become a bill need no more
            # attention: processed again, they find the cancellation.
            self._amazon_punchout_invoice_copies().filtered(
                lambda d: d.state == "input_error"
            )._amazon_punchout_process_inbound()
            return
        cancellation = Move._amazon_punchout_cancellation_of(
            invoice.invoice_id,
            self.company_id or self.account_id.company_id,
            self.account_id.partner_id.commercial_partner_id,
        )
        if cancellation:
            self.message_post(
                body=Move._amazon_punchout_cancelled_text(
                    invoice.invoice_id, cancellation
                ),
                subtype_xmlid="mail.mt_note",
            )
            return
        bill = Move._amazon_punchout_create_from_document(self, invoice)
        self.write(
            {
                "bill_id": bill.id,
                "order_id": bill.invoice_line_ids.purchase_order_id[:1].id
                or self.order_id.id,
            }
        )

    def _amazon_punchout_lock_invoice(self):
        """Apply the documents of one invoiceID one at a time.

        An invoice and Amazon's cancellation of it (or two copies) applied at once
        on two servers would each miss the other's bill or cancellation. Each waits
        here for the other; one that was changed meanwhile makes PostgreSQL refuse
        this transaction's older view (a serialization failure), and the request or
        the cron applies the document again with a fresh one.
        """
        if not self.amazon_reference:
            return  # no invoiceID: refused as such, nothing to share
        same = self.search(
            [
                ("account_id", "=", self.account_id.id),
                ("direction", "=", "inbound"),
                ("doc_type", "=", "InvoiceDetailRequest"),
                ("amazon_reference", "=", self.amazon_reference),
            ]
        )
        self.env.execute_query(
            SQL(
                "SELECT id FROM amazon_punchout_document WHERE id IN %s "
                "ORDER BY id FOR UPDATE",
                tuple(same.ids),
            )
        )

    def _amazon_punchout_invoice_copies(self):
        """The other invoices (not cancellations) of this document's invoiceID."""
        self.ensure_one()
        return self.search(
            [
                ("account_id", "=", self.account_id.id),
                ("direction", "=", "inbound"),
                ("doc_type", "=", "InvoiceDetailRequest"),
                ("amazon_reference", "=", self.amazon_reference),
                ("invoice_cancellation", "=", False),
                ("id", "!=", self.id),
            ]
        )

    def _amazon_punchout_needs_attention(self, message):
        self.ensure_one()
        self.write({"state": "input_error", "error": message})
        manager = self._amazon_punchout_attention_user()
        summary = self.env._("Amazon document needs attention")
        existing = self.activity_ids.filtered(lambda a: a.summary == summary)
        if existing:
            existing.note = message
        else:
            self.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=summary,
                note=message,
                user_id=manager.id,
            )
        if self.order_id:
            self.order_id.message_post(
                body=self.env._(
                    "Amazon's %(document)s could not be applied: %(reason)s",
                    document=self.display_name,
                    reason=message,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _amazon_punchout_attention_user(self):
        """A purchase manager of the document's company (else the administrator)."""
        company = self.company_id or self.account_id.company_id
        managers = (
            self.env.ref("purchase.group_purchase_manager")
            .sudo()
            .user_ids.filtered(
                lambda u: not u.share and u.active and company in u.company_ids
            )
        )
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        if admin and admin in managers:
            return admin
        return managers.sorted("id")[:1] or admin or self.env.user

    # === ACTIONS === #

    def action_process_again(self):
        """Apply documents in "Needs attention" again, after the data was fixed."""
        if not self.env.user.has_group("purchase.group_purchase_manager"):
            raise UserError(
                self.env._("Only purchase managers can process documents again.")
            )
        documents = self.sudo().filtered(
            lambda d: d.direction == "inbound" and d.state == "input_error"
        )
        if not documents:
            raise UserError(self.env._("No document here needs attention."))
        documents._amazon_punchout_process_inbound()
        return True

    # === CRON === #

    def _amazon_punchout_stale_domain(self):
        limit = fields.Datetime.now() - timedelta(minutes=INBOUND_STALE_MINUTES)
        return [
            ("direction", "=", "inbound"),
            ("doc_type", "in", PROCESSED_TYPES),
            ("state", "=", "input_received"),
            ("create_date", "<", limit),
        ]

    def _cron_process_inbound(self, batch_size=INBOUND_PROCESS_BATCH):
        """Process received documents the request that stored them left behind."""
        cron = self.env["ir.cron"]
        domain = self._amazon_punchout_stale_domain()
        documents = self.search(domain, limit=batch_size, order="id")
        cron._commit_progress(remaining=len(documents))
        for document in documents:
            document = document.try_lock_for_update().filtered_domain(domain)
            if not document:
                cron._commit_progress(remaining=0)
                continue
            try:
                document._amazon_punchout_process_inbound()
            except OperationalError:
                _logger.info(
                    "Inbound %s: concurrent update, later", document.display_name
                )
                self.env.cr.rollback()
                continue
            except Exception as error:  # kept for a person, logged
                _logger.exception(
                    "Inbound %s could not be processed", document.display_name
                )
                self.env.cr.rollback()
                document._amazon_punchout_needs_attention(
                    self.env._("Unexpected error: %(error)s", error=error)
                )
            if not cron._commit_progress(1):
                break
