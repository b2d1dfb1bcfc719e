# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import re

from lxml import etree
from playwright.sync_api import Error as PlaywrightError

from odoo.tests import tagged

from .common import IDENTITY, AmazonPunchoutHttpCommon, run_send_crons
from .test_browser_flow import SCREENSHOTS, _chromium

# Modules whose terms the pages of this flow show (base's are not needed here and
# are the slowest to load).
MODULES = ["web", "mail", "uom", "product", "account", "purchase", "amazon_punchout"]


@tagged("post_install", "-at_install")
class TestJapaneseShopperFlow(AmazonPunchoutHttpCommon):
    """A Japanese shopper on the JP marketplace, in a real Chromium: the cart in yen
    without decimals, submitted, approved by a purchase manager, sent by the cron;
    Odoo's and Amazon's pages in Japanese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ja_JP")
        cls.env["ir.module.module"].search(
            [("name", "in", MODULES), ("state", "=", "installed")]
        )._update_translations("ja_JP")
        cls.env.ref("base.JPY").active = True
        cls.account.marketplace = "JP"
        cls.company = cls.account.company_id
        cls.company.po_double_validation = "one_step"
        cls.company.partner_id.write(
            {
                "street": "目黒区下目黒1-8-1",
                "city": "東京都",
                "zip": "153-0064",
                "country_id": cls.env.ref("base.jp").id,
            }
        )
        (cls.shopper | cls.purchase_manager).write(
            {"lang": "ja_JP", "tz": "Asia/Tokyo"}
        )

    def _shot(self, page, name):
        page.screenshot(path=SCREENSHOTS / f"ja-{name}.png")

    def test_japanese_shopper_jpy_cart_to_order_request(self):
        self.assertEqual(self.account.currency_id.name, "JPY")
        self.sandbox.configure_account(IDENTITY, marketplace="JP")
        self.env.flush_all()  # the browser's requests read the database
        with self.allow_requests(all_requests=True), _chromium() as browser:
            context = browser.new_context(
                viewport={"width": 1280, "height": 800}, locale="ja-JP"
            )
            try:
                texts = self._shop(context, self.base_url())
            except Exception:
                for number, page in enumerate(context.pages):
                    with contextlib.suppress(PlaywrightError):
                        page.screenshot(
                            path=SCREENSHOTS / f"ja-failure-{number}.png", timeout=5000
                        )
                raise

        # The sandbox's pages spoke Japanese, prices in whole yen.
        self.assertIn("ようこそ", texts["home"])
        self.assertIn("カート", texts["cart"])
        self.assertIn("承認のために送信", texts["cart"])
        self.assertRegex(texts["total"], r"^￥[\d,]+$")
        # So did Odoo's requisition: the addon's terms and Odoo's own.
        for japanese in (
            "Amazon Business 購買依頼",
            "テストモード",
            "依頼者",
            "承認申請",
        ):
            self.assertIn(japanese, texts["requisition"])
        self.assertIn("Amazon Business 購買依頼", texts["list"])

        self.env.invalidate_all()
        order = self._requisitions()
        self.assertEqual(len(order), 1)
        self.assertEqual(order.user_id, self.shopper)
        self.assertEqual(order.state, "to approve")
        self.assertEqual(order.currency_id.name, "JPY")
        cart = self.sandbox.carts()[-1]
        self.assertEqual(cart["currency"], "JPY")
        lines = order.order_line.filtered("amazon_punchout_asin").sorted("sequence")
        self.assertEqual(
            [(line.amazon_punchout_asin, line.product_qty) for line in lines],
            [("B0SBX3STP3", 3.0), ("B0SBX2PAP2", 2.0)],
        )
        self.assertEqual(lines.mapped("price_unit"), [2480.0, 598.0])
        self.assertEqual(sum(lines.mapped("price_subtotal")), 3 * 2480 + 2 * 598)
        # Whole yen everywhere (the shipping estimate is a line of its own).
        for amount in (*order.order_line.mapped("price_unit"), order.amount_total):
            self.assertEqual(amount, round(amount))

        # A purchase manager approves; the cron sends the OrderRequest in yen.
        order.with_user(self.purchase_manager).button_approve()
        self.assertEqual(order.state, "purchase")
        self.assertTrue(run_send_crons(self.env))
        received = self.sandbox.orders()
        self.assertEqual(len(received), 1)
        self.assertTrue(received[0]["accepted"], received[0].get("answer"))
        root = etree.fromstring(received[0]["raw_xml"].encode())
        money = root.findall(".//Money")
        self.assertTrue(money)
        for node in money:
            self.assertEqual(node.get("currency"), "JPY")
            self.assertRegex(node.text, r"^\d+$", "whole yen, no decimals")
        prices = [
            item.findtext("ItemDetail/UnitPrice/Money")
            for item in root.iterfind("Request/OrderRequest/ItemOut")
        ]
        self.assertEqual(prices, ["2480", "598"])
        self.assertEqual(
            root.findtext("Request/OrderRequest/OrderRequestHeader/Total/Money"),
            "8636",  # the Amazon lines: Amazon adds its own tax and shipping
        )

    def _shop(self, context, base):
        """Log in as the Japanese shopper, shop on the JP sandbox, submit.

        :return: the visible texts of the pages, by name
        """
        texts = {}
        odoo = context.new_page()
        odoo.goto(f"{base}/web/login")
        odoo.fill("input[name=login]", self.shopper.login)
        odoo.fill("input[name=password]", self.shopper.login)
        odoo.click("form.oe_login_form button[type=submit]")
        odoo.wait_for_url(re.compile("/odoo"))
        odoo.click(".o_navbar_apps_menu button")
        odoo.click(
            ".o_app[data-menu-xmlid='amazon_punchout.amazon_punchout_menu_root']"
        )
        odoo.locator(".o_breadcrumb", has_text="Amazon Business 購買依頼").wait_for()
        odoo.locator(".o_view_nocontent").wait_for()  # no requisition yet
        texts["list"] = odoo.locator(".o_action_manager").inner_text()
        self._shot(odoo, "1-requisitions")

        with context.expect_page() as new_tab:
            odoo.click("button.o_amazon_punchout_shop")
        amazon = new_tab.value
        amazon.locator("#sb-banner").wait_for()
        texts["home"] = amazon.locator("body").inner_text()
        for query, quantity in (("ホッチキス", "3"), ("コピー用紙", "2")):
            amazon.fill("input#sb-search", query)
            amazon.press("input#sb-search", "Enter")
            amazon.wait_for_url(re.compile("q="))
            amazon.locator("a.sb-product-link").first.click()
            amazon.wait_for_url(re.compile("/dp/"))
            amazon.fill("input[name=quantity]", quantity)
            amazon.click("button#sb-add-to-cart")
            amazon.wait_for_url(re.compile("/cart"))
            amazon.locator("tr.sb-cart-line").first.wait_for()
        self.assertEqual(amazon.locator("tr.sb-cart-line").count(), 2)
        texts["cart"] = amazon.locator("main").inner_text()
        texts["total"] = amazon.locator("#sb-cart-total").inner_text()
        self._shot(amazon, "2-amazon-cart")

        amazon.click("button#sb-submit-cart")
        amazon.wait_for_url(re.compile("/odoo/amazon-requisitions/"))
        amazon.locator(".o_amazon_punchout_requisition").first.wait_for()
        amazon.locator(".o_data_row").first.wait_for()
        texts["requisition"] = amazon.locator(".o_form_view").first.inner_text()
        self._shot(amazon, "3-requisition")
        amazon.click("button[name=button_confirm]")
        amazon.locator("button[name=button_confirm]").wait_for(state="hidden")
        return texts
