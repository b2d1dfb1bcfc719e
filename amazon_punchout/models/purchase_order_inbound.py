# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon's confirmations and ship notices applied to the purchase order."""

import re

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..const import ERROR_CODE_PATTERN
from .amazon_punchout_document_inbound import InboundProblem, to_utc_naive
from .amazon_punchout_shipment import tracking_link

AMAZON_STATUSES = [
    ("confirmed", "Confirmed"),
    ("partly_rejected", "Partly rejected"),
    ("rejected", "Rejected"),
    ("backordered", "Backordered"),
    ("partly_shipped", "Partly shipped"),
    ("shipped", "Shipped"),
]

# ConfirmationStatus@type (and ConfirmationHeader@type for whole-order answers) →
# the quantity it counts in. "except" only announces per-line statuses.
STATUS_KINDS = {
    "accept": "confirmed",
    "detail": "confirmed",
    "allDetail": "confirmed",
    "requestToPay": "confirmed",
    "reject": "rejected",
    "backordered": "backordered",
}
KINDS = ("confirmed", "rejected", "backordered")


# Kept apart from the outbound code while both change in parallel; merge later.
class PurchaseOrder(models.Model):
    _inherit = "purchase.order"  # pylint: disable=consider-merging-classes-inherited

    amazon_punchout_status = fields.Selection(
        AMAZON_STATUSES,
        string="Amazon status",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="What Amazon Business answered: confirmations and ship notices.",
    )
    amazon_punchout_order_refs = fields.Char(
        string="Amazon orders",
        readonly=True,
        copy=False,
        help="Amazon order numbers (Amazon may split one purchase order).",
    )
    amazon_punchout_shipment_ids = fields.One2many(
        "amazon.punchout.shipment", "order_id", string="Amazon shipments"
    )
    amazon_punchout_shipment_count = fields.Integer(
        compute="_compute_amazon_punchout_shipment_count"
    )
    amazon_punchout_align_needed = fields.Boolean(
        compute="_compute_amazon_punchout_align_needed"
    )

    # === COMPUTE METHODS === #

    @api.depends("amazon_punchout_shipment_ids")
    def _compute_amazon_punchout_shipment_count(self):
        for order in self:
            order.amazon_punchout_shipment_count = len(
                order.sudo().amazon_punchout_shipment_ids
            )

    @api.depends(
        "order_line.product_qty",
        "order_line.price_unit",
        "order_line.amazon_punchout_qty_confirmed",
        "amazon_punchout_status",
    )
    def _compute_amazon_punchout_align_needed(self):
        for order in self:
            order.amazon_punchout_align_needed = bool(
                order.amazon_punchout_status
                and order.state == "purchase"
                and order._amazon_punchout_align_values()
            )

    # === ACTION METHODS === #

    def action_amazon_punchout_shipments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_punchout.amazon_punchout_shipment_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_amazon_punchout_align(self):
        """Bring the order down to what Amazon confirmed: quantities and prices.

        Rejected quantities go to 0, confirmed prices replace ordered ones, so the
        totals match what Amazon will invoice. Never below what was already
        received or billed.
        """
        if not self.env.user.has_group("purchase.group_purchase_user"):
            raise UserError(self.env._("Only purchase users can align orders."))
        self.check_access("write")
        for order in self:
            changes = order._amazon_punchout_align_values()
            if not changes:
                continue
            summary = []
            for line, vals in changes:
                line.with_context(amazon_punchout_align=True).write(vals)
                summary.append(
                    Markup("<li>%s: %s</li>")
                    % (
                        line.name.splitlines()[0] if line.name else line.display_name,
                        ", ".join(f"{k} → {v}" for k, v in vals.items()),
                    )
                )
            order.message_post(
                body=Markup("%s<ul>%s</ul>")
                % (
                    self.env._(
                        "Aligned with what Amazon confirmed by %(user)s:",
                        user=self.env.user.name,
                    ),
                    Markup().join(summary),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _amazon_punchout_align_values(self):
        """[(line, vals)] that bring the lines to what Amazon confirmed."""
        self.ensure_one()
        changes = []
        for line in self._amazon_punchout_item_lines():
            answered = (
                line.amazon_punchout_qty_confirmed
                + line.amazon_punchout_qty_rejected
                + line.amazon_punchout_qty_backordered
            )
            rounding = line.product_uom_id.rounding or 0.01
            if float_is_zero(answered, precision_rounding=rounding):
                continue
            vals = {}
            target = max(
                line.amazon_punchout_qty_confirmed
                + line.amazon_punchout_qty_backordered,
                line.qty_received,
                line.qty_invoiced,
            )
            if float_compare(line.product_qty, target, precision_rounding=rounding):
                vals["product_qty"] = target
            price = line.amazon_punchout_confirmed_price
            if price and float_compare(price, line.price_unit, precision_digits=6):
                vals["price_unit"] = price
            if vals:
                changes.append((line, vals))
        return changes

    # === BUSINESS METHODS: matching === #

    @api.model
    def _amazon_punchout_match_order(self, account, order_name, payload_id):
        """The order an OrderReference points to: by our payloadID and PO number.

        :raise InboundProblem: unknown or contradictory reference
        """
        Document = self.env["amazon.punchout.document"].sudo()
        by_payload = self.browse()
        if payload_id:
            by_payload = Document.search(
                [
                    ("account_id", "=", account.id),
                    ("direction", "=", "outbound"),
                    ("doc_type", "=", "OrderRequest"),
                    ("payload_id", "=", payload_id),
                ],
                limit=1,
            ).order_id
        by_name = self.browse()
        if order_name:
            by_name = self.sudo().search(
                [
                    ("name", "=", order_name),
                    ("amazon_punchout_account_id", "=", account.id),
                ],
                limit=1,
            )
        if by_payload and by_name and by_payload != by_name:
            raise InboundProblem(
                self.env._(
                    "The document names order %(name)s but the payloadID of the "
                    "order request of %(other)s: fix the reference, then process "
                    "it again.",
                    name=order_name,
                    other=by_payload.name,
                )
            )
        order = by_payload or by_name
        if not order:
            raise InboundProblem(
                self.env._(
                    "No purchase order of %(account)s matches order %(name)s "
                    "(payloadID %(payload)s).",
                    account=account.name,
                    name=order_name or "-",
                    payload=payload_id or "-",
                )
            )
        return order

    def _amazon_punchout_lines_by_number(self, numbers, document):
        """{Amazon line number: line}; an unknown line number is a problem."""
        self.ensure_one()
        lines = {
            line.amazon_punchout_line_number: line
            for line in self._amazon_punchout_item_lines()
        }
        unknown = sorted({n for n in numbers if n not in lines}, key=str)
        if unknown:
            raise InboundProblem(
                self.env._(
                    "%(document)s names line(s) %(lines)s, which %(order)s does not "
                    "have.",
                    document=document.display_name,
                    lines=", ".join(str(n) for n in unknown),
                    order=self.name,
                )
            )
        return lines

    def _amazon_punchout_buyer(self):
        """Who acts on a rejection: the approver, else a purchase manager."""
        self.ensure_one()
        documents = self.sudo().amazon_punchout_document_ids.filtered(
            lambda d: d.direction == "outbound" and d.doc_type == "OrderRequest"
        )
        approver = documents[:1].create_uid
        if (
            approver
            and not approver.share
            and approver.has_group("purchase.group_purchase_user")
        ):
            return approver
        return self.env["amazon.punchout.document"]._amazon_punchout_attention_user()

    def _amazon_punchout_shopper(self):
        self.ensure_one()
        return self.amazon_punchout_session_id.user_id or self.user_id

    # === BUSINESS METHODS: confirmations === #

    def _amazon_punchout_confirmation_entries(self, document, confirmation, lines):
        """{(Amazon order, line number): entry} of one ConfirmationRequest."""
        self.ensure_one()
        order_ref = confirmation.confirm_id or ""
        header_reason = " ".join(confirmation.comments)
        entries = {}
        if not confirmation.items:
            kind = STATUS_KINDS.get(confirmation.type)
            if kind is None:
                raise InboundProblem(
                    self.env._(
                        "%(document)s is a '%(type)s' confirmation without lines: "
                        "Odoo cannot tell which lines it concerns.",
                        document=document.display_name,
                        type=confirmation.type,
                    )
                )
            for number, line in lines.items():
                entry = self._amazon_punchout_new_entry()
                entry[kind] = line.amazon_punchout_qty_sent or line.product_qty
                entry["reason"] = header_reason if kind != "confirmed" else ""
                entries[order_ref, number] = entry
            return entries
        for item in confirmation.items:
            entry = self._amazon_punchout_new_entry()
            statuses = item.statuses or ()
            if not statuses:
                kind = STATUS_KINDS.get(confirmation.type)
                if kind is None:
                    raise InboundProblem(
                        self.env._(
                            "%(document)s: line %(line)s has no status.",
                            document=document.display_name,
                            line=item.line_number,
                        )
                    )
                entry[kind] += float(item.quantity or 0)
            for status in statuses:
                kind = STATUS_KINDS.get(status.type) or STATUS_KINDS.get(
                    confirmation.type
                )
                if kind is None:
                    raise InboundProblem(
                        self.env._(
                            "%(document)s: line %(line)s has the status '%(type)s', "
                            "which Odoo does not know.",
                            document=document.display_name,
                            line=item.line_number,
                            type=status.type,
                        )
                    )
                quantity = status.quantity
                if quantity is None:
                    quantity = item.quantity or 0
                entry[kind] += float(quantity)
                if kind == "confirmed" and status.unit_price is not None:
                    entry["price"] = float(status.unit_price.amount)
                date = status.delivery_date or status.shipment_date
                if date:
                    entry["delivery_date"] = to_utc_naive(date)
                reasons = []
                for comment_type, text in status.comment_types or (
                    ("", text) for text in status.comments
                ):
                    if comment_type.lower() == "confirmid":
                        entry["order_refs"].add(text.strip())
                    else:
                        reasons.append(text)
                if kind != "confirmed":
                    entry["reason"] = " ".join(reasons) or header_reason
            if order_ref and entry["confirmed"] + entry["backordered"]:
                entry["order_refs"].add(order_ref)
            entries[order_ref, item.line_number] = entry
        return entries

    @api.model
    def _amazon_punchout_new_entry(self):
        return {
            "confirmed": 0.0,
            "rejected": 0.0,
            "backordered": 0.0,
            "price": None,
            "delivery_date": None,
            "reason": "",
            "order_refs": set(),
        }

    def _amazon_punchout_apply_confirmation(self, document, confirmation):
        """Recompute the lines from every confirmation of the order, this one too.

        Per (Amazon order, line) the latest notice wins, so a repeated or updated
        confirmation replaces the earlier one; split orders add up.
        """
        self.ensure_one()
        lines = self._amazon_punchout_lines_by_number(
            [item.line_number for item in confirmation.items], document
        )
        item_lines = self._amazon_punchout_item_lines()
        item_lines._amazon_punchout_capture_sent_qty()
        before = {
            line: (
                line.amazon_punchout_qty_rejected,
                line.amazon_punchout_confirmed_price,
            )
            for line in item_lines
        }
        others = self.sudo().amazon_punchout_document_ids.filtered(
            lambda d: (
                d.direction == "inbound"
                and d.doc_type == "ConfirmationRequest"
                and d.state == "input_processed"
                and d != document
            )
        )
        history = [(d, d._amazon_punchout_parsed().body) for d in others]
        history.append((document, confirmation))
        history.sort(
            key=lambda pair: (
                pair[0].notice_date or pair[0].create_date,
                pair[0].id,
            )
        )
        entries = {}
        this_entries = {}
        for doc, body in history:
            doc_entries = self._amazon_punchout_confirmation_entries(
                doc,
                body,
                self._amazon_punchout_lines_by_number(
                    [item.line_number for item in body.items], doc
                ),
            )
            entries.update(doc_entries)
            if doc == document:
                this_entries = doc_entries
        self._amazon_punchout_write_confirmed(entries, lines)
        order_refs = set()
        for line in item_lines:
            order_refs.update(
                filter(None, (line.amazon_punchout_order_refs or "").split(", "))
            )
        order_refs.update(
            doc.amazon_reference for doc, _body in history if doc.amazon_reference
        )
        self.amazon_punchout_order_refs = ", ".join(sorted(order_refs)) or False
        self._amazon_punchout_update_status()
        self._amazon_punchout_confirmation_activity(document, before)
        self._amazon_punchout_notify_confirmation(
            document, confirmation, this_entries, lines
        )

    def _amazon_punchout_write_confirmed(self, entries, lines):
        totals = {}
        for (_order_ref, number), entry in entries.items():
            total = totals.setdefault(number, self._amazon_punchout_new_entry())
            for kind in KINDS:
                total[kind] += entry[kind]
            for key in ("price", "delivery_date"):
                if entry[key] is not None:
                    total[key] = entry[key]
            if entry["reason"]:
                total["reason"] = entry["reason"]
            total["order_refs"] |= entry["order_refs"]
        problems = []
        for line in self._amazon_punchout_item_lines():
            total = totals.get(line.amazon_punchout_line_number)
            if total is None:
                continue
            sent = line.amazon_punchout_qty_sent or line.product_qty
            answered = sum(total[kind] for kind in KINDS)
            rounding = line.product_uom_id.rounding or 0.01
            if float_compare(answered, sent, precision_rounding=rounding) > 0:
                problems.append(
                    self.env._(
                        "line %(line)s: Amazon answered for %(answered)s but %(sent)s "
                        "were ordered",
                        line=line.amazon_punchout_line_number,
                        answered=answered,
                        sent=sent,
                    )
                )
                continue
            price = total["price"]
            if price is not None and not float_compare(
                price, line.price_unit, precision_digits=6
            ):
                price = None
            code = re.search(ERROR_CODE_PATTERN, total["reason"] or "")
            line.write(
                {
                    "amazon_punchout_qty_confirmed": total["confirmed"],
                    "amazon_punchout_qty_rejected": total["rejected"],
                    "amazon_punchout_qty_backordered": total["backordered"],
                    "amazon_punchout_confirmed_price": price or 0.0,
                    "amazon_punchout_delivery_date": total["delivery_date"] or False,
                    "amazon_punchout_reject_reason": (
                        total["reason"]
                        if total["rejected"] or total["backordered"]
                        else False
                    )
                    or False,
                    "amazon_punchout_error_code": code.group(1) if code else False,
                    "amazon_punchout_order_refs": ", ".join(sorted(total["order_refs"]))
                    or False,
                }
            )
        if problems:
            raise InboundProblem(
                self.env._(
                    "Quantities over what %(order)s ordered: %(problems)s.",
                    order=self.name,
                    problems="; ".join(problems),
                )
            )

    def _amazon_punchout_confirmation_activity(self, document, before):
        """An activity for the buyer when lines are newly rejected or re-priced."""
        rejected, repriced = [], []
        for line, (old_rejected, old_price) in before.items():
            if line.amazon_punchout_qty_rejected > old_rejected:
                rejected.append(line)
            price = line.amazon_punchout_confirmed_price
            if price and price != old_price:
                repriced.append(line)
        if not (rejected or repriced):
            return
        notes = [
            self.env._(
                "%(line)s: %(qty)s rejected (%(reason)s)",
                line=line.name.splitlines()[0] if line.name else line.id,
                qty=line.amazon_punchout_qty_rejected,
                reason=line.amazon_punchout_reject_reason or "-",
            )
            for line in rejected
        ] + [
            self.env._(
                "%(line)s: confirmed at %(price)s instead of %(ordered)s",
                line=line.name.splitlines()[0] if line.name else line.id,
                price=line.amazon_punchout_confirmed_price,
                ordered=line.price_unit,
            )
            for line in repriced
        ]
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._("Amazon changed the order: align it"),
            note=Markup("<ul>%s</ul>")
            % Markup().join(Markup("<li>%s</li>") % note for note in notes),
            user_id=self._amazon_punchout_buyer().id,
        )

    def _amazon_punchout_notify_confirmation(
        self, document, confirmation, entries, lines
    ):
        """Tell the shopper, through Odoo's notifications (e-mail or inbox)."""
        shopper = self._amazon_punchout_shopper()
        fulfilled, unfulfilled = [], []
        for (order_ref, number), entry in sorted(
            entries.items(), key=lambda kv: (kv[0][1], kv[0][0])
        ):
            line = lines.get(number) or self.order_line.filtered(
                lambda ln, n=number: ln.amazon_punchout_line_number == n
            )
            label = (line.name or "").splitlines()[0] if line.name else str(number)
            if entry["confirmed"]:
                delivery = entry["delivery_date"]
                fulfilled.append(
                    self.env._(
                        "%(qty)s × %(line)s (Amazon order %(ref)s%(date)s)",
                        qty=entry["confirmed"],
                        line=label,
                        ref=", ".join(sorted(entry["order_refs"])) or order_ref or "-",
                        date=self.env._(", delivery expected %(d)s", d=delivery.date())
                        if delivery
                        else "",
                    )
                )
            if entry["rejected"]:
                unfulfilled.append(
                    self.env._(
                        "%(qty)s × %(line)s rejected: %(reason)s",
                        qty=entry["rejected"],
                        line=label,
                        reason=entry["reason"] or self.env._("no reason given"),
                    )
                )
            if entry["backordered"]:
                delivery = entry["delivery_date"]
                unfulfilled.append(
                    self.env._(
                        "%(qty)s × %(line)s backordered%(date)s",
                        qty=entry["backordered"],
                        line=label,
                        date=self.env._(", expected %(d)s", d=delivery.date())
                        if delivery
                        else "",
                    )
                )
        buyer = self._amazon_punchout_buyer()
        if self.amazon_punchout_status == "rejected" and not fulfilled:
            reason = " ".join(confirmation.comments) or "; ".join(unfulfilled)
            code = re.search(ERROR_CODE_PATTERN, reason or "")
            body = Markup("<p>%s</p><p>%s</p>") % (
                self.env._(
                    "Amazon Business refused %(order)s: %(reason)s%(code)s.",
                    order=self.name,
                    reason=reason or self.env._("no reason given"),
                    code=self.env._(" (error code %(c)s)", c=code.group(1))
                    if code
                    else "",
                ),
                self.env._(
                    "Nothing will be delivered. Contact %(buyer)s (%(email)s) to "
                    "order it another way.",
                    buyer=buyer.name,
                    email=buyer.email or "-",
                ),
            )
        else:
            body = Markup("<p>%s</p>") % self.env._(
                "Amazon Business confirmed %(order)s.", order=self.name
            )
            if fulfilled:
                body += Markup("<p>%s</p><ul>%s</ul>") % (
                    self.env._("Confirmed:"),
                    Markup().join(Markup("<li>%s</li>") % t for t in fulfilled),
                )
            if unfulfilled:
                body += Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
                    self.env._("Not delivered now:"),
                    Markup().join(Markup("<li>%s</li>") % t for t in unfulfilled),
                    self.env._(
                        "Questions: %(buyer)s (%(email)s).",
                        buyer=buyer.name,
                        email=buyer.email or "-",
                    ),
                )
        self._amazon_punchout_notify(body, shopper)

    def _amazon_punchout_notify(self, body, shopper):
        self.ensure_one()
        partners = shopper.partner_id if shopper and not shopper.share else None
        self.message_post(
            body=body,
            partner_ids=partners.ids if partners else [],
            subtype_xmlid="mail.mt_comment" if partners else "mail.mt_note",
            message_type="notification",
        )

    # === BUSINESS METHODS: ship notices === #

    @api.model
    def _amazon_punchout_apply_ship_notice(self, document, notice):
        if not notice.shipment_id:
            raise InboundProblem(self.env._("The ship notice has no shipmentID."))
        if not notice.portions:
            raise InboundProblem(
                self.env._("The ship notice names no order (no ShipNoticePortion).")
            )
        pairs = []
        for portion in notice.portions:
            order = self._amazon_punchout_match_order(
                document.account_id, portion.order_id, portion.order_payload_id
            )
            pairs.append((order, portion))
        document.order_id = pairs[0][0]
        for order, portion in pairs:
            order._amazon_punchout_store_shipment(document, notice, portion)

    def _amazon_punchout_store_shipment(self, document, notice, portion):
        self.ensure_one()
        lines = self._amazon_punchout_lines_by_number(
            [item.line_number for item in portion.items], document
        )
        self._amazon_punchout_item_lines()._amazon_punchout_capture_sent_qty()
        Shipment = self.env["amazon.punchout.shipment"].sudo()
        shipment = Shipment.search(
            [("order_id", "=", self.id), ("name", "=", notice.shipment_id)], limit=1
        )
        if notice.operation == "delete":
            shipment.unlink()
            self._amazon_punchout_write_shipped()
            self._amazon_punchout_update_status()
            self.message_post(
                body=self.env._(
                    "Amazon withdrew shipment %(id)s.", id=notice.shipment_id
                ),
                subtype_xmlid="mail.mt_note",
            )
            return Shipment
        carrier, numbers, url, packages = "", [], None, []
        for control in notice.carriers:
            carrier = carrier or control.carrier
            for number in control.tracking_numbers or (control.tracking_number,):
                if number and number not in numbers:
                    numbers.append(number)
            url = url or tracking_link(
                control.carrier or carrier,
                control.tracking_number,
                control.tracking_url,
            )
            if control.package_range and any(control.package_range):
                packages.append("-".join(control.package_range))
        quantities = {}
        for item in portion.items:
            quantities[item.line_number] = quantities.get(
                item.line_number, 0.0
            ) + float(item.quantity or 0)
        vals = {
            "name": notice.shipment_id,
            "order_id": self.id,
            "account_id": document.account_id.id,
            "document_id": document.id,
            "shipment_date": to_utc_naive(notice.shipment_date),
            "delivery_date": to_utc_naive(notice.delivery_date),
            "notice_date": to_utc_naive(notice.notice_date),
            "shipment_type": notice.shipment_type or False,
            "fulfillment_type": notice.fulfillment_type or False,
            "carrier": carrier or False,
            "tracking_ref": ", ".join(numbers) or False,
            "tracking_url": url or False,
            "package_info": ", ".join(packages) or False,
            "line_ids": [
                (
                    0,
                    0,
                    {
                        "order_line_id": lines[number].id,
                        "line_number": number,
                        "quantity": quantity,
                        "uom_code": next(
                            (
                                i.unit_of_measure
                                for i in portion.items
                                if i.line_number == number
                            ),
                            False,
                        ),
                    },
                )
                for number, quantity in quantities.items()
            ],
        }
        if shipment:
            shipment.line_ids.unlink()
            shipment.write(vals)
        else:
            shipment = Shipment.create(vals)
        self._amazon_punchout_write_shipped()
        self._amazon_punchout_update_status()
        self._amazon_punchout_notify_shipment(shipment)
        self._amazon_punchout_shipment_received(shipment)
        return shipment

    def _amazon_punchout_write_shipped(self):
        self.ensure_one()
        shipped = {}
        for line in self.sudo().amazon_punchout_shipment_ids.line_ids:
            shipped[line.order_line_id] = shipped.get(line.order_line_id, 0.0) + (
                line.quantity
            )
        problems = []
        for line in self._amazon_punchout_item_lines():
            quantity = shipped.get(line, 0.0)
            sent = line.amazon_punchout_qty_sent or line.product_qty
            rounding = line.product_uom_id.rounding or 0.01
            if float_compare(quantity, sent, precision_rounding=rounding) > 0:
                problems.append(
                    self.env._(
                        "line %(line)s: %(shipped)s shipped but %(sent)s ordered",
                        line=line.amazon_punchout_line_number,
                        shipped=quantity,
                        sent=sent,
                    )
                )
            line.amazon_punchout_qty_shipped = quantity
        if problems:
            raise InboundProblem(
                self.env._(
                    "Shipped quantities over what %(order)s ordered: %(problems)s.",
                    order=self.name,
                    problems="; ".join(problems),
                )
            )

    def _amazon_punchout_notify_shipment(self, shipment):
        items = Markup().join(
            Markup("<li>%s × %s</li>")
            % (line.quantity, (line.name or "").splitlines()[0] if line.name else "")
            for line in shipment.line_ids
        )
        if shipment.tracking_url:
            tracking = Markup('<a href="%s" target="_blank">%s</a>') % (
                shipment.tracking_url,
                shipment.tracking_ref or shipment.tracking_url,
            )
        else:
            tracking = escape(shipment.tracking_ref or self.env._("no tracking number"))
        details = {
            "order": self.name,
            "id": shipment.name,
            "carrier": shipment.carrier or self.env._("not named"),
            "delivery": self.env._(
                ", delivery expected %(d)s", d=shipment.delivery_date.date()
            )
            if shipment.delivery_date
            else "",
        }
        if self.amazon_punchout_status == "shipped":
            text = self.env._(
                "Amazon shipped %(order)s: everything ordered is on its way "
                "(shipment %(id)s, carrier %(carrier)s%(delivery)s). Tracking:",
                **details,
            )
        else:
            text = self.env._(
                "Amazon shipped part of %(order)s (shipment %(id)s, carrier "
                "%(carrier)s%(delivery)s); the rest follows. Tracking:",
                **details,
            )
        body = Markup("<p>%s %s</p><ul>%s</ul>") % (
            text,
            tracking,
            items,
        )
        self._amazon_punchout_notify(body, self._amazon_punchout_shopper())

    def _amazon_punchout_shipment_received(self, shipment):
        """Hook for bridges (amazon_punchout_stock: the incoming receipt)."""
        return shipment

    # === BUSINESS METHODS: status === #

    def _amazon_punchout_update_status(self):
        for order in self:
            lines = order._amazon_punchout_item_lines()
            sent = confirmed = rejected = backordered = shipped = 0.0
            for line in lines:
                sent += line.amazon_punchout_qty_sent or line.product_qty
                confirmed += line.amazon_punchout_qty_confirmed
                rejected += line.amazon_punchout_qty_rejected
                backordered += line.amazon_punchout_qty_backordered
                shipped += line.amazon_punchout_qty_shipped
            digits = 6
            if float_compare(shipped, 0, precision_digits=digits) > 0:
                status = (
                    "shipped"
                    if float_compare(shipped, sent - rejected, precision_digits=digits)
                    >= 0
                    else "partly_shipped"
                )
            elif float_is_zero(
                confirmed + rejected + backordered, precision_digits=digits
            ):
                status = order.amazon_punchout_status
            elif float_compare(rejected, sent, precision_digits=digits) >= 0:
                status = "rejected"
            elif rejected:
                status = "partly_rejected"
            elif backordered:
                status = "backordered"
            else:
                status = "confirmed"
            if status != order.amazon_punchout_status:
                order.amazon_punchout_status = status
