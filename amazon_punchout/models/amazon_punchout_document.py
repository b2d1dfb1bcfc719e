# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging
import secrets
from datetime import timedelta

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from .. import cxml
from ..const import (
    ORDER_MAX_ATTEMPTS,
    ORDER_RETRY_DELAY,
    ORDER_SEND_BATCH,
    ORDER_SEND_TIMEOUT,
    ORDER_SENDING_STUCK_MINUTES,
)

_logger = logging.getLogger(__name__)

DOC_TYPES = [
    ("PunchOutSetupRequest", "PunchOut setup request"),
    ("PunchOutOrderMessage", "Cart (PunchOutOrderMessage)"),
    ("OrderRequest", "Order request"),
    ("ConfirmationRequest", "Order confirmation"),
    ("ShipNoticeRequest", "Ship notice"),
    ("InvoiceDetailRequest", "Invoice"),
    ("unknown", "Unreadable document"),
]

STATES = [
    ("output_pending", "To send"),
    ("output_sending", "Sending"),
    ("output_sent", "Sent"),
    ("output_error", "Sending failed"),
    ("input_received", "Received"),
    ("input_processed", "Processed"),
    ("input_error", "Needs attention"),
]


class AmazonPunchoutDocument(models.Model):
    """A cXML document exchanged with Amazon, stored with its secrets redacted."""

    _name = "amazon.punchout.document"
    _description = "Amazon Business cXML Document"
    _order = "create_date desc, id desc"

    name = fields.Char(compute="_compute_name")
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")], required=True, readonly=True
    )
    doc_type = fields.Selection(
        DOC_TYPES, string="Document type", required=True, readonly=True
    )
    payload_id = fields.Char(string="payloadID", readonly=True, index=True)
    state = fields.Selection(STATES, required=True, readonly=True, index=True)
    account_id = fields.Many2one("amazon.punchout.account", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    session_id = fields.Many2one(
        "amazon.punchout.session", readonly=True, index="btree_not_null"
    )
    order_id = fields.Many2one(
        "purchase.order", string="Purchase order", readonly=True, index="btree_not_null"
    )
    user_id = fields.Many2one("res.users", string="Shopper", readonly=True)
    error = fields.Text(readonly=True)
    warnings = fields.Text(string="Leniency warnings", readonly=True)
    access_token = fields.Char(
        copy=False, readonly=True, groups="base.group_system", index="btree_not_null"
    )
    return_token = fields.Char(
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="Return address a refused cart was posted to (recognises its replays).",
    )
    attachment_id = fields.Many2one("ir.attachment", readonly=True)
    # Outbound documents: the payload is rebuilt for every attempt with this
    # payloadID and timestamp (the stored attachment is redacted).
    payload_timestamp = fields.Datetime(readonly=True)
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime(
        string="Next attempt", readonly=True, index="btree_not_null"
    )
    last_attempt_at = fields.Datetime(string="Last attempt", readonly=True)
    retryable = fields.Boolean(
        readonly=True,
        help="The last failure was a transport failure or an Amazon server error: "
        "sending the same document again may succeed.",
    )
    status_code = fields.Integer(string="Amazon status", readonly=True)
    status_text = fields.Char(string="Amazon status text", readonly=True)
    datas = fields.Binary(
        string="cXML (secrets redacted)", related="attachment_id.datas", readonly=True
    )
    data_filename = fields.Char(
        string="File name", related="attachment_id.name", readonly=True
    )

    _payload_unique = models.Constraint(
        "unique(account_id, direction, payload_id)",
        "A cXML document is stored once per account and direction.",
    )

    def _compute_name(self):
        labels = dict(DOC_TYPES)
        for document in self:
            document.name = (
                f"{labels.get(document.doc_type)} {document.payload_id or ''}"
            )

    # === BUSINESS METHODS === #

    def _amazon_punchout_attach(self, data):
        """Store the raw document, secrets redacted, as this record's attachment."""
        self.ensure_one()
        self.attachment_id = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self.doc_type}-{self.id}.xml",
                    "raw": cxml.redact(data),
                    "mimetype": "application/xml",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    def _amazon_punchout_raw(self):
        self.ensure_one()
        attachment = self.sudo().attachment_id
        return base64.b64decode(attachment.datas) if attachment else b""

    def _amazon_punchout_new_access_token(self):
        self.ensure_one()
        self.sudo().access_token = secrets.token_urlsafe(32)
        return self.sudo().access_token

    # === ACTION METHODS === #

    def _amazon_punchout_check_can_act(self):
        if not self.env.user.has_group("purchase.group_purchase_user"):
            raise UserError(
                self.env._("Only purchase users can retry or resend orders.")
            )
        for document in self:
            if document.direction != "outbound" or document.doc_type != "OrderRequest":
                raise UserError(self.env._("Only order requests can be sent again."))
            document.order_id.check_access("write")

    def action_retry(self):
        """Send a pending or failed document again now, with the same payloadID."""
        self._amazon_punchout_check_can_act()
        for document in self.sudo():
            if document.state == "output_error" and not document.retryable:
                raise UserError(
                    self.env._(
                        "Amazon refused %(name)s: sending it again with the same "
                        "payloadID brings the same answer. Correct the order and "
                        "use Resend.",
                        name=document.name,
                    )
                )
            if document.state not in ("output_pending", "output_error"):
                continue
            document.write(
                {
                    "state": "output_pending",
                    "next_attempt_at": fields.Datetime.now(),
                    "attempts": 0
                    if document.state == "output_error"
                    else (document.attempts),
                }
            )
        self.env.ref("amazon_punchout.ir_cron_send_documents")._trigger()
        return True

    def action_resend(self):
        """Send a failed order again as a new OrderRequest (new payloadID)."""
        self._amazon_punchout_check_can_act()
        for document in self.sudo():
            if document.state != "output_error":
                raise UserError(
                    self.env._(
                        "Only a failed order request can be resent: %(name)s is "
                        "%(state)s.",
                        name=document.name,
                        state=dict(STATES)[document.state],
                    )
                )
            order = document.order_id
            if order.state != "purchase":
                raise UserError(
                    self.env._(
                        "%(order)s is not a confirmed purchase order.",
                        order=order.name,
                    )
                )
            others = order.amazon_punchout_document_ids.filtered(
                lambda d: (
                    d.direction == "outbound"
                    and d.doc_type == "OrderRequest"
                    and d.state != "output_error"
                )
            )
            if others:
                raise UserError(
                    self.env._(
                        "%(order)s already has an order request that is not in "
                        "error: %(doc)s.",
                        order=order.name,
                        doc=others[0].name,
                    )
                )
            order._amazon_punchout_check_order_request()
            new = self._amazon_punchout_create_order_requests(order)
            order.message_post(
                body=self.env._(
                    "Order request resent to Amazon Business by %(user)s "
                    "(new payloadID %(payload)s).",
                    user=self.env.user.name,
                    payload=new.payload_id,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.env.ref("amazon_punchout.ir_cron_send_documents")._trigger()
        return True

    # === BUSINESS METHODS: outbound order requests === #

    def _amazon_punchout_create_order_requests(self, orders):
        """Queue one OrderRequest per order: payloadID chosen once, payload checked."""
        now = fields.Datetime.now()
        vals_list, payloads = [], []
        for order in orders:
            payload_id = cxml.new_payload_id()
            payloads.append(order._amazon_punchout_build_order_request(payload_id, now))
            vals_list.append(
                {
                    "direction": "outbound",
                    "doc_type": "OrderRequest",
                    "state": "output_pending",
                    "payload_id": payload_id,
                    "payload_timestamp": now,
                    "next_attempt_at": now,
                    "account_id": order.amazon_punchout_account_id.id,
                    "company_id": order.company_id.id,
                    "session_id": order.amazon_punchout_session_id.id,
                    "order_id": order.id,
                    "user_id": order.user_id.id,
                }
            )
        documents = self.sudo().create(vals_list)
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": f"OrderRequest-{document.order_id.name}.xml",
                        "raw": cxml.redact(payload),
                        "mimetype": "application/xml",
                        "res_model": self._name,
                        "res_id": document.id,
                    }
                    for document, payload in zip(documents, payloads, strict=True)
                ]
            )
        )
        for document, attachment in zip(documents, attachments, strict=True):
            document.attachment_id = attachment
        return documents

    def _amazon_punchout_due_domain(self):
        return [
            ("direction", "=", "outbound"),
            ("doc_type", "=", "OrderRequest"),
            ("state", "=", "output_pending"),
            ("next_attempt_at", "<=", fields.Datetime.now()),
        ]

    def _amazon_punchout_recover_stuck(self):
        """Documents left in 'sending' by a worker that died go back to the queue.

        They are sent again with the same payloadID: Amazon answers a replay with
        its first answer and orders nothing twice.
        """
        limit = fields.Datetime.now() - timedelta(minutes=ORDER_SENDING_STUCK_MINUTES)
        stuck = self.search(
            [
                ("direction", "=", "outbound"),
                ("state", "=", "output_sending"),
                ("last_attempt_at", "<", limit),
            ]
        )
        for document in stuck:
            document = document.try_lock_for_update().filtered_domain(
                [("state", "=", "output_sending")]
            )
            if document and document.attempts >= ORDER_MAX_ATTEMPTS:
                document._amazon_punchout_fail(
                    self.env._(
                        "Sending was interrupted %(n)s times (last attempt at "
                        "%(at)s UTC): check the server log, then Retry.",
                        n=document.attempts,
                        at=fields.Datetime.to_string(document.last_attempt_at),
                    ),
                    retryable=True,
                )
            elif document:
                _logger.info(
                    "Order request %s was left in sending; queued again",
                    document.payload_id,
                )
                document.write(
                    {
                        "state": "output_pending",
                        "next_attempt_at": fields.Datetime.now(),
                    }
                )
        return stuck

    def _cron_send_documents(self, batch_size=ORDER_SEND_BATCH):
        """Send the due outbound documents, one locked document at a time."""
        cron = self.env["ir.cron"]
        self._amazon_punchout_recover_stuck()
        domain = self._amazon_punchout_due_domain()
        documents = self.search(domain, limit=batch_size, order="next_attempt_at, id")
        remaining = len(documents)
        if remaining == batch_size:
            remaining = self.search_count(domain)
        cron._commit_progress(remaining=remaining)
        for document in documents:
            # SKIP LOCKED: a document another run holds is left to it.
            document = document.try_lock_for_update().filtered_domain(
                self._amazon_punchout_due_domain()
            )
            if not document:
                # Another run holds it: not ours to count as processed.
                remaining -= 1
                cron._commit_progress(remaining=remaining)
                continue
            remaining -= 1
            document._amazon_punchout_send()
            if not cron._commit_progress(1):
                break
        self._amazon_punchout_schedule_next_run()

    def _amazon_punchout_schedule_next_run(self):
        """Wake the cron again for the next retry (the runner handles `remaining`)."""
        pending = self.search(
            [
                ("direction", "=", "outbound"),
                ("state", "=", "output_pending"),
            ],
            order="next_attempt_at",
            limit=1,
        )
        if pending:
            self.env.ref("amazon_punchout.ir_cron_send_documents")._trigger(
                at=max(pending.next_attempt_at, fields.Datetime.now())
            )

    def _amazon_punchout_send(self):
        """One attempt: mark 'sending' and commit, POST, record Amazon's answer."""
        self.ensure_one()
        order = self.order_id
        if order.state != "purchase":
            self._amazon_punchout_fail(
                self.env._(
                    "Not sent: %(order)s was cancelled in Odoo before it was sent.",
                    order=order.name,
                ),
                notify=False,
            )
            return
        self.write(
            {
                "state": "output_sending",
                "attempts": self.attempts + 1,
                "last_attempt_at": fields.Datetime.now(),
            }
        )
        # Committed before the HTTP call: a worker dying mid-send leaves 'sending'.
        self.env["ir.cron"]._commit_progress()
        account = self.account_id
        try:
            payload = order._amazon_punchout_build_order_request(
                self.payload_id, self.payload_timestamp
            )
        except UserError as error:
            self._amazon_punchout_fail(str(error))
            return
        try:
            answer = account._amazon_punchout_send_cxml(
                payload, account.order_url, timeout=ORDER_SEND_TIMEOUT
            )
        except UserError as error:
            self._amazon_punchout_retry_later(str(error))
            return
        status = answer.status
        code = status.code if status else 500
        text = " ".join(
            p for p in (status and status.text, status and status.body) if p
        )
        self.write({"status_code": code, "status_text": text[:1000]})
        if 200 <= code < 300:
            self._amazon_punchout_sent(text)
        elif 400 <= code < 500:
            self._amazon_punchout_fail(account._amazon_punchout_status_message(status))
        else:
            self._amazon_punchout_retry_later(
                account._amazon_punchout_status_message(status)
            )

    def _amazon_punchout_sent(self, text):
        self.write(
            {
                "state": "output_sent",
                "error": False,
                "retryable": False,
                "next_attempt_at": False,
            }
        )
        self.order_id.message_post(
            body=self.env._(
                "Order sent to Amazon Business (payloadID %(payload)s); Amazon "
                "answered: %(text)s. Amazon confirms or rejects it later.",
                payload=self.payload_id,
                text=text or self.status_code,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _amazon_punchout_retry_later(self, message):
        if self.attempts >= ORDER_MAX_ATTEMPTS:
            self._amazon_punchout_fail(
                self.env._(
                    "%(error)s Gave up after %(n)s attempts.",
                    error=message,
                    n=self.attempts,
                ),
                retryable=True,
            )
            return
        delay = ORDER_RETRY_DELAY * 2 ** (self.attempts - 1)
        self.write(
            {
                "state": "output_pending",
                "error": message,
                "retryable": True,
                "next_attempt_at": fields.Datetime.now() + timedelta(seconds=delay),
            }
        )

    def _amazon_punchout_fail(self, message, retryable=False, notify=True):
        self.write(
            {
                "state": "output_error",
                "error": message,
                "retryable": retryable,
                "next_attempt_at": False,
            }
        )
        if not notify:
            return
        order = self.order_id
        order.message_post(
            body=Markup("%s<br/>%s")
            % (
                self.env._("The order could not be sent to Amazon Business."),
                message,
            ),
            subtype_xmlid="mail.mt_note",
        )
        order.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._("Amazon Business did not take the order"),
            note=message,
            user_id=order.user_id.id or self.env.ref("base.user_admin").id,
        )
