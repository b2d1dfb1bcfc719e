# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from datetime import timedelta, timezone
from decimal import Decimal
from urllib.parse import urlencode

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import format_datetime

from .. import cxml
from ..const import START_LINK_LIFETIME
from .amazon_punchout_document import SECRET_PLACEHOLDER

# Shoppers (employees without purchase rights) change their requisitions through
# checked actions only: submit, cancel, and while it is a draft, remove a line or
# lower a quantity. Everything else is the purchase team's to change.
SHOPPER_EDITABLE_STATES = ("draft", "sent")
SHOPPER_CANCELLABLE_STATES = ("draft", "sent", "to approve")


def amazon_punchout_changed_fields(records, vals):
    """The names in ``vals`` whose value differs on any of ``records``.

    A value sent again unchanged (as a form may) is no change; x2many commands
    always count as changes.
    """
    changed = set()
    for name, value in vals.items():
        field = records._fields.get(name)
        if field is None or field.type in ("one2many", "many2many"):
            changed.add(name)
            continue
        try:
            new = field.convert_to_cache(value, records[:1])
        except (ValueError, TypeError):
            changed.add(name)
            continue
        if any(field.convert_to_cache(rec[name], rec) != new for rec in records):
            changed.add(name)
    return changed


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    amazon_punchout_session_id = fields.Many2one(
        "amazon.punchout.session",
        string="Amazon PunchOut session",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    amazon_punchout_account_id = fields.Many2one(
        "amazon.punchout.account",
        string="Amazon Business account",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    amazon_punchout_is_test = fields.Boolean(
        string="Amazon test mode",
        compute="_compute_amazon_punchout_is_test",
        compute_sudo=True,
    )
    amazon_punchout_price_hold_until = fields.Datetime(
        string="Amazon prices held until",
        readonly=True,
        copy=False,
        help="Amazon holds the cart's prices and stock for 7 days after checkout.",
    )
    amazon_punchout_hold_days_left = fields.Integer(
        string="Days of price hold left",
        compute="_compute_amazon_punchout_hold_days_left",
    )
    amazon_punchout_price_hold_lapsed = fields.Boolean(
        string="Approved after the price hold",
        readonly=True,
        copy=False,
        help="Approved after Amazon's price hold lapsed: Amazon may re-price.",
    )
    amazon_punchout_cancelled_after_send = fields.Boolean(
        string="Cancelled after sending to Amazon",
        readonly=True,
        copy=False,
        help="Cancelled in Odoo after the order was sent: cancel it on Amazon too.",
    )
    amazon_punchout_estimated_tax = fields.Monetary(
        string="Estimated tax (Amazon cart)",
        readonly=True,
        copy=False,
        help="Amazon's tax estimate at checkout, for information: Odoo computes the "
        "taxes of the lines from the products and the fiscal position.",
    )
    amazon_punchout_estimated_shipping = fields.Monetary(
        string="Estimated shipping (Amazon cart)", readonly=True, copy=False
    )
    amazon_punchout_warnings = fields.Text(
        string="Amazon cart warnings", readonly=True, copy=False
    )
    amazon_punchout_document_ids = fields.One2many(
        "amazon.punchout.document", "order_id", string="Amazon documents"
    )
    amazon_punchout_document_count = fields.Integer(
        compute="_compute_amazon_punchout_document_count"
    )
    amazon_punchout_notice = fields.Html(
        string="Amazon Business notice",
        compute="_compute_amazon_punchout_notice",
        sanitize=False,
        help="What the people working on this order must know about Amazon: test "
        "mode, cart warnings, price hold, cancellation to repeat on Amazon.",
    )

    @api.depends(
        "state",
        "amazon_punchout_is_test",
        "amazon_punchout_warnings",
        "amazon_punchout_price_hold_until",
        "amazon_punchout_price_hold_lapsed",
        "amazon_punchout_cancelled_after_send",
    )
    def _compute_amazon_punchout_notice(self):
        for order in self:
            notices = []  # (bootstrap level, css class, text)
            if order.amazon_punchout_is_test:
                notices.append(
                    (
                        "warning text-center",
                        "o_amazon_punchout_test_banner",
                        self.env._(
                            "AMAZON BUSINESS TEST MODE: this order is never shipped "
                            "nor charged."
                        ),
                    )
                )
            if order.amazon_punchout_warnings:
                notices.append(
                    (
                        "info",
                        "o_amazon_punchout_warnings",
                        order.amazon_punchout_warnings,
                    )
                )
            until = order.amazon_punchout_price_hold_until
            if order.state == "to approve" and until:
                notices.append(
                    (
                        "warning",
                        "o_amazon_punchout_hold_banner",
                        self.env._(
                            "Amazon holds the prices of this cart for %(days)s more "
                            "day(s), until %(until)s: approved later, the order may "
                            "be re-priced by Amazon.",
                            days=order.amazon_punchout_hold_days_left,
                            until=format_datetime(self.env, until),
                        ),
                    )
                )
            if order.amazon_punchout_price_hold_lapsed:
                notices.append(
                    (
                        "danger",
                        "o_amazon_punchout_hold_lapsed",
                        self.env._(
                            "Approved after Amazon's price hold lapsed: Amazon may "
                            "re-price."
                        ),
                    )
                )
            if order.amazon_punchout_cancelled_after_send:
                notices.append(
                    (
                        "danger",
                        "o_amazon_punchout_cancel_on_amazon",
                        self.env._(
                            "Cancelled in Odoo after it was sent: cancel it on "
                            "Amazon Business too."
                        ),
                    )
                )
            order.amazon_punchout_notice = (
                Markup("").join(
                    Markup('<div class="alert alert-%s %s mb-1" role="alert">%s</div>')
                    % (level, css_class, Markup("<br/>").join(text.splitlines()))
                    for level, css_class, text in notices
                )
                or False
            )

    @api.depends("amazon_punchout_account_id.state")
    def _compute_amazon_punchout_is_test(self):
        for order in self:
            account = order.amazon_punchout_account_id
            order.amazon_punchout_is_test = (
                bool(account) and account.state != "production"
            )

    @api.depends("amazon_punchout_price_hold_until")
    def _compute_amazon_punchout_hold_days_left(self):
        now = fields.Datetime.now()
        for order in self:
            until = order.amazon_punchout_price_hold_until
            # Started days count: "1 day left" until the very last second.
            order.amazon_punchout_hold_days_left = (
                math.ceil((until - now).total_seconds() / 86400)
                if until and until > now
                else 0
            )

    @api.depends("amazon_punchout_document_ids")
    def _compute_amazon_punchout_document_count(self):
        for order in self:
            order.amazon_punchout_document_count = len(
                order.sudo().amazon_punchout_document_ids
            )

    # === CONSTRAINT METHODS === #

    @api.constrains("amazon_punchout_account_id", "company_id")
    def _check_amazon_punchout_account_company(self):
        # purchase.order has no _check_company_auto: check this link explicitly.
        self._check_company(["amazon_punchout_account_id"])

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        if self._amazon_punchout_restricted_user() and any(
            name.startswith("amazon_punchout_") for vals in vals_list for name in vals
        ):
            raise AccessError(
                self.env._(
                    "Only Amazon Business carts become Amazon requisitions: click Shop "
                    "on Amazon Business to start one."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if self._amazon_punchout_restricted_user():
            self._amazon_punchout_check_shopper_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_amazon_punchout_requisition_by_shopper(self):
        if (
            self._amazon_punchout_restricted_user()
            and self.sudo()._amazon_punchout_requisitions()
        ):
            raise AccessError(
                self.env._(
                    "Shoppers cancel their Amazon Business requisitions, they do not "
                    "delete them: open the requisition and click Cancel."
                )
            )

    # === SHOPPER GUARDS === #

    @api.model
    def _amazon_punchout_restricted_user(self):
        """The user has no purchase rights (a shopper); ``sudo()`` is the addon's own
        checked paths (cart to requisition, submit, cancel)."""
        return not self.env.su and not self.env.user.has_group(
            "purchase.group_purchase_user"
        )

    def _amazon_punchout_requisitions(self):
        return self.filtered(
            lambda o: o.amazon_punchout_account_id or o.amazon_punchout_session_id
        )

    def _amazon_punchout_shopper_refusal(self, field_names):
        fields_ = self._fields
        return AccessError(
            self.env._(
                "Only the purchase team can change %(fields)s of %(orders)s. Shoppers "
                "submit or cancel their Amazon Business requisitions; while one is a "
                "draft, they may remove lines or lower quantities. For anything "
                "else, ask a purchase user, or cancel and shop again.",
                fields=", ".join(
                    sorted(
                        fields_[n].string if n in fields_ else n for n in field_names
                    )
                ),
                orders=", ".join(self.sudo().mapped("display_name")),
            )
        )

    def _amazon_punchout_check_shopper_write(self, vals):
        orders = self.sudo()
        amazon = orders._amazon_punchout_requisitions()
        changed = amazon_punchout_changed_fields(orders, vals)
        refused = {name for name in changed if name.startswith("amazon_punchout_")}
        if amazon:
            # Lines are checked one by one by purchase.order.line's own guards.
            refused |= changed - {"order_line"}
        if (
            not refused
            and changed
            and orders - amazon
            and not self.env.user._amazon_punchout_other_access(
                "purchase.order", "write"
            )
        ):
            refused = changed
        if refused:
            raise self._amazon_punchout_shopper_refusal(refused)

    def _amazon_punchout_check_shopper_action(self, states):
        """Refuse a shopper's action on others' requisitions or in other states."""
        self.check_access("write")
        for order in self.sudo():
            if order.user_id != self.env.user or order.state not in states:
                raise AccessError(
                    self.env._(
                        "%(order)s is not one of your requisitions in a state where "
                        "you can do this: shoppers submit their own drafts and may "
                        "cancel them until they are approved. Ask a purchase user "
                        "for anything else.",
                        order=order.display_name,
                    )
                )

    def _approval_allowed(self):
        # A shopper may submit their own requisition, never approve it.
        allowed = super()._approval_allowed()
        if (
            allowed
            and (self.amazon_punchout_account_id or self.amazon_punchout_session_id)
            and not self.env.user.has_group("purchase.group_purchase_user")
        ):
            return False
        return allowed

    # === ACTION METHODS === #

    def button_confirm(self):
        amazon = self.filtered(
            lambda o: o.amazon_punchout_account_id and o.state in ("draft", "sent")
        )
        amazon._amazon_punchout_check_order_request()
        if amazon and not self.env.user.has_group("purchase.group_purchase_user"):
            # Shoppers lack rights on supplierinfo & co.: once they may write their
            # requisitions, confirm with sudo(), which keeps env.user for the rules.
            self._amazon_punchout_check_shopper_action(SHOPPER_EDITABLE_STATES)
            res = super(
                PurchaseOrder, self.sudo().with_context(skip_alternative_check=True)
            ).button_confirm()
        else:
            res = super().button_confirm()
        amazon.filtered(lambda o: o.state == "to approve").sudo().with_context(
            mail_activity_quick_update=True
        )._amazon_punchout_schedule_hold_reminder()
        return res

    def button_approve(self, force=False):
        approving = self.filtered(lambda o: o.state != "purchase")
        approving.filtered(
            "amazon_punchout_account_id"
        )._amazon_punchout_check_order_request()
        res = super().button_approve(force=force)
        approved = approving.filtered(
            lambda o: o.state == "purchase" and o.amazon_punchout_account_id
        )
        if approved:
            approved._amazon_punchout_enqueue_order_request()
        return res

    def button_cancel(self):
        if (
            self._amazon_punchout_restricted_user()
            and self.sudo()._amazon_punchout_requisitions()
        ):
            # A shopper withdraws their own requisition, until it is approved.
            self._amazon_punchout_check_shopper_action(SHOPPER_CANCELLABLE_STATES)
            return self.sudo().button_cancel()
        sent = self.filtered(
            lambda o: (
                o.state != "cancel"
                and o._amazon_punchout_order_requests().filtered(
                    lambda d: d.state in ("output_sending", "output_sent")
                )
            )
        )
        res = super().button_cancel()
        for order in sent.filtered(lambda o: o.state == "cancel"):
            order.sudo().amazon_punchout_cancelled_after_send = True
            order.message_post(
                body=self.env._(
                    "Cancelled in Odoo by %(user)s after the order was sent to Amazon "
                    "Business: Amazon accepts no cancellation from Odoo, cancel the "
                    "order on Amazon Business too.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return res

    def action_amazon_punchout_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_punchout.amazon_punchout_document_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        return action

    def action_amazon_punchout_shop(self):
        """Open Amazon Business in a new tab (Amazon forbids frames).

        A list header button: called on the selected orders, usually none. The URL
        carries a short-lived CSRF token (this JSON-RPC answer is readable by Odoo's
        own pages only), so the new tab goes straight to Amazon; without it the
        start route only shows its confirmation page.
        """
        url = "/amazon_punchout/start"
        if request and request.db:
            token = request.csrf_token(time_limit=START_LINK_LIFETIME)
            url = f"{url}?{urlencode({'csrf_token': token})}"
        return {"type": "ir.actions.act_url", "url": url, "target": "new"}

    # === BUSINESS METHODS: cart to requisition === #

    @api.model
    def _amazon_punchout_create_from_cart(self, session, cart):
        """Create the draft RFQ of a returned cart, with all its lines, in one create.

        :param session: the ``amazon.punchout.session`` that received the cart
        :param cart: the parsed ``cxml.PunchOutOrderMessage``
        :return: the requisition, owned by the shopper
        :raise UserError: an empty cart or one in another currency than the account's
        """
        account = session.account_id.with_company(session.company_id)
        if not cart.items:
            raise UserError(self.env._("The cart returned by Amazon is empty."))
        if cart.currency != account.currency_id.name:
            raise UserError(
                self.env._(
                    "The cart is in %(cart)s but the account %(account)s buys in "
                    "%(currency)s: it was not turned into a requisition.",
                    cart=cart.currency,
                    account=account.name,
                    currency=account.currency_id.name,
                )
            )
        Line = self.env["purchase.order.line"].with_company(account.company_id)
        fiscal_position = (
            self.env["account.fiscal.position"]
            .with_company(account.company_id)
            ._get_fiscal_position(account.partner_id)
        )
        products, uoms = account._amazon_punchout_products(cart.items)
        lines, warnings = [], []
        for number, item in enumerate(cart.items, start=1):
            uom, warning = uoms[item.supplier_part_id]
            if warning:
                warning = self.env._(
                    "Line %(n)s (%(asin)s): %(warning)s.",
                    n=number,
                    asin=item.supplier_part_id,
                    warning=warning,
                )
                warnings.append(warning)
            lines.append(
                Line._amazon_punchout_prepare_vals(
                    item,
                    number=number,
                    product=products[item.supplier_part_id],
                    uom=uom,
                    fiscal_position=fiscal_position,
                    warning=warning,
                )
            )
        shipping = (
            cart.shipping.amount
            if cart.shipping
            else sum(
                (item.shipping.amount for item in cart.items if item.shipping), start=0
            )
        )
        if shipping:
            lines.append(Line._amazon_punchout_prepare_shipping_vals(shipping))
        now = fields.Datetime.now()
        order = (
            self.sudo()
            .with_company(account.company_id)
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "partner_id": account.partner_id.id,
                    "company_id": account.company_id.id,
                    "currency_id": account.currency_id.id,
                    "fiscal_position_id": fiscal_position.id,
                    "user_id": session.user_id.id,
                    "origin": self.env._("Amazon Business cart %(id)s", id=session.id),
                    "amazon_punchout_session_id": session.id,
                    "amazon_punchout_account_id": account.id,
                    "amazon_punchout_price_hold_until": now
                    + timedelta(days=account.price_hold_days),
                    "amazon_punchout_estimated_tax": float(cart.tax.amount)
                    if cart.tax
                    else 0.0,
                    "amazon_punchout_estimated_shipping": (
                        float(cart.shipping.amount) if cart.shipping else 0.0
                    ),
                    "amazon_punchout_warnings": "\n".join(warnings) or False,
                    "order_line": [fields.Command.create(vals) for vals in lines],
                }
            )
        )
        order.message_subscribe(partner_ids=session.user_id.partner_id.ids)
        return order

    # === BUSINESS METHODS: approval and the OrderRequest === #

    def _amazon_punchout_schedule_hold_reminder(self):
        """Remind the approvers a day before Amazon's price hold lapses."""
        managers = self.env.ref("purchase.group_purchase_manager").sudo().user_ids
        today = fields.Date.context_today(self)
        for order in self:
            until = order.amazon_punchout_price_hold_until
            if not until:
                continue
            approvers = (
                managers.filtered(
                    lambda u, o=order: not u.share and o.company_id in u.company_ids
                )
                or order.user_id
            )
            deadline = max(fields.Date.to_date(until - timedelta(days=1)), today)
            for approver in approvers:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=deadline,
                    summary=self.env._("Amazon price hold lapses soon"),
                    note=self.env._(
                        "Amazon holds the prices of %(order)s until %(until)s: "
                        "approve or refuse it before then.",
                        order=order.name,
                        until=format_datetime(self.env, until),
                    ),
                    user_id=approver.id,
                )

    def _amazon_punchout_order_requests(self):
        """The outbound OrderRequests of these orders (sudo), in any state."""
        return self.sudo().amazon_punchout_document_ids.filtered(
            lambda d: d.doc_type == "OrderRequest" and d.direction == "outbound"
        )

    def _amazon_punchout_responsible(self):
        """Who hears about this order's problems: its buyer, else a purchase
        manager of its company (never a hard-coded user)."""
        self.ensure_one()
        if self.user_id:
            return self.user_id
        managers = self.env.ref("purchase.group_purchase_manager").sudo().user_ids
        return managers.filtered(
            lambda u: not u.share and self.company_id in u.company_ids
        )[:1]

    def _amazon_punchout_item_lines(self):
        return self.order_line.filtered(
            lambda line: not line.display_type and not line.amazon_punchout_is_estimate
        )

    def _amazon_punchout_ship_to_partner(self):
        self.ensure_one()
        partner = self.dest_address_id
        if not partner and "picking_type_id" in self._fields:
            partner = self.picking_type_id.warehouse_id.partner_id
        return partner or self.company_id.partner_id

    def _amazon_punchout_check_order_request(self):
        """Refuse, before approval, what cannot become a valid OrderRequest."""
        problems = []
        for order in self.sudo():
            foreign = order._amazon_punchout_item_lines().filtered(
                lambda line: (
                    not line.amazon_punchout_asin or not line.amazon_punchout_aux_id
                )
            )
            if foreign:
                problems.append(
                    self.env._(
                        "%(order)s: these lines do not come from an Amazon Business "
                        "cart and cannot be ordered from Amazon: %(lines)s.",
                        order=order.name,
                        lines=", ".join(foreign.mapped("name")),
                    )
                )
            if not order._amazon_punchout_item_lines():
                problems.append(
                    self.env._("%(order)s has no Amazon line.", order=order.name)
                )
            for label, partner in (
                (self.env._("ship-to"), order._amazon_punchout_ship_to_partner()),
                (self.env._("bill-to"), order.company_id.partner_id),
            ):
                missing = [
                    name
                    for name, value in (
                        (self.env._("street"), partner.street),
                        (self.env._("city"), partner.city),
                        (self.env._("ZIP"), partner.zip),
                        (self.env._("country"), partner.country_id),
                    )
                    if not value
                ]
                if missing:
                    problems.append(
                        self.env._(
                            "%(order)s: the %(label)s address %(partner)s lacks "
                            "%(missing)s.",
                            order=order.name,
                            label=label,
                            partner=partner.display_name,
                            missing=", ".join(missing),
                        )
                    )
            account = order.amazon_punchout_account_id
            if not (account.identity and account.shared_secret and account.order_url):
                problems.append(
                    self.env._(
                        "The Amazon Business account %(account)s lacks its identity, "
                        "shared secret or purchase order request URL.",
                        account=account.name,
                    )
                )
        if problems:
            raise UserError(
                self.env._(
                    "This order cannot be sent to Amazon Business:\n%(problems)s",
                    problems="\n".join(f"- {p}" for p in problems),
                )
            )

    def _amazon_punchout_enqueue_order_request(self):
        """Queue the OrderRequest of approved orders, once per order; no HTTP here."""
        orders = self.sudo()
        orders -= orders._amazon_punchout_order_requests().order_id
        if not orders:
            return self.env["amazon.punchout.document"]
        now = fields.Datetime.now()
        lapsed = orders.filtered(
            lambda o: (
                o.amazon_punchout_price_hold_until
                and o.amazon_punchout_price_hold_until < now
            )
        )
        if lapsed:
            lapsed.amazon_punchout_price_hold_lapsed = True
            for order in lapsed:
                order.message_post(
                    body=self.env._(
                        "Approved after Amazon's price hold lapsed (%(until)s): the "
                        "order is sent, but Amazon may re-price it.",
                        until=format_datetime(
                            self.env, order.amazon_punchout_price_hold_until
                        ),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        orders.activity_unlink(["mail.mail_activity_data_todo"])
        documents = self.env[
            "amazon.punchout.document"
        ]._amazon_punchout_create_order_requests(orders)
        documents._amazon_punchout_trigger_sending()
        return documents

    def _amazon_punchout_build_order_request(self, payload_id, timestamp):
        """The OrderRequest bytes; cXML builder refusals become a UserError."""
        self.ensure_one()
        request = self._amazon_punchout_prepare_order_request(payload_id, timestamp)
        try:
            return cxml.build_order_request(request)
        except (ValueError, TypeError) as error:
            raise UserError(
                self.env._(
                    "The order request of %(order)s could not be built: %(error)s",
                    order=self.name,
                    error=str(error),
                )
            ) from error

    def _amazon_punchout_prepare_order_request(self, payload_id=None, timestamp=None):
        self.ensure_one()
        order = self.sudo()
        account = order.amazon_punchout_account_id
        lines = order._amazon_punchout_item_lines()
        shipping = sum(
            (order.order_line - lines)
            .filtered(lambda line: line.amazon_punchout_is_estimate)
            .mapped("price_subtotal")
        )
        currency = order.currency_id.name
        approved = order.date_approve or fields.Datetime.now()
        user = order.user_id
        return cxml.OrderRequest(
            # The secret is put in when the stored bytes are sent, never stored.
            header=account._amazon_punchout_header(shared_secret=SECRET_PLACEHOLDER),
            order_id=order.name,
            order_date=approved.replace(tzinfo=timezone.utc),
            items=tuple(
                order._amazon_punchout_prepare_item_out(line) for line in lines
            ),
            ship_to=order._amazon_punchout_prepare_ship_to(),
            bill_to=order._amazon_punchout_prepare_bill_to(),
            deployment_mode=account._amazon_punchout_deployment_mode(),
            order_type="new",
            shipping=cxml.Money(Decimal(str(shipping)), currency) if shipping else None,
            contact_name=user.name or None,
            contact_email=user.amazon_punchout_email or None,
            extrinsics=tuple(order._amazon_punchout_prepare_extrinsics()),
            payload_id=payload_id,
            timestamp=timestamp and timestamp.replace(tzinfo=timezone.utc),
        )

    def _amazon_punchout_prepare_extrinsics(self):
        self.ensure_one()
        user = self.user_id
        # The identity administrators set, never the e-mail users edit themselves.
        email = user.sudo().amazon_punchout_email
        extrinsics = [("UserEmail", email)] if email else []
        if self.amazon_punchout_account_id.business_unit:
            extrinsics.append(
                ("UserBusinessUnit", self.amazon_punchout_account_id.business_unit)
            )
        if self.origin:
            extrinsics.append(("Requisition", self.origin))
        return extrinsics

    def _amazon_punchout_prepare_ship_to(self):
        self.ensure_one()
        return self.amazon_punchout_account_id._amazon_punchout_address(
            self._amazon_punchout_ship_to_partner()
        )

    def _amazon_punchout_prepare_bill_to(self):
        self.ensure_one()
        return self.amazon_punchout_account_id._amazon_punchout_address(
            self.company_id.partner_id
        )

    def _amazon_punchout_prepare_item_out(self, line):
        self.ensure_one()
        unspsc = line.amazon_punchout_unspsc
        return cxml.ItemOut(
            line_number=line.amazon_punchout_line_number,
            quantity=Decimal(str(line.product_qty)),
            supplier_part_id=line.amazon_punchout_asin,
            supplier_part_auxiliary_id=line.amazon_punchout_aux_id,
            unit_price=cxml.Money(Decimal(str(line.price_unit)), self.currency_id.name),
            description=line.name or line.product_id.display_name,
            unit_of_measure=line.amazon_punchout_uom_code or "EA",
            classifications=(("UNSPSC", unspsc or ""),),
            manufacturer_part_id=line.amazon_punchout_manufacturer_part or None,
            manufacturer_name=line.amazon_punchout_manufacturer_name or None,
        )
