# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMenuTour(HttpCase):
    def test_shopper_reaches_the_amazon_business_menu(self):
        new_test_user(
            self.env,
            login="ap_tour_shopper",
            password="ap_tour_shopper",
            name="Tara Tour",
            email="tara@example.com",
            groups="base.group_user,amazon_punchout.group_amazon_punchout_shopper",
        )
        self.start_tour("/odoo", "amazon_punchout_menu", login="ap_tour_shopper")

    def test_admin_reaches_the_amazon_business_menu(self):
        self.start_tour("/odoo", "amazon_punchout_menu", login="admin")
