# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class AmazonPunchoutCommon(BaseCommon):
    """An Amazon Business account in test mode and the people who use it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Amazon Business (tests)", "is_company": True}
        )
        cls.account = cls._amazon_punchout_create_account()
        cls.shopper = new_test_user(
            cls.env,
            login="ap_shopper",
            name="Sam Shopper",
            email="sam.shopper@example.com",
            groups="base.group_user,amazon_punchout.group_amazon_punchout_shopper",
        )
        cls.other_shopper = new_test_user(
            cls.env,
            login="ap_other_shopper",
            name="Olga Other",
            email="olga.other@example.com",
            groups="base.group_user,amazon_punchout.group_amazon_punchout_shopper",
        )
        cls.purchase_user = new_test_user(
            cls.env,
            login="ap_buyer",
            name="Bea Buyer",
            email="bea.buyer@example.com",
            groups="purchase.group_purchase_user",
        )
        cls.purchase_manager = new_test_user(
            cls.env,
            login="ap_manager",
            name="Max Manager",
            email="max.manager@example.com",
            groups="purchase.group_purchase_manager",
        )

    @classmethod
    def _amazon_punchout_create_account(cls, **values):
        return cls.env["amazon.punchout.account"].create(
            {
                "name": "Amazon Business (tests)",
                "partner_id": cls.vendor.id,
                "marketplace": "US",
                "identity": "PunchoutGroup4242",
                "shared_secret": "test-secret-not-real",
                "punchout_url_test": "http://localhost:9/punchout/test",
                "punchout_url_production": "https://localhost:9/punchout",
                "order_url": "http://localhost:9/order",
                "state": "test",
                **values,
            }
        )
