# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import re
import secrets
from datetime import timedelta
from xml.sax.saxutils import escape

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from .. import cxml
from ..const import (
    ORDER_MAX_ATTEMPTS,
    ORDER_RETRY_DELAY,
    ORDER_SEND_BATCH,
    ORDER_SEND_LANES,
    ORDER_SEND_TIMEOUT,
    ORDER_SENDING_STUCK_MINUTES,
    ORDER_WAIT_DISCONNECTED,
    SEND_CRONS,
)

_logger = logging.getLogger(__name__)

# Outbound documents are stored with this in place of the shared secret, which is
# put in only when the bytes are posted (never stored).
SECRET_PLACEHOLDER = "********"
SECRET_SLOT_RE = re.compile(rb"<SharedSecret>\*{8}</SharedSecret>")

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
    _check_company_auto = True

    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")], required=True, readonly=True
    )
    doc_type = fields.Selection(
        DOC_TYPES, string="Document type", required=True, readonly=True
    )
    payload_id = fields.Char(string="payloadID", readonly=True, index=True)
    state = fields.Selection(STATES, required=True, readonly=True, index=True)
    account_id = fields.Many2one(
        "amazon.punchout.account", readonly=True, index=True, check_company=True
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    session_id = fields.Many2one(
        "amazon.punchout.session",
        readonly=True,
        index="btree_not_null",
        check_company=True,
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
    # Outbound documents: built once when queued; every attempt posts the stored
    # bytes (the attachment) with the account's shared secret put in.
    payload_timestamp = fields.Datetime(readonly=True)
    deployment_mode = fields.Selection(
        [("test", "Test"), ("production", "Production")],
        readonly=True,
        help="The account's mode when the document was built: it is never sent "
        "in another one.",
    )
    attempts = fields.Integer(readonly=True)
    send_lane = fields.Integer(
        readonly=True,
        default=0,
        help="The sending cron job (lane) that sends this outbound document.",
    )
    next_attempt_at = fields.Datetime(
        string="Next attempt", readonly=True, index="btree_not_null"
    )
    last_attempt_at = fields.Datetime(string="Last attempt", readonly=True)
    retryable = fields.Boolean(
        readonly=True,
        help="The last failure was a transport failure or an Amazon server error: "
        "sending the same document again may succeed.",
    )
    status_code = fields.Integer(
        string="Amazon status",
        readonly=True,
        help="cXML status of Amazon's answer, else its HTTP status.",
    )
    refused = fields.Boolean(
        compute="_compute_refused",
        help="Amazon definitely refused the order (4xx): it holds no order under "
        "this payloadID, so a new order request may be sent.",
    )
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

    @api.depends("doc_type", "payload_id")
    def _compute_display_name(self):
        labels = dict(DOC_TYPES)
        for document in self:
            document.display_name = (
                f"{labels.get(document.doc_type)} {document.payload_id or ''}".strip()
            )

    @api.depends("state", "status_code")
    def _compute_refused(self):
        for document in self:
            document.refused = (
                document.state == "output_error" and 400 <= document.status_code < 500
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
        return self.sudo().attachment_id.raw or b""

    def _amazon_punchout_payload(self):
        """The stored bytes with the account's shared secret put in: what is posted.

        :raise UserError: the stored document has no (single) place for the secret
        """
        self.ensure_one()
        raw = self._amazon_punchout_raw()
        secret = self.sudo().account_id.shared_secret or ""
        slot = escape(secret).encode()
        payload, count = SECRET_SLOT_RE.subn(
            lambda match: match.group(0).replace(SECRET_PLACEHOLDER.encode(), slot), raw
        )
        if count != 1:
            raise UserError(
                self.env._(
                    "%(doc)s has no place for the shared secret: it cannot be sent.",
                    doc=self.display_name,
                )
            )
        return payload

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
        """Send a pending or failed document again now: same bytes, same payloadID."""
        self._amazon_punchout_check_can_act()
        for document in self.sudo():
            if document.refused:
                raise UserError(
                    self.env._(
                        "Amazon refused %(name)s: sending it again with the same "
                        "payloadID brings the same answer. Correct the order and "
                        "use Resend.",
                        name=document.display_name,
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
        self._amazon_punchout_trigger_sending()
        return True

    def action_resend(self):
        """Send a refused order again as a new OrderRequest (new payloadID).

        Only after a definite refusal (4xx): after a time-out, a transport or server
        error or an interrupted send, Amazon may hold the order already, and a new
        payloadID would order it twice; those are retried with the same payloadID.
        """
        self._amazon_punchout_check_can_act()
        for document in self.sudo():
            if not document.refused:
                raise UserError(
                    self.env._(
                        "Only an order request Amazon refused can be resent: "
                        "%(name)s is %(state)s%(status)s. Amazon may already hold "
                        "this order; use Retry, which sends it again under the same "
                        "payloadID.",
                        name=document.display_name,
                        state=dict(STATES)[document.state],
                        status=f" ({document.status_code})"
                        if document.status_code
                        else "",
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
            others = order._amazon_punchout_order_requests().filtered(
                lambda d: d.state != "output_error"
            )
            if others:
                raise UserError(
                    self.env._(
                        "%(order)s already has an order request that is not in "
                        "error: %(doc)s.",
                        order=order.name,
                        doc=others[0].display_name,
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
        self._amazon_punchout_trigger_sending()
        return True

    # === BUSINESS METHODS: outbound order requests === #

    def _amazon_punchout_create_order_requests(self, orders):
        """Queue one OrderRequest per order, built once, now.

        The stored bytes are what every attempt sends (the shared secret apart,
        put in at send time): later changes of the order, its addresses, its buyer
        or the account's mode do not change them.
        """
        now = fields.Datetime.now()
        vals_list, payloads = [], []
        for order in orders:
            account = order.sudo().amazon_punchout_account_id
            payload_id = cxml.new_payload_id()
            payloads.append(order._amazon_punchout_build_order_request(payload_id, now))
            vals_list.append(
                {
                    "direction": "outbound",
                    "doc_type": "OrderRequest",
                    "state": "output_pending",
                    "payload_id": payload_id,
                    "payload_timestamp": now,
                    "deployment_mode": account._amazon_punchout_deployment_mode(),
                    "next_attempt_at": now,
                    # at random: lanes share the work whatever else is created
                    "send_lane": secrets.randbelow(ORDER_SEND_LANES),
                    "account_id": account.id,
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
                        "raw": payload,
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

    def _amazon_punchout_recover_stuck(self, lane=0):
        """Documents left in 'sending' by a worker that died go back to the queue.

        They are sent again with the same payloadID: Amazon answers a replay with
        its first answer and orders nothing twice.
        """
        limit = fields.Datetime.now() - timedelta(minutes=ORDER_SENDING_STUCK_MINUTES)
        stuck = self.search(
            [
                ("direction", "=", "outbound"),
                ("send_lane", "=", lane),
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
                        "%(at)s): check the server log, then Retry.",
                        n=document.attempts,
                        at=format_datetime(self.env, document.last_attempt_at),
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

    def _cron_send_documents(self, lane=0, batch_size=ORDER_SEND_BATCH):
        """Send the due outbound documents of one lane, one locked at a time."""
        cron = self.env["ir.cron"]
        self._amazon_punchout_recover_stuck(lane)
        domain = [*self._amazon_punchout_due_domain(), ("send_lane", "=", lane)]
        documents = self.search(domain, limit=batch_size, order="next_attempt_at, id")
        remaining = len(documents)
        if remaining == batch_size:
            remaining = self.search_count(domain)
        cron._commit_progress(remaining=remaining)
        for document in documents:
            # SKIP LOCKED: a document another run holds is left to it.
            document = document.try_lock_for_update().filtered_domain(domain)
            if not document:
                # Another run holds it: not ours to count as processed.
                remaining -= 1
                cron._commit_progress(remaining=remaining)
                continue
            remaining -= 1
            document._amazon_punchout_send()
            if not cron._commit_progress(1):
                break
        self._amazon_punchout_schedule_next_run(lane)

    def _amazon_punchout_schedule_next_run(self, lane=0):
        """Wake the lane again for its next retry (the runner handles `remaining`)."""
        pending = self.search(
            [
                ("direction", "=", "outbound"),
                ("send_lane", "=", lane),
                ("state", "=", "output_pending"),
            ],
            order="next_attempt_at",
            limit=1,
        )
        if pending:
            self.env.ref(SEND_CRONS[lane])._trigger(
                at=max(pending.next_attempt_at, fields.Datetime.now())
            )

    @api.model
    def _amazon_punchout_trigger_sending(self):
        """Wake every sending lane (a lane with nothing due returns at once)."""
        for xmlid in SEND_CRONS:
            self.env.ref(xmlid)._trigger()

    def _amazon_punchout_check_sendable(self):
        """Why this document must not be sent now, as (message, wait) or None.

        ``wait`` True: it stays queued (the account is not connected); False: it
        fails (the order was cancelled, or the account changed mode since the
        document was built: it is never sent in another deploymentMode).
        """
        self.ensure_one()
        order = self.order_id
        if order.state != "purchase":
            return (
                self.env._(
                    "Not sent: %(order)s was cancelled in Odoo before it was sent.",
                    order=order.name,
                ),
                False,
            )
        account = self.account_id
        if account.state == "draft":
            return (
                self.env._(
                    "Waiting: the Amazon Business account %(account)s is not "
                    "connected. The order is sent once it is connected again.",
                    account=account.name,
                ),
                True,
            )
        mode = account._amazon_punchout_deployment_mode()
        if self.deployment_mode and mode != self.deployment_mode:
            modes = dict(self._fields["deployment_mode"].selection)
            return (
                self.env._(
                    "Not sent: the order was approved while the account "
                    "%(account)s was in %(then)s mode; it is now in %(now)s mode, "
                    "and an order is never sent in another mode than the one it "
                    "was approved in. Shop and approve it again.",
                    account=account.name,
                    then=modes[self.deployment_mode],
                    now=modes[mode],
                ),
                False,
            )
        return None

    def _amazon_punchout_send(self):
        """One attempt: mark 'sending' and commit, POST, record Amazon's answer."""
        self.ensure_one()
        problem = self._amazon_punchout_check_sendable()
        if problem:
            message, wait = problem
            if wait:
                self.write(
                    {
                        "error": message,
                        "next_attempt_at": fields.Datetime.now()
                        + timedelta(seconds=ORDER_WAIT_DISCONNECTED),
                    }
                )
            else:
                self._amazon_punchout_fail(
                    message, notify=self.order_id.state == "purchase"
                )
            return
        try:
            payload = self._amazon_punchout_payload()
        except UserError as error:
            self._amazon_punchout_fail(str(error))
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
        answer = account._amazon_punchout_send_cxml(
            payload, account.order_url, timeout=ORDER_SEND_TIMEOUT
        )
        status = answer.document.status if answer.document else None
        self.write(
            {
                "status_code": answer.code,
                "status_text": " ".join(
                    p for p in (status and status.text, status and status.body) if p
                )[:1000]
                or False,
            }
        )
        if 200 <= answer.code < 300:
            self._amazon_punchout_sent(answer.text)
        elif answer.retryable:
            self._amazon_punchout_retry_later(answer.text)
        else:
            self._amazon_punchout_fail(answer.text)

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
            user_id=order._amazon_punchout_responsible().id,
        )
