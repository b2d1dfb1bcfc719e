# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each role at home: the shopper hears about approval and refusal, Odoo's e-mail and
print buttons do not pretend an Amazon order travels on paper."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_datetime

# Amazon answered: the vendor has acknowledged the order.
ACKNOWLEDGED_STATUSES = (
    "confirmed",
    "partly_rejected",
    "backordered",
    "partly_shipped",
    "shipped",
)


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"  # pylint: disable=consider-merging-classes-inherited

    amazon_punchout_transmission = fields.Char(
        string="Sent to Amazon",
        compute="_compute_amazon_punchout_transmission",
        compute_sudo=True,
        help="Amazon Business orders travel electronically (cXML), never by e-mail "
        "or on paper: where this one is on its way.",
    )

    @api.depends(
        "state",
        "amazon_punchout_account_id",
        "amazon_punchout_document_ids.state",
        "amazon_punchout_document_ids.last_attempt_at",
    )
    def _compute_amazon_punchout_transmission(self):
        for order in self:
            if not order.amazon_punchout_account_id:
                order.amazon_punchout_transmission = False
                continue
            request = order._amazon_punchout_order_requests()[:1]
            if request.state == "output_sent":
                text = self.env._(
                    "Sent to Amazon Business electronically on %(date)s",
                    date=format_datetime(
                        self.env, request.last_attempt_at or request.write_date
                    ),
                )
            elif request.state in ("output_pending", "output_sending"):
                text = self.env._("Being sent to Amazon Business electronically")
            elif request.state == "output_error":
                text = self.env._(
                    "Sending to Amazon Business failed: see the Amazon documents"
                )
            elif order.state == "cancel":
                text = self.env._("Never sent to Amazon Business")
            else:
                text = self.env._(
                    "Sent to Amazon Business electronically once approved"
                )
            order.amazon_punchout_transmission = text

    # === ACTION METHODS === #

    def _amazon_punchout_refuse_paper(self, action):
        """Odoo's e-mail and print actions make no sense for Amazon orders."""
        amazon = self.filtered("amazon_punchout_account_id")
        if amazon:
            raise UserError(
                self.env._(
                    "%(orders)s: Amazon Business orders are sent to Amazon "
                    "electronically (cXML) once approved, so %(action)s is not "
                    "available for them. The 'Amazon documents' button shows what was "
                    "sent and what Amazon answered.",
                    orders=", ".join(amazon.mapped("display_name")),
                    action=action,
                )
            )

    def action_rfq_send(self):
        self._amazon_punchout_refuse_paper(self.env._("sending by e-mail"))
        return super().action_rfq_send()

    def print_quotation(self):
        self._amazon_punchout_refuse_paper(
            self.env._("printing a request for quotation")
        )
        return super().print_quotation()

    def button_approve(self, force=False):
        pending = self.filtered(
            lambda o: o.state != "purchase" and o.amazon_punchout_account_id
        )
        res = super().button_approve(force=force)
        pending.filtered(
            lambda o: o.state == "purchase"
        )._amazon_punchout_notify_approval()
        return res

    def button_cancel(self):
        pending = self.filtered(
            lambda o: o.state != "cancel" and o.amazon_punchout_account_id
        )
        states = {order.id: order.state for order in pending}
        res = super().button_cancel()
        for order in pending.filtered(lambda o: o.state == "cancel"):
            order._amazon_punchout_notify_refusal(states[order.id])
        return res

    def action_amazon_punchout_approve(self):
        """Approve from the list, in one click; say why when Odoo's rules refuse.

        Odoo's own ``button_approve`` silently skips what the user may not approve.
        """
        waiting = self.filtered(lambda o: o.state == "to approve")
        others = self - waiting
        if others:
            raise UserError(
                self.env._(
                    "%(orders)s no longer wait for approval (someone approved, "
                    "refused or withdrew them meanwhile): reload the list.",
                    orders=", ".join(others.mapped("display_name")),
                )
            )
        refused = waiting.filtered(lambda o: not o._approval_allowed())
        if refused:
            raise UserError(
                self.env._(
                    "Odoo's approval rules (Purchase > Configuration > Settings, "
                    "Purchase Order Approval) let only a purchase manager approve "
                    "%(orders)s: the amount is over the two-step approval amount. "
                    "Ask a purchase manager, or refuse it.",
                    orders=", ".join(refused.mapped("display_name")),
                )
            )
        return waiting.button_approve()

    def action_amazon_punchout_refuse(self):
        """Open the refusal dialog: the approver says why, the shopper hears it."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse requisition"),
            "res_model": "amazon.punchout.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    # === BUSINESS METHODS: the shopper's notifications === #

    def _amazon_punchout_notify_approval(self):
        for order in self:
            shopper = order._amazon_punchout_shopper()
            if not shopper or shopper == self.env.user:
                continue  # nobody to tell: the shopper approved their own order
            body = Markup("<p>%s</p><p>%s</p>") % (
                self.env._(
                    "Your requisition %(order)s (%(amount)s) was approved by "
                    "%(approver)s.",
                    order=order.name,
                    amount=format_amount(
                        self.env, order.amount_total, order.currency_id
                    ),
                    approver=self.env.user.name,
                ),
                self.env._(
                    "Odoo sends it to Amazon Business electronically; you will be "
                    "notified when Amazon confirms and ships it."
                ),
            )
            order._amazon_punchout_notify(body, shopper)

    def _amazon_punchout_notify_refusal(self, previous_state):
        """Tell the shopper who refused (or cancelled) their requisition, and why."""
        self.ensure_one()
        shopper = self._amazon_punchout_shopper()
        if not shopper or shopper == self.env.user:
            return  # the shopper withdrew it themselves
        reason = (self.env.context.get("amazon_punchout_refuse_reason") or "").strip()
        if previous_state == "purchase":
            text = self.env._(
                "Your order %(order)s was cancelled by %(user)s after its approval.",
                order=self.name,
                user=self.env.user.name,
            )
        else:
            text = self.env._(
                "Your requisition %(order)s was refused by %(user)s.",
                order=self.name,
                user=self.env.user.name,
            )
        body = Markup("<p>%s</p>") % text
        body += Markup("<p>%s</p>") % (
            self.env._("Reason: %(reason)s", reason=reason)
            if reason
            else self.env._("No reason was given.")
        )
        if self.amazon_punchout_cancelled_after_send:
            outcome = self.env._(
                "It had already been sent to Amazon Business: the purchase team "
                "cancels it on Amazon too. Questions: %(user)s (%(email)s).",
                user=self.env.user.name,
                email=self.env.user.email or "-",
            )
        else:
            outcome = self.env._(
                "Nothing will be ordered from Amazon. Questions: %(user)s "
                "(%(email)s); to order something else, shop again on Amazon "
                "Business.",
                user=self.env.user.name,
                email=self.env.user.email or "-",
            )
        body += Markup("<p>%s</p>") % outcome
        self._amazon_punchout_notify(body, shopper)

    # === BUSINESS METHODS: Amazon's answers === #

    def _amazon_punchout_update_status(self):
        res = super()._amazon_punchout_update_status()
        # Amazon's confirmation is the vendor's acknowledgement (Odoo's own flag and
        # its "Not Acknowledged" filter), which no one clicks by hand on these orders.
        self.filtered(
            lambda o: (
                not o.acknowledged and o.amazon_punchout_status in ACKNOWLEDGED_STATUSES
            )
        ).acknowledged = True
        return res
