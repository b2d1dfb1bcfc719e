# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Amazon Business PunchOut - Receipts",
    "summary": "Amazon's ship notices on the incoming receipt: carrier, tracking "
    "number and expected date",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Purchase",
    "license": "LGPL-3",
    "author": "amazon_punchout contributors",
    "website": "https://github.com/amazon-punchout/amazon_punchout",
    "maintainers": [],
    "development_status": "Alpha",
    "depends": ["amazon_punchout", "purchase_stock"],
    "data": ["views/stock_picking_views.xml"],
    "installable": True,
    "auto_install": True,
}
