# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import secrets

from odoo import fields, models

from .. import cxml

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

    name = fields.Char(compute="_compute_name")
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")], required=True, readonly=True
    )
    doc_type = fields.Selection(
        DOC_TYPES, string="Document type", required=True, readonly=True
    )
    payload_id = fields.Char(string="payloadID", readonly=True, index=True)
    state = fields.Selection(STATES, required=True, readonly=True, index=True)
    account_id = fields.Many2one("amazon.punchout.account", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    session_id = fields.Many2one(
        "amazon.punchout.session", readonly=True, index="btree_not_null"
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
    attachment_id = fields.Many2one("ir.attachment", readonly=True)
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

    def _compute_name(self):
        labels = dict(DOC_TYPES)
        for document in self:
            document.name = (
                f"{labels.get(document.doc_type)} {document.payload_id or ''}"
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
        attachment = self.sudo().attachment_id
        return base64.b64decode(attachment.datas) if attachment else b""

    def _amazon_punchout_new_access_token(self):
        self.ensure_one()
        self.sudo().access_token = secrets.token_urlsafe(32)
        return self.sudo().access_token
