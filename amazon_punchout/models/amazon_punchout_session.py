# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime

from .. import cxml
from ..const import REFUSED_CARTS_PER_SESSION

_logger = logging.getLogger(__name__)


class AmazonPunchoutSession(models.Model):
    """One shopping trip: from the setup request to the requisition."""

    _name = "amazon.punchout.session"
    _description = "Amazon Business PunchOut Session"
    _order = "id desc"
    _check_company_auto = True

    account_id = fields.Many2one(
        "amazon.punchout.account",
        required=True,
        readonly=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, readonly=True
    )
    user_id = fields.Many2one(
        "res.users", string="Shopper", required=True, readonly=True, index=True
    )
    state = fields.Selection(
        [
            ("started", "Shopping"),
            ("returned", "Cart received"),
            ("done", "Requisition created"),
            ("error", "Error"),
            ("expired", "Expired"),
        ],
        default="started",
        required=True,
        readonly=True,
        index=True,
    )
    deployment_mode = fields.Selection(
        [("test", "Test"), ("production", "Production")], required=True, readonly=True
    )
    buyer_cookie = fields.Char(
        required=True, readonly=True, copy=False, groups="base.group_system"
    )
    return_token = fields.Char(
        required=True, readonly=True, copy=False, groups="base.group_system"
    )
    expires_at = fields.Datetime(required=True, readonly=True)
    cart_document_id = fields.Many2one(
        "amazon.punchout.document", readonly=True, check_company=True
    )
    order_id = fields.Many2one(
        "purchase.order", string="Requisition", readonly=True, index="btree_not_null"
    )
    error = fields.Text(readonly=True)

    _buyer_cookie_unique = models.Constraint(
        "unique(buyer_cookie)", "A BuyerCookie is used by one session only."
    )
    _return_token_unique = models.Constraint(
        "unique(return_token)", "A return URL is used by one session only."
    )

    def _compute_display_name(self):
        for session in self:
            session.display_name = self.env._("Amazon session %(id)s", id=session.id)

    def _amazon_punchout_lock(self):
        """Wait for, then hold, the row locks of these sessions until the commit.

        Unlike ``lock_for_update()`` (which skips or fails on locked rows), this waits:
        concurrent posts of one cart are served one after the other.
        """
        if not self:
            return
        self.env.execute_query(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR UPDATE",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        self.invalidate_recordset()

    # === BUSINESS METHODS: START === #

    @api.model
    def _amazon_punchout_start(self, account, user):
        """Ask Amazon for a start page; the session exists only once Amazon said yes.

        :return: the session and Amazon's one-time start page URL
        :raise UserError: with a message for the shopper
        """
        buyer_cookie = secrets.token_urlsafe(32)
        return_token = secrets.token_urlsafe(32)
        return_url = f"{account.get_base_url()}/amazon_punchout/return/{return_token}"
        if account.return_url_warning:
            _logger.warning(
                "Amazon account %s: %s", account.id, account.return_url_warning
            )
        start_page = account._amazon_punchout_request_start_page(
            user, buyer_cookie=buyer_cookie, return_url=return_url
        )
        session = self.sudo().create(
            {
                "account_id": account.id,
                "user_id": user.id,
                "deployment_mode": account._amazon_punchout_deployment_mode(),
                "buyer_cookie": buyer_cookie,
                "return_token": return_token,
                "expires_at": fields.Datetime.now()
                + timedelta(minutes=account.session_lifetime or 120),
            }
        )
        return session, start_page

    # === BUSINESS METHODS: RETURN === #

    @api.model
    def _amazon_punchout_receive_cart(self, return_token, data):
        """Store a returned cart and tie it to its session, replay-safe.

        Runs without an Odoo session: everything is found from the return token and
        checked against the BuyerCookie echoed in the cart.

        :param str return_token: the token of the BrowserFormPost URL
        :param bytes data: the decoded cXML cart
        :return: the stored cart document (already stored for a replay); in state
            ``input_error`` when its session refuses it (kept for an administrator,
            or a record not stored once the session's quota of kept carts is used);
            empty for an unknown return token (nothing is stored)
        :raise cxml.CXMLError: an unreadable cart (nothing is stored)
        """
        Document = self.env["amazon.punchout.document"].sudo()
        session = self.sudo().search([("return_token", "=", return_token)], limit=1)
        if not session:
            # Nothing is stored for strangers: anyone can post to a made-up address.
            _logger.info("Amazon cart posted to an unknown return address refused")
            return Document
        max_size = session.account_id.cart_max_size or None
        parsed = cxml.parse_cart(data, **({"max_size": max_size} if max_size else {}))
        cart = parsed.body
        # Serialise concurrent posts of one cart: the second waits, then replays.
        session._amazon_punchout_lock()
        # Without a payloadID, the same bytes are the same cart (replays dedupe).
        payload_id = (
            parsed.payload_id
            or f"no-payload-id-{hashlib.sha256(data).hexdigest()[:32]}"
        )
        # A replay (same payloadID, same return address) is answered with the cart
        # stored the first time, accepted or kept for an administrator alike.
        for existing in Document.search(
            [
                ("doc_type", "=", "PunchOutOrderMessage"),
                ("direction", "=", "inbound"),
                ("payload_id", "=", payload_id),
            ]
        ):
            if existing.session_id == session or (
                not existing.session_id and existing.return_token == return_token
            ):
                return existing
        problem = self._amazon_punchout_check_cart_session(session, cart)
        if problem:
            if (
                session.state == "started"
                and session.expires_at < fields.Datetime.now()
            ):
                session.state = "expired"
            kept = Document.search_count(
                [
                    ("doc_type", "=", "PunchOutOrderMessage"),
                    ("return_token", "=", return_token),
                ]
            )
            if kept >= REFUSED_CARTS_PER_SESSION:
                # Bounded: whoever holds the return address cannot fill the database.
                _logger.info(
                    "Amazon cart %s refused and not kept (%s already kept for "
                    "session %s): %s",
                    payload_id,
                    kept,
                    session.id,
                    problem,
                )
                return Document.new({"state": "input_error", "error": problem})
        document = Document.create(
            {
                "direction": "inbound",
                "doc_type": "PunchOutOrderMessage",
                "payload_id": payload_id,
                "state": "input_error" if problem else "input_received",
                "account_id": False if problem else session.account_id.id,
                # Refused carts: the session's company, administrators only (rule
                # amazon_punchout_document_rule_refused_cart).
                "company_id": session.company_id.id,
                "session_id": False if problem else session.id,
                "user_id": session.user_id.id,
                "error": problem or False,
                "warnings": "\n".join(parsed.warnings) or False,
                "return_token": return_token if problem else False,
            }
        )
        document._amazon_punchout_attach(data)
        if problem:
            # Kept, not lost: an administrator finds it among the documents to check.
            _logger.info(
                "Amazon cart %s kept for an administrator: %s", payload_id, problem
            )
            return document
        document._amazon_punchout_new_access_token()
        session.write({"state": "returned", "cart_document_id": document.id})
        return document

    def _amazon_punchout_check_cart_session(self, session, cart):
        """Return why no open session accepts this cart, or an empty string."""
        if not session:
            return self.env._("This cart was sent to an unknown return address.")
        if not hmac.compare_digest(
            (cart.buyer_cookie or "").strip().encode(), session.buyer_cookie.encode()
        ):
            return self.env._("The cart's BuyerCookie does not belong to this session.")
        if session.state != "started":
            return self.env._(
                "This shopping session already returned a different cart."
            )
        if session.expires_at < fields.Datetime.now():
            return self.env._(
                "This shopping session expired at %(date)s.",
                date=format_datetime(self.env, session.expires_at),
            )
        return ""

    # === BUSINESS METHODS: REQUISITION === #

    def _amazon_punchout_create_requisition(self):
        """Turn the returned cart into a draft RFQ owned by the shopper (idempotent)."""
        self.ensure_one()
        session = self.sudo()
        session._amazon_punchout_lock()
        if session.order_id:
            return session.order_id
        document = session.cart_document_id
        try:
            try:
                cart = cxml.parse_cart(document._amazon_punchout_raw()).body
            except cxml.CXMLError as error:
                raise UserError(
                    self.env._(
                        "The stored cart could not be read (%(error)s): no "
                        "requisition was created. Please start a new Amazon Business "
                        "session from Odoo.",
                        error=error.text,
                    )
                ) from None
            # Nothing half-created: a failure drops the order and its products.
            with self.env.cr.savepoint():
                order = self.env["purchase.order"]._amazon_punchout_create_from_cart(
                    session, cart
                )
        except UserError as error:
            document.write({"state": "input_error", "error": str(error)})
            session.write({"state": "error", "error": str(error)})
            raise
        document.write({"state": "input_processed", "order_id": order.id})
        session.write({"state": "done", "order_id": order.id})
        return order

    # === CRON === #

    @api.model
    def _cron_expire_sessions(self):
        expired = self.sudo().search(
            [("state", "=", "started"), ("expires_at", "<", fields.Datetime.now())]
        )
        expired.state = "expired"
