# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import os
import re
import resource
import shutil
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from odoo.tests import tagged

from .common import AmazonPunchoutHttpCommon

SCREENSHOTS = Path(
    os.environ.get("AMAZON_PUNCHOUT_SCREENSHOTS")
    or Path(__file__).resolve().parents[2] / ".local" / "screens"
)
# Debian's chromium, installed by bin/test: Playwright downloads no browser here.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    # As root, without a GPU, on a closed network (no background connections).
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # For 2 minutes Chromium still sends a fresh cookie without SameSite (Odoo's
    # session_id) on a cross-site POST; real sessions are older: no such exception.
    # (It replaces Playwright's own short --enable-features list, not needed here.)
    "--enable-features=SameSiteDefaultChecksMethodRigorously",
]


@contextlib.contextmanager
def _chromium():
    """Chromium driven by Playwright, closed on exit.

    The test server caps this process's address space (Odoo's limit_memory_hard);
    Chromium reserves far more than it uses, so Odoo's own browser tests lift the cap
    for it (odoo/tests/common.py, ``_preexec``). Lift it while Playwright starts its
    driver: Chromium, the driver's child, inherits the driver's limits.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    try:
        playwright = sync_playwright().start()
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    try:
        yield playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            # Keep the popup blocker: only a real click may open a tab.
            ignore_default_args=["--disable-popup-blocking"],
        )
    finally:
        playwright.stop()


@tagged("post_install", "-at_install")
class TestShopperFlow(AmazonPunchoutHttpCommon):
    """The whole shopper flow in a real Chromium, clicked as a person would.

    Odoo's tours cannot follow a new tab to another site, so Playwright drives
    Chromium: Odoo on 127.0.0.1, the sandbox on localhost (another site),
    Chromium's popup blocker and SameSite rules on.
    """

    def _shot(self, page, name):
        page.screenshot(path=SCREENSHOTS / f"shopper-flow-{name}.png")

    def test_shop_on_amazon_business_to_requisition(self):
        self.shopper.tz = "UTC"
        # Amazon needs full ship-to and bill-to addresses before the shopper submits.
        self.account.company_id.partner_id.write(
            {
                "street": "410 Terry Ave N",
                "city": "Seattle",
                "zip": "98109",
                "country_id": self.env.ref("base.us").id,
            }
        )
        self.env.flush_all()  # the browser's requests read the database
        base = self.base_url()
        # Our own browser has no test-runner cookie: let its requests through.
        with self.allow_requests(all_requests=True), _chromium() as browser:
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            try:
                page_text, cart_post, claim = self._shop(context, base)
            except Exception:
                for number, page in enumerate(context.pages):
                    # Best effort: the test's own error is the one to report.
                    with contextlib.suppress(PlaywrightError):
                        page.screenshot(
                            path=SCREENSHOTS / f"shopper-flow-failure-{number}.png",
                            timeout=5000,
                        )
                raise

        # SameSite at work: the cross-site POST carries no Odoo session, the claim
        # (a top-level GET) does.
        self.assertNotIn("session_id", cart_post.get("cookie", ""))
        self.assertIn("session_id", claim.get("cookie", ""))
        self.env.invalidate_all()
        order = self._requisitions()
        self.assertEqual(len(order), 1)
        self.assertEqual(order.user_id, self.shopper)
        self.assertEqual(order.currency_id.name, "USD")
        cart = self.sandbox.carts()[-1]
        lines = order.order_line.filtered("amazon_punchout_asin").sorted("sequence")
        self.assertEqual(
            lines.mapped("amazon_punchout_asin"),
            [line["asin"] for line in cart["lines"]],
        )
        # 3 staplers in the cart, lowered to 2 in the requisition's form, then
        # submitted: Odoo's approval takes it from there (shoppers never approve).
        self.assertEqual(
            [float(line["quantity"]) for line in cart["lines"]], [3.0, 1.0]
        )
        self.assertEqual(lines.mapped("product_qty"), [2.0, 1.0])
        self.assertEqual(order.state, "to approve")
        self.assertEqual(
            [line.price_unit for line in lines],
            [float(line["price"]) for line in cart["lines"]],
        )
        for line in lines:
            self.assertIn(line.amazon_punchout_asin, page_text)
        self.assertIn("TEST MODE", page_text)

    def _shop(self, context, base):
        """Log in, shop on Amazon in a new tab, submit.

        :return: the requisition's text, the headers of the cart's cross-site POST
            and of the claim that follows
        """
        odoo = context.new_page()
        odoo.goto(f"{base}/web/login")
        odoo.fill("input[name=login]", self.shopper.login)
        odoo.fill("input[name=password]", self.shopper.login)
        odoo.click("form.oe_login_form button[type=submit]")
        odoo.wait_for_url(re.compile("/odoo"))

        # The Amazon Business app, from the apps menu.
        odoo.click(".o_navbar_apps_menu button")
        odoo.click(
            ".o_app[data-menu-xmlid='amazon_punchout.amazon_punchout_menu_root']"
        )
        title = "Amazon Business Requisitions"
        odoo.locator(".o_breadcrumb", has_text=title).wait_for()
        self._shot(odoo, "1-requisitions")
        with context.expect_page() as new_tab:
            odoo.click("button.o_amazon_punchout_shop")
        amazon = new_tab.value
        amazon.locator("#sb-banner").wait_for()
        self.assertTrue(amazon.url.startswith(self.sandbox.url), amazon.url)

        # Shop: two searches, product pages, two items in the cart.
        for query, quantity in (("stapler", "3"), ("paper", "1")):
            amazon.fill("input#sb-search", query)
            amazon.press("input#sb-search", "Enter")
            amazon.wait_for_url(re.compile(f"q={query}"))
            amazon.locator("a.sb-product-link").first.click()
            amazon.wait_for_url(re.compile("/dp/"))
            amazon.fill("input[name=quantity]", quantity)
            amazon.click("button#sb-add-to-cart")
            amazon.wait_for_url(re.compile("/cart"))
            amazon.locator("tr.sb-cart-line").first.wait_for()
        self.assertEqual(amazon.locator("tr.sb-cart-line").count(), 2)
        self._shot(amazon, "2-amazon-cart")

        # Submit: Amazon's page posts the cart back to Odoo, cross-site, and Odoo
        # sends the shopper on to claim it.
        with (
            amazon.expect_request(re.compile("/amazon_punchout/return/")) as cart_post,
            amazon.expect_request(re.compile("/amazon_punchout/cart/")) as claim,
        ):
            amazon.click("button#sb-submit-cart")
        amazon.wait_for_url(re.compile("/odoo/amazon-requisitions/"))
        amazon.locator(".o_amazon_punchout_requisition").first.wait_for()
        amazon.locator(".o_amazon_punchout_test_banner").first.wait_for()
        amazon.locator(".o_data_row").first.wait_for()
        self._shot(amazon, "3-requisition")
        text = amazon.locator(".o_form_view").first.inner_text()

        # Three staplers were one too many: lower the quantity, submit for approval.
        amazon.locator("td.o_data_cell[name=product_qty]").first.click()
        quantity = amazon.locator("td.o_data_cell[name=product_qty] input").first
        quantity.fill("2")
        amazon.click("button[name=button_confirm]")
        amazon.locator("button[name=button_confirm]").wait_for(state="hidden")
        return text, cart_post.value.all_headers(), claim.value.all_headers()
