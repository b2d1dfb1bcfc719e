# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountJournal(models.Model):
    _inherit = "account.journal"

    def _create_document_from_attachment(self, attachment_ids):
        # Uploading an Amazon invoice that already has its bill opens that bill
        # instead of leaving an empty draft next to it.
        moves = super()._create_document_from_attachment(attachment_ids)
        return self.env["account.move"]._amazon_punchout_drop_duplicate_uploads(moves)
