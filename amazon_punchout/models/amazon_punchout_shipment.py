# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from urllib.parse import quote, urlsplit

from odoo import fields, models

from ..const import (
    AMAZON_LOGISTICS_PREFIX,
    CARRIER_ALIASES,
    CARRIER_TRACKING_URLS,
)


def carrier_key(carrier, tracking_number=""):
    """The key of CARRIER_TRACKING_URLS for a carrier name (or None)."""
    name = " ".join((carrier or "").lower().replace("-", " ").split())
    if name:
        for alias, key in CARRIER_ALIASES.items():
            if alias in name:
                return key
        for key in CARRIER_TRACKING_URLS:
            if key in name.replace(" ", "").replace(".", ""):
                return key
    if (tracking_number or "").upper().startswith(AMAZON_LOGISTICS_PREFIX):
        return "amazon"
    return None


def tracking_link(carrier, tracking_number, amazon_url=None):
    """Amazon's own tracking URL if it sent one, else the carrier's page, else None."""
    if amazon_url and urlsplit(amazon_url).scheme in ("http", "https"):
        return amazon_url
    key = carrier_key(carrier, tracking_number)
    if not key or not tracking_number:
        return None
    return CARRIER_TRACKING_URLS[key].format(ref=quote(tracking_number, safe=""))


class AmazonPunchoutShipment(models.Model):
    """A shipment Amazon announced with a ShipNoticeRequest, for one purchase order."""

    _name = "amazon.punchout.shipment"
    _description = "Amazon Business Shipment"
    _order = "shipment_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Shipment ID", required=True, readonly=True)
    order_id = fields.Many2one(
        "purchase.order",
        string="Purchase order",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    account_id = fields.Many2one(
        "amazon.punchout.account", readonly=True, index=True, check_company=True
    )
    document_id = fields.Many2one(
        "amazon.punchout.document",
        string="Ship notice",
        readonly=True,
        help="The last ship notice that created or updated this shipment.",
    )
    shipment_date = fields.Datetime(readonly=True)
    delivery_date = fields.Datetime(string="Expected delivery", readonly=True)
    notice_date = fields.Datetime(readonly=True)
    shipment_type = fields.Char(readonly=True, help="actual or planned")
    fulfillment_type = fields.Char(readonly=True, help="partial or complete")
    carrier = fields.Char(readonly=True)
    tracking_ref = fields.Char(string="Tracking numbers", readonly=True)
    tracking_url = fields.Char(string="Tracking link", readonly=True)
    package_info = fields.Char(string="Packages", readonly=True)
    line_ids = fields.One2many(
        "amazon.punchout.shipment.line", "shipment_id", string="Lines", readonly=True
    )

    _shipment_unique = models.Constraint(
        "unique(order_id, name)",
        "A shipment is stored once per purchase order.",
    )


class AmazonPunchoutShipmentLine(models.Model):
    _name = "amazon.punchout.shipment.line"
    _description = "Amazon Business Shipment Line"
    _order = "shipment_id, line_number, id"

    shipment_id = fields.Many2one(
        "amazon.punchout.shipment", required=True, index=True, ondelete="cascade"
    )
    order_line_id = fields.Many2one(
        "purchase.order.line",
        string="Order line",
        required=True,
        index=True,
        ondelete="cascade",
    )
    line_number = fields.Integer(string="Amazon line")
    product_id = fields.Many2one(related="order_line_id.product_id")
    name = fields.Text(related="order_line_id.name")
    quantity = fields.Float(digits="Product Unit")
    uom_code = fields.Char(string="Unit")
