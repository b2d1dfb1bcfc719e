# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from datetime import timedelta, timezone
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .. import cxml

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
                self.env._("Only Amazon Business carts become Amazon requisitions.")
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
                    "delete them."
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
                "draft, they may remove lines or lower quantities.",
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
                        "you can do this.",
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
                and o.sudo().amazon_punchout_document_ids.filtered(
                    lambda d: (
                        d.doc_type == "OrderRequest"
                        and d.direction == "outbound"
                        and d.state in ("output_sending", "output_sent")
                    )
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

        A list header button: called on the selected orders, usually none.
        """
        return {
            "type": "ir.actions.act_url",
            "url": "/amazon_punchout/start",
            "target": "new",
        }

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
                        until=fields.Datetime.to_string(until),
                    ),
                    user_id=approver.id,
                )

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
        queued = orders.amazon_punchout_document_ids.filtered(
            lambda d: d.doc_type == "OrderRequest" and d.direction == "outbound"
        ).order_id
        orders -= queued
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
                        until=fields.Datetime.to_string(
                            order.amazon_punchout_price_hold_until
                        ),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        orders.activity_unlink(["mail.mail_activity_data_todo"])
        documents = self.env[
            "amazon.punchout.document"
        ]._amazon_punchout_create_order_requests(orders)
        self.env.ref("amazon_punchout.ir_cron_send_documents")._trigger()
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
            header=account._amazon_punchout_header(),
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
