# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import float_compare, format_date, formatLang

CHARGES = [
    ("shipping", "Shipping"),
    ("special_handling", "Special handling"),
    ("discount", "Discount"),
    ("deposit", "Deposit"),
]


def _qty(value):
    return f"{value:g}"


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    amazon_punchout_invoice_line_number = fields.Integer(
        string="Amazon invoice line", readonly=True, copy=False
    )
    amazon_punchout_line_number = fields.Integer(
        string="Amazon order line", readonly=True, copy=False
    )
    amazon_punchout_charge = fields.Selection(
        CHARGES, string="Amazon charge", readonly=True, copy=False
    )
    amazon_punchout_match_note = fields.Char(
        string="Difference to the order",
        readonly=True,
        copy=False,
        help="How this line compares with its purchase order line.",
    )

    def _amazon_punchout_number(self, value):
        return formatLang(self.env, value, digits=2)

    def _amazon_punchout_match_line(self, refund, tolerance_amount, tolerance_percent):
        """(note for a person, within tolerance?) for one bill line."""
        self.ensure_one()
        currency = self.currency_id
        number = self.amazon_punchout_invoice_line_number or self.sequence
        label = self.env._("Line %(number)s", number=number)
        if self.amazon_punchout_charge:
            return self._amazon_punchout_match_charge(label, tolerance_amount)
        po_line = self.purchase_line_id
        if not po_line:
            if self.amazon_punchout_line_number:
                return (
                    self.env._(
                        "%(line)s: order line %(po_line)s is not on the purchase "
                        "order (%(amount)s).",
                        line=label,
                        po_line=self.amazon_punchout_line_number,
                        amount=formatLang(
                            self.env, self.price_subtotal, currency_obj=currency
                        ),
                    ),
                    False,
                )
            return (
                self.env._(
                    "%(line)s: %(amount)s invoiced without item lines: compare it "
                    "with the order by hand.",
                    line=label,
                    amount=formatLang(
                        self.env, self.price_subtotal, currency_obj=currency
                    ),
                ),
                False,
            )
        ok = True
        parts = []
        rounding = po_line.product_uom_id.rounding or 0.01
        others = po_line.invoice_lines.filtered(
            lambda aml: aml.move_id != self.move_id and aml.parent_state != "cancel"
        )
        billed = sum(
            -aml.quantity if aml.move_id.move_type == "in_refund" else aml.quantity
            for aml in others
        )
        price = self.price_unit
        ordered_price = po_line.price_unit
        head = self.env._(
            "%(line)s: %(qty)s × %(price)s %(verb)s, %(ordered)s × %(po_price)s "
            "ordered",
            line=label,
            qty=_qty(self.quantity),
            price=self._amazon_punchout_number(price),
            verb=self.env._("credited") if refund else self.env._("invoiced"),
            ordered=_qty(po_line.product_qty),
            po_price=self._amazon_punchout_number(ordered_price),
        )
        difference = price - ordered_price
        if not refund and float_compare(difference, 0.0, precision_digits=4):
            percent = difference / ordered_price * 100 if ordered_price else 100.0
            head += f": {percent:+.2f} %"
            if (
                abs(percent) > tolerance_percent
                or abs(difference * self.quantity) > tolerance_amount
            ):
                ok = False
                order = po_line.order_id
                until = order.amazon_punchout_price_hold_until
                if until and order.date_approve and order.date_approve > until:
                    head += " " + self.env._(
                        "(prices were held until %(until)s; the order was approved "
                        "%(approved)s)",
                        until=format_date(self.env, until),
                        approved=format_date(self.env, order.date_approve),
                    )
        parts.append(head)
        received = max(po_line.qty_received, po_line.amazon_punchout_qty_shipped)
        parts.append(
            self.env._(
                "%(received)s shipped or received, %(billed)s already billed",
                received=_qty(received),
                billed=_qty(billed),
            )
        )
        if refund:
            if float_compare(self.quantity, billed, precision_rounding=rounding) > 0:
                ok = False
                parts.append(self.env._("credits more than was billed"))
        else:
            total = billed + self.quantity
            if (
                float_compare(total, po_line.product_qty, precision_rounding=rounding)
                > 0
            ):
                ok = False
                parts.append(self.env._("bills more than was ordered"))
            elif (
                received
                and float_compare(total, received, precision_rounding=rounding) > 0
            ):
                ok = False
                parts.append(self.env._("bills more than was shipped or received"))
            if po_line.product_qty:
                estimated = po_line.price_tax * self.quantity / po_line.product_qty
                invoiced = self.price_total - self.price_subtotal
                if abs(invoiced - estimated) > tolerance_amount:
                    ok = False
                    parts.append(
                        self.env._(
                            "tax %(invoiced)s invoiced, %(estimated)s on the order",
                            invoiced=self._amazon_punchout_number(invoiced),
                            estimated=self._amazon_punchout_number(estimated),
                        )
                    )
        return "; ".join(parts) + ".", ok

    def _amazon_punchout_match_charge(self, label, tolerance_amount):
        kind = dict(
            self._fields["amazon_punchout_charge"]._description_selection(self.env)
        )[self.amazon_punchout_charge]
        amount = self.price_subtotal
        currency = self.currency_id
        if self.amazon_punchout_charge in ("discount", "deposit"):
            return (
                self.env._(
                    "%(kind)s: %(amount)s.",
                    kind=kind,
                    amount=formatLang(self.env, amount, currency_obj=currency),
                ),
                True,
            )
        estimate = self.purchase_line_id
        expected = estimate.price_unit if estimate else 0.0
        note = self.env._(
            "%(kind)s: %(amount)s invoiced, %(expected)s estimated on the order.",
            kind=kind,
            amount=formatLang(self.env, amount, currency_obj=currency),
            expected=formatLang(self.env, expected, currency_obj=currency),
        )
        if not estimate and self.move_id.move_type != "in_refund":
            note = self.env._(
                "%(kind)s: %(amount)s, a charge that was not on the order.",
                kind=kind,
                amount=formatLang(self.env, amount, currency_obj=currency),
            )
        return note, abs(amount - expected) <= tolerance_amount
