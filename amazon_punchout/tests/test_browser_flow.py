# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import os
from pathlib import Path

from odoo.tests import tagged

from .browser import Browser
from .common import AmazonPunchoutHttpCommon

SCREENSHOTS = Path(
    os.environ.get("AMAZON_PUNCHOUT_SCREENSHOTS")
    or Path(__file__).resolve().parents[2] / ".local" / "screens"
)


@tagged("post_install", "-at_install")
class TestShopperFlow(AmazonPunchoutHttpCommon):
    """The whole shopper flow in a real Chromium, clicked as a person would.

    Odoo's tours cannot follow a new tab to another site, so this test drives
    Chromium over the DevTools protocol: Odoo on 127.0.0.1, the sandbox on
    localhost (another site), Chromium's popup blocker and SameSite rules on.
    """

    def _shot(self, page, name):
        page.screenshot(str(SCREENSHOTS / f"shopper-flow-{name}.png"))

    def test_shop_on_amazon_business_to_requisition(self):
        self.shopper.tz = "UTC"
        base = self.base_url()
        # Our own browser has no test-runner cookie: let its requests through.
        with (
            self.allow_requests(all_requests=True),
            Browser(screenshot_dir=SCREENSHOTS, popup_blocking=True) as browser,
        ):
            odoo = browser.page
            odoo.goto(f"{base}/web/login")
            odoo.fill("input[name=login]", self.shopper.login)
            odoo.fill("input[name=password]", self.shopper.login)
            odoo.click("form.oe_login_form button[type=submit]")
            odoo.wait_for_url("/odoo")

            # The Amazon Business app, from the apps menu.
            odoo.click(".o_navbar_apps_menu button")
            odoo.click(
                ".o_app[data-menu-xmlid='amazon_punchout.amazon_punchout_menu_root']"
            )
            odoo.wait_for(".o_breadcrumb", text="Amazon Business Requisitions")
            self._shot(odoo, "1-requisitions")
            with browser.expect_new_page() as new_tab:
                odoo.click("button.o_amazon_punchout_shop")
            amazon = new_tab.value
            amazon.wait_for("#sb-banner")
            self.assertTrue(amazon.url.startswith(self.sandbox.url), amazon.url)

            # Shop: two searches, product pages, two items in the cart.
            for query, quantity in (("stapler", "3"), ("paper", "1")):
                amazon.fill("input#sb-search", query)
                amazon.press("Enter")
                amazon.wait_for_url(f"q={query}")
                amazon.click("a.sb-product-link")
                amazon.wait_for_url("/dp/")
                amazon.fill("input[name=quantity]", quantity)
                amazon.click("button#sb-add-to-cart")
                amazon.wait_for_url("/cart")
                amazon.wait_for("tr.sb-cart-line")
            self.assertEqual(amazon.count("tr.sb-cart-line"), 2)
            self._shot(amazon, "2-amazon-cart")

            # Submit: Amazon's page posts the cart back to Odoo, cross-site.
            amazon.click("button#sb-submit-cart")
            amazon.wait_for_url("/odoo/amazon-requisitions/")
            amazon.wait_for(".o_amazon_punchout_requisition")
            amazon.wait_for(".o_amazon_punchout_test_banner")
            amazon.wait_for(".o_data_row")
            self._shot(amazon, "3-requisition")
            page_text = amazon.text(".o_form_view")

        self.env.invalidate_all()
        order = self._requisitions()
        self.assertEqual(len(order), 1)
        self.assertEqual(order.user_id, self.shopper)
        self.assertEqual(order.currency_id.name, "USD")
        cart = self.sandbox.carts()[-1]
        lines = order.order_line.filtered("amazon_punchout_asin").sorted("sequence")
        self.assertEqual(
            [(line.amazon_punchout_asin, line.product_qty) for line in lines],
            [(line["asin"], float(line["quantity"])) for line in cart["lines"]],
        )
        self.assertEqual(lines[0].product_qty, 3)
        self.assertEqual(
            [line.price_unit for line in lines],
            [float(line["price"]) for line in cart["lines"]],
        )
        for line in lines:
            self.assertIn(line.amazon_punchout_asin, page_text)
        self.assertIn("TEST MODE", page_text)
