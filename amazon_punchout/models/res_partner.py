# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def signup_prepare(self, signup_type="signup"):
        # Odoo's portal prepares a signup token for a record's customer on every
        # notification posted on it; on a purchase order that is the vendor. Amazon's
        # partner is the vendor of every Amazon order: rewriting the same value only
        # locked its row, and concurrent approvals (each notifies the shopper) failed
        # with serialization errors (reliability run, two servers). The token does
        # not depend on the write, so an unchanged type is not written again.
        amazon = (
            self.env["amazon.punchout.account"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    (
                        "partner_id.commercial_partner_id",
                        "in",
                        self.commercial_partner_id.ids,
                    )
                ]
            )
            .partner_id.commercial_partner_id
        )
        unchanged = self.filtered(
            lambda p: (
                p.commercial_partner_id in amazon
                and p.sudo().signup_type == signup_type
            )
        )
        return super(ResPartner, self - unchanged).signup_prepare(signup_type)
