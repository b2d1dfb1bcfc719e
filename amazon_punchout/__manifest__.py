# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Amazon Business PunchOut",
    "summary": "Shop on Amazon Business from Odoo: cXML PunchOut carts become "
    "requisitions approved by Odoo's purchase rules",
    "version": "19.0.1.1.0",
    "category": "Supply Chain/Purchase",
    "license": "LGPL-3",
    "author": "amazon_punchout contributors",
    "website": "https://github.com/amazon-punchout/amazon_punchout",
    "maintainers": [],
    "development_status": "Alpha",
    "depends": ["account", "purchase"],
    "data": [
        "security/amazon_punchout_security.xml",
        # Depends on the groups above
        "security/ir.model.access.csv",
        "security/amazon_punchout_document_security.xml",
        "security/amazon_punchout_inbound_security.xml",
        "security/amazon_punchout_report_security.xml",
        "data/ir_cron_data.xml",
        "data/ir_cron_inbound_data.xml",
        "data/product_data.xml",
        "views/amazon_punchout_templates.xml",
        "views/amazon_punchout_account_views.xml",
        "views/amazon_punchout_session_views.xml",
        "views/amazon_punchout_document_views.xml",
        "views/purchase_order_views.xml",
        "views/res_users_views.xml",
        "views/amazon_punchout_inbound_views.xml",
        "views/amazon_punchout_report_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        # Depends on the actions of the views above
        "views/amazon_punchout_menus.xml",
        # Depends on the views and menus above
        "views/purchase_order_role_views.xml",
        "views/amazon_punchout_account_role_views.xml",
    ],
    "demo": ["demo/amazon_punchout_demo.xml"],
    "assets": {
        "web.assets_tests": ["amazon_punchout/static/tests/tours/*.js"],
    },
    "installable": True,
    "application": False,
}
