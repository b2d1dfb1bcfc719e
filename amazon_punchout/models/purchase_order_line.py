# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from .purchase_order import SHOPPER_EDITABLE_STATES, amazon_punchout_changed_fields

# What Amazon received: unchangeable once the OrderRequest is queued or sent.
AMAZON_LOCKED_FIELDS = {
    "product_id",
    "product_qty",
    "product_uom_id",
    "price_unit",
    "discount",
    "amazon_punchout_asin",
    "amazon_punchout_aux_id",
    "amazon_punchout_uom_code",
}


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    amazon_punchout_line_number = fields.Integer(string="Amazon line", copy=False)
    amazon_punchout_asin = fields.Char(
        string="ASIN", copy=False, index="btree_not_null"
    )
    amazon_punchout_aux_id = fields.Char(
        string="Amazon auxiliary ID",
        copy=False,
        help="Amazon's offer token for this cart line, echoed verbatim in the order.",
    )
    amazon_punchout_uom_code = fields.Char(string="Amazon unit code", copy=False)
    amazon_punchout_unspsc = fields.Char(string="UNSPSC", copy=False)
    amazon_punchout_manufacturer_part = fields.Char(
        string="Manufacturer part", copy=False
    )
    amazon_punchout_manufacturer_name = fields.Char(string="Manufacturer", copy=False)
    amazon_punchout_sold_by = fields.Char(string="Sold by", copy=False)
    amazon_punchout_fulfilled_by = fields.Char(string="Fulfilled by", copy=False)
    amazon_punchout_is_estimate = fields.Boolean(
        string="Estimate",
        copy=False,
        help="Shipping estimated by Amazon at checkout; the invoice brings the charge.",
    )
    amazon_punchout_warning = fields.Char(string="Amazon warning", copy=False)

    def _compute_price_unit_and_date_planned_and_name(self):
        # A cart line keeps Amazon's price: never recomputed from a supplierinfo.
        amazon_lines = self.filtered(
            lambda line: line.amazon_punchout_asin or line.amazon_punchout_is_estimate
        )
        return super(
            PurchaseOrderLine, self - amazon_lines
        )._compute_price_unit_and_date_planned_and_name()

    # === BUSINESS METHODS: cart to requisition === #

    @api.model
    def _amazon_punchout_prepare_vals(
        self, item, *, number, product, uom, fiscal_position, warning=""
    ):
        """Values of one requisition line from a cart item (``cxml.ItemIn``).

        All six fields Odoo would otherwise fill through onchanges are given, so
        Amazon's price is kept as sent.
        """
        if uom not in product.uom_id | product.uom_ids:
            uom = product.uom_id
        company = self.env.company
        taxes = product.supplier_taxes_id._filter_taxes_by_company(company)
        return {
            "sequence": number * 10,
            "product_id": product.id,
            "name": item.description or product.display_name,
            "product_qty": float(item.quantity),
            "product_uom_id": uom.id,
            "price_unit": float(item.unit_price.amount),
            "tax_ids": [fields.Command.set(fiscal_position.map_tax(taxes).ids)],
            "date_planned": fields.Datetime.now(),
            "amazon_punchout_line_number": number,
            "amazon_punchout_asin": item.supplier_part_id,
            "amazon_punchout_aux_id": item.supplier_part_auxiliary_id,
            "amazon_punchout_uom_code": item.unit_of_measure or "EA",
            "amazon_punchout_unspsc": item.unspsc,
            "amazon_punchout_manufacturer_part": item.manufacturer_part_id,
            "amazon_punchout_manufacturer_name": item.manufacturer_name,
            "amazon_punchout_sold_by": item.extrinsic("soldBy"),
            "amazon_punchout_fulfilled_by": item.extrinsic("fulfilledBy"),
            "amazon_punchout_warning": warning or False,
        }

    @api.model
    def _amazon_punchout_prepare_shipping_vals(self, amount):
        """The line of Amazon's shipping estimate (the invoice brings the charge)."""
        product = self.env.ref(
            "amazon_punchout.product_product_amazon_shipping", raise_if_not_found=False
        )
        if not product:
            raise UserError(
                self.env._(
                    'The product "Amazon Business shipping" was deleted: update the '
                    "Amazon Business PunchOut module to restore it."
                )
            )
        return {
            "sequence": 100000,
            "product_id": product.id,
            "name": self.env._("Estimated shipping (Amazon Business cart)"),
            "product_qty": 1.0,
            "product_uom_id": product.uom_id.id,
            "price_unit": float(amount),
            "tax_ids": [fields.Command.clear()],
            "date_planned": fields.Datetime.now(),
            "amazon_punchout_is_estimate": True,
        }

    # === BUSINESS METHODS: after approval === #

    def _amazon_punchout_check_editable(self):
        """Amazon accepts no change orders: refuse edits once the order went out."""
        documents = self.order_id._amazon_punchout_order_requests().filtered(
            lambda d: d.state != "output_error"
        )
        if not documents:
            return
        locked = self.filtered(
            lambda line: (
                line.order_id in documents.order_id
                and (line.amazon_punchout_asin or line.amazon_punchout_is_estimate)
            )
        )
        if locked:
            raise UserError(
                self.env._(
                    "%(orders)s went to Amazon Business, which accepts no change "
                    "orders: its Amazon lines can no longer be changed (%(lines)s). "
                    "Cancel the order on Amazon and in Odoo, then shop again.",
                    orders=", ".join(sorted(set(locked.order_id.mapped("name")))),
                    lines=", ".join(locked.mapped("name")),
                )
            )

    # === SHOPPER GUARDS (see purchase.order) === #

    def _amazon_punchout_restricted_user(self):
        return self.env["purchase.order"]._amazon_punchout_restricted_user()

    def _amazon_punchout_shopper_may_edit(self, product_qty=None):
        """Own draft requisition, an Amazon item (not the shipping estimate), and a
        quantity, if any, above zero and not above the current one."""
        precision = self.env["decimal.precision"].precision_get("Product Unit")
        for line in self.sudo():
            order = line.order_id
            if (
                order.user_id != self.env.user
                or order.state not in SHOPPER_EDITABLE_STATES
                or line.display_type
                or line.amazon_punchout_is_estimate
                or not line.amazon_punchout_asin
            ):
                return False
            if product_qty is not None and (
                float_compare(product_qty, 0, precision_digits=precision) <= 0
                or float_compare(
                    product_qty, line.product_qty, precision_digits=precision
                )
                > 0
            ):
                return False
        return True

    def _amazon_punchout_check_shopper_write(self, vals):
        lines = self.sudo()
        amazon = lines.filtered(
            lambda line: line.order_id._amazon_punchout_requisitions()
        )
        changed = amazon_punchout_changed_fields(lines, vals)
        refused = {name for name in changed if name.startswith("amazon_punchout_")}
        if amazon:
            refused |= changed - {"product_qty"}
            if "product_qty" in changed:
                try:
                    qty = float(vals["product_qty"])
                except (TypeError, ValueError):
                    qty = 0.0
                if not amazon._amazon_punchout_shopper_may_edit(product_qty=qty):
                    refused.add("product_qty")
        if (
            not refused
            and changed
            and lines - amazon
            and not self.env.user._amazon_punchout_other_access(
                "purchase.order.line", "write"
            )
        ):
            refused = changed
        if refused:
            raise lines.order_id._amazon_punchout_shopper_refusal(
                {self._fields[n].string if n in self._fields else n for n in refused}
            )

    def _amazon_punchout_check_shopper_unlink(self):
        lines = self.sudo()
        amazon = lines.filtered(
            lambda line: line.order_id._amazon_punchout_requisitions()
        )
        if (amazon and not amazon._amazon_punchout_shopper_may_edit()) or (
            lines - amazon
            and not self.env.user._amazon_punchout_other_access(
                "purchase.order.line", "unlink"
            )
        ):
            raise AccessError(
                self.env._(
                    "Shoppers may remove items only from their own requisitions, and "
                    "only while they are drafts: %(lines)s.",
                    lines=", ".join(lines.mapped("name")),
                )
            )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        if self._amazon_punchout_restricted_user():
            orders = (
                self.env["purchase.order"]
                .sudo()
                .browse(
                    list(
                        {vals["order_id"] for vals in vals_list if vals.get("order_id")}
                    )
                )
            )
            if orders._amazon_punchout_requisitions() or any(
                name.startswith("amazon_punchout_")
                for vals in vals_list
                for name in vals
            ):
                raise AccessError(
                    self.env._(
                        "Items come from Amazon Business carts: shop again to add some."
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if self._amazon_punchout_restricted_user():
            self._amazon_punchout_check_shopper_write(vals)
        if AMAZON_LOCKED_FIELDS.intersection(vals):
            self._amazon_punchout_check_editable()
        return super().write(vals)

    def unlink(self):
        if self._amazon_punchout_restricted_user():
            self._amazon_punchout_check_shopper_unlink()
        self._amazon_punchout_check_editable()
        return super().unlink()
