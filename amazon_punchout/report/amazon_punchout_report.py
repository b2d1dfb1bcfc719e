# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Spend and lead times of Amazon Business purchases: one row per order line.

A SQL view (``_table_query``, like ``purchase.report``) read through Odoo's own
pivot, graph and list views. Amounts are converted to the company currency at the
order date's rate (``purchase.order.currency_rate``), then, across companies with
different currencies, to the current company's currency like ``purchase.report``.

Lead times are hours from the cart (the cart's arrival in Odoo) to each step.
Order-level steps (submission, approval, sending, Amazon's confirmation) are
counted once per order, on its first line; line-level steps (shipment, vendor
bill) on every line. ``*_p90`` measures are the 90th percentile of the same
durations over whatever rows a group holds (``percentile_cont``).
"""

from odoo import fields, models
from odoo.tools import SQL

from ..const import MARKETPLACES
from ..models.purchase_order_inbound import AMAZON_STATUSES

# Lead times: field suffix, the date column the duration runs to, and whether it
# is counted once per order (else per line).
LEAD_TIMES = [
    ("submit", "date_submitted", True),
    ("approve", "date_approve", True),
    ("send", "date_sent", True),
    ("confirm", "date_confirmed", True),
    ("ship", "date_shipped", False),
    ("invoice", "date_billed", False),
]
PERCENTILE = 0.9


class AmazonPunchoutReport(models.Model):
    _name = "amazon.punchout.report"
    _description = "Amazon Business Spend Analysis"
    _auto = False
    _order = "date_order desc, id desc"
    _rec_name = "name"

    name = fields.Text(string="Description", readonly=True)
    line_id = fields.Many2one("purchase.order.line", string="Order line", readonly=True)
    order_id = fields.Many2one("purchase.order", readonly=True)
    order_ref = fields.Integer(
        string="# Orders",
        aggregator="count_distinct",
        readonly=True,
        help="Number of distinct purchase orders.",
    )
    nbr_lines = fields.Integer(
        string="# Lines", readonly=True, help="Item lines (not shipping estimates)."
    )
    product_id = fields.Many2one("product.product", readonly=True)
    date_order = fields.Datetime(string="Order date", readonly=True)
    date_approve = fields.Datetime(string="Approval date", readonly=True)
    state = fields.Selection(
        [
            ("draft", "RFQ"),
            ("sent", "RFQ Sent"),
            ("to approve", "To Approve"),
            ("purchase", "Purchase Order"),
            ("cancel", "Cancelled"),
        ],
        string="Status",
        readonly=True,
    )
    amazon_status = fields.Selection(
        AMAZON_STATUSES, string="Amazon status", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Shopper", readonly=True)
    approver_id = fields.Many2one("res.users", readonly=True)
    account_id = fields.Many2one(
        "amazon.punchout.account", string="Amazon Business account", readonly=True
    )
    marketplace = fields.Selection(
        [(code, values["name"]) for code, values in MARKETPLACES.items()],
        readonly=True,
    )
    category = fields.Char(string="Amazon category", readonly=True)
    subcategory = fields.Char(string="Amazon sub-category", readonly=True)
    unspsc = fields.Char(string="UNSPSC", readonly=True)
    seller = fields.Char(string="Sold by", readonly=True)
    fulfilled_by = fields.Char(readonly=True)
    is_shipping = fields.Boolean(string="Shipping estimate", readonly=True)
    analytic_distribution = fields.Json(readonly=True)
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Analytic account",
        readonly=True,
        help="The account with the largest share of the line's analytic "
        "distribution (split distributions are not prorated).",
    )
    order_currency_id = fields.Many2one(
        "res.currency", string="Order currency", readonly=True
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_currency = fields.Monetary(
        string="Untaxed (order currency)",
        currency_field="order_currency_id",
        readonly=True,
    )
    price_subtotal = fields.Monetary(
        string="Untaxed spend", currency_field="currency_id", readonly=True
    )
    price_total = fields.Monetary(
        string="Spend incl. taxes", currency_field="currency_id", readonly=True
    )
    product_qty = fields.Float(
        string="Qty ordered", digits="Product Unit", readonly=True
    )
    qty_confirmed = fields.Float(digits="Product Unit", readonly=True)
    qty_rejected = fields.Float(digits="Product Unit", readonly=True)
    qty_backordered = fields.Float(digits="Product Unit", readonly=True)
    qty_shipped = fields.Float(digits="Product Unit", readonly=True)
    rejected_rate = fields.Float(
        string="Rejected lines (%)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Share of item lines of which Amazon rejected some quantity.",
    )
    backordered_rate = fields.Float(
        string="Backordered lines (%)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Share of item lines of which Amazon backordered some quantity.",
    )
    price_hold_lapsed = fields.Boolean(
        string="Approved after the price hold", readonly=True
    )
    hold_lapsed_orders = fields.Integer(
        string="# Orders approved after the price hold",
        readonly=True,
        help="Counted once per order, on its first line.",
    )
    bill_matched_rate = fields.Float(
        string="Bills matched without review (%)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Share of billed lines whose vendor bills all matched the order "
        "without review.",
    )
    date_cart = fields.Datetime(string="Cart received", readonly=True)
    date_submitted = fields.Datetime(string="Submitted", readonly=True)
    date_sent = fields.Datetime(string="Sent to Amazon", readonly=True)
    date_confirmed = fields.Datetime(string="Confirmed by Amazon", readonly=True)
    date_shipped = fields.Datetime(string="Shipped", readonly=True)
    date_billed = fields.Datetime(string="Billed", readonly=True)
    hours_to_submit = fields.Float(
        string="Hours to submission (avg)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Hours from the cart to submission, counted once per order.",
    )
    hours_to_submit_p90 = fields.Float(
        string="Hours to submission (p90)",
        digits=(16, 1),
        aggregator="max",
        readonly=True,
        help="90th percentile of the hours from the cart to submission, counted "
        "once per order: 9 in 10 took at most this long.",
    )
    hours_to_approve = fields.Float(
        string="Hours to approval (avg)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Hours from the cart to approval, counted once per order.",
    )
    hours_to_approve_p90 = fields.Float(
        string="Hours to approval (p90)",
        digits=(16, 1),
        aggregator="max",
        readonly=True,
        help="90th percentile of the hours from the cart to approval, counted "
        "once per order: 9 in 10 took at most this long.",
    )
    hours_to_send = fields.Float(
        string="Hours to sending (avg)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Hours from the cart to sending, counted once per order.",
    )
    hours_to_send_p90 = fields.Float(
        string="Hours to sending (p90)",
        digits=(16, 1),
        aggregator="max",
        readonly=True,
        help="90th percentile of the hours from the cart to sending, counted "
        "once per order: 9 in 10 took at most this long.",
    )
    hours_to_confirm = fields.Float(
        string="Hours to Amazon's confirmation (avg)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Hours from the cart to Amazon's confirmation, counted once per order.",
    )
    hours_to_confirm_p90 = fields.Float(
        string="Hours to Amazon's confirmation (p90)",
        digits=(16, 1),
        aggregator="max",
        readonly=True,
        help="90th percentile of the hours from the cart to Amazon's "
        "confirmation, counted once per order: 9 in 10 took at most this long.",
    )
    hours_to_ship = fields.Float(
        string="Hours to shipment (avg)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Hours from the cart to shipment, counted per line.",
    )
    hours_to_ship_p90 = fields.Float(
        string="Hours to shipment (p90)",
        digits=(16, 1),
        aggregator="max",
        readonly=True,
        help="90th percentile of the hours from the cart to shipment, counted "
        "per line: 9 in 10 took at most this long.",
    )
    hours_to_invoice = fields.Float(
        string="Hours to vendor bill (avg)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Hours from the cart to vendor bill, counted per line.",
    )
    hours_to_invoice_p90 = fields.Float(
        string="Hours to vendor bill (p90)",
        digits=(16, 1),
        aggregator="max",
        readonly=True,
        help="90th percentile of the hours from the cart to vendor bill, counted "
        "per line: 9 in 10 took at most this long.",
    )

    # === SQL VIEW === #

    @property
    def _table_query(self):
        # Dynamic, like purchase.report: the currency table depends on the
        # companies selected in the web client.
        return SQL(
            "SELECT base.*, %(durations)s FROM (%(base)s) base",
            durations=SQL(", ").join(self._amazon_punchout_select_durations()),
            base=self._amazon_punchout_base_query(),
        )

    def _amazon_punchout_select_durations(self):
        for key, column, per_order in LEAD_TIMES:
            hours = SQL(
                "EXTRACT(EPOCH FROM base.%s - base.date_cart) / 3600.0",
                SQL.identifier(column),
            )
            if per_order:
                hours = SQL("CASE WHEN base.is_first_line THEN %s END", hours)
            for name in (f"hours_to_{key}", f"hours_to_{key}_p90"):
                yield SQL("%s AS %s", hours, SQL.identifier(name))

    def _amazon_punchout_base_query(self):
        companies = self.env.companies
        currency_table = self.env["res.currency"]._get_simple_currency_table(companies)
        return SQL(
            """
            SELECT
                l.id AS id,
                l.id AS line_id,
                l.name AS name,
                l.order_id AS order_id,
                l.order_id AS order_ref,
                l.product_id AS product_id,
                l.id = MIN(l.id) OVER (PARTITION BY l.order_id) AS is_first_line,
                CASE WHEN l.amazon_punchout_is_estimate THEN 0 ELSE 1 END AS nbr_lines,
                po.date_order AS date_order,
                po.date_approve AS date_approve,
                po.state AS state,
                po.amazon_punchout_status AS amazon_status,
                po.company_id AS company_id,
                po.user_id AS user_id,
                po.amazon_punchout_approver_id AS approver_id,
                po.amazon_punchout_account_id AS account_id,
                account.marketplace AS marketplace,
                l.amazon_punchout_category AS category,
                l.amazon_punchout_subcategory AS subcategory,
                l.amazon_punchout_unspsc AS unspsc,
                l.amazon_punchout_sold_by AS seller,
                l.amazon_punchout_fulfilled_by AS fulfilled_by,
                COALESCE(l.amazon_punchout_is_estimate, FALSE) AS is_shipping,
                l.analytic_distribution AS analytic_distribution,
                (
                    SELECT split_part(d.key, ',', 1)::integer
                      FROM jsonb_each_text(l.analytic_distribution) d
                     ORDER BY d.value::numeric DESC, d.key
                     LIMIT 1
                ) AS analytic_account_id,
                po.currency_id AS order_currency_id,
                %(currency_id)s AS currency_id,
                l.price_subtotal AS amount_currency,
                l.price_subtotal / COALESCE(NULLIF(po.currency_rate, 0), 1.0)
                    * account_currency_table.rate AS price_subtotal,
                l.price_total / COALESCE(NULLIF(po.currency_rate, 0), 1.0)
                    * account_currency_table.rate AS price_total,
                l.product_qty AS product_qty,
                l.amazon_punchout_qty_confirmed AS qty_confirmed,
                l.amazon_punchout_qty_rejected AS qty_rejected,
                l.amazon_punchout_qty_backordered AS qty_backordered,
                l.amazon_punchout_qty_shipped AS qty_shipped,
                CASE WHEN l.amazon_punchout_is_estimate THEN NULL
                     WHEN l.amazon_punchout_qty_rejected > 0 THEN 100.0
                     ELSE 0.0 END AS rejected_rate,
                CASE WHEN l.amazon_punchout_is_estimate THEN NULL
                     WHEN l.amazon_punchout_qty_backordered > 0 THEN 100.0
                     ELSE 0.0 END AS backordered_rate,
                COALESCE(po.amazon_punchout_price_hold_lapsed, FALSE)
                    AS price_hold_lapsed,
                CASE WHEN po.amazon_punchout_price_hold_lapsed
                      AND l.id = MIN(l.id) OVER (PARTITION BY l.order_id)
                     THEN 1 ELSE 0 END AS hold_lapsed_orders,
                bill.matched_rate AS bill_matched_rate,
                COALESCE(cart.create_date, po.create_date) AS date_cart,
                po.amazon_punchout_date_submitted AS date_submitted,
                sent.sent_at AS date_sent,
                confirmed.confirmed_at AS date_confirmed,
                shipped.shipped_at AS date_shipped,
                bill.billed_at AS date_billed
            FROM purchase_order_line l
            JOIN purchase_order po ON po.id = l.order_id
            JOIN amazon_punchout_account account
              ON account.id = po.amazon_punchout_account_id
            JOIN %(currency_table)s
              ON account_currency_table.company_id = po.company_id
            LEFT JOIN amazon_punchout_session session
              ON session.id = po.amazon_punchout_session_id
            LEFT JOIN amazon_punchout_document cart
              ON cart.id = session.cart_document_id
            LEFT JOIN (
                SELECT order_id, MAX(last_attempt_at) AS sent_at
                  FROM amazon_punchout_document
                 WHERE direction = 'outbound' AND doc_type = 'OrderRequest'
                   AND state = 'output_sent' AND order_id IS NOT NULL
                 GROUP BY order_id
            ) sent ON sent.order_id = po.id
            LEFT JOIN (
                SELECT order_id, MIN(COALESCE(notice_date, create_date))
                       AS confirmed_at
                  FROM amazon_punchout_document
                 WHERE direction = 'inbound' AND doc_type = 'ConfirmationRequest'
                   AND state = 'input_processed' AND order_id IS NOT NULL
                 GROUP BY order_id
            ) confirmed ON confirmed.order_id = po.id
            LEFT JOIN (
                SELECT sl.order_line_id,
                       MIN(COALESCE(s.shipment_date, s.notice_date, s.create_date))
                       AS shipped_at
                  FROM amazon_punchout_shipment_line sl
                  JOIN amazon_punchout_shipment s ON s.id = sl.shipment_id
                 WHERE COALESCE(s.shipment_type, '') != 'planned'
                 GROUP BY sl.order_line_id
            ) shipped ON shipped.order_line_id = l.id
            LEFT JOIN (%(bills)s) bill ON bill.purchase_line_id = l.id
            WHERE l.display_type IS NULL
            """,
            currency_id=self.env.company.currency_id.id,
            currency_table=currency_table,
            bills=self._amazon_punchout_bills_query(),
        )

    def _amazon_punchout_bills_query(self):
        """First vendor bill of each order line, and whether its bills matched the
        order without review (``account.move.amazon_punchout_match_state``, when
        the invoices part of the addon provides it)."""
        if "amazon_punchout_match_state" in self.env["account.move"]._fields:
            matched = SQL(
                """MIN(CASE move.amazon_punchout_match_state
                       WHEN 'matches' THEN 100.0 WHEN 'review' THEN 0.0 END)"""
            )
        else:
            matched = SQL("NULL::numeric")
        return SQL(
            """
            SELECT aml.purchase_line_id,
                   MIN(move.create_date) AS billed_at,
                   %(matched)s AS matched_rate
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
             WHERE aml.purchase_line_id IS NOT NULL
               AND move.move_type = 'in_invoice' AND move.state != 'cancel'
             GROUP BY aml.purchase_line_id
            """,
            matched=matched,
        )

    # === READ GROUP === #

    def _read_group_select(self, aggregate_spec, query):
        # The p90 measures: a percentile over the rows of each group.
        fname = aggregate_spec.split(":", 1)[0]
        if fname.endswith("_p90") and fname in self._fields:
            return SQL(
                "percentile_cont(%s) WITHIN GROUP (ORDER BY %s)",
                PERCENTILE,
                self._field_to_sql(self._table, fname, query),
            )
        return super()._read_group_select(aggregate_spec, query)
