# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import tempfile
from pathlib import Path

from odoo.tests import new_test_user, tagged

from .test_browser_flow import SCREENSHOTS, _chromium
from .test_invoice import TestInvoiceCommon


@tagged("post_install", "-at_install")
class TestAccountantUpload(TestInvoiceCommon):
    """An accountant uploads Amazon's cXML invoice into Vendor Bills, in Chromium."""

    def test_accountant_uploads_amazon_invoice(self):
        accountant = new_test_user(
            self.env,
            login="ap_accountant",
            password="ap_accountant",
            name="Alex Accountant",
            groups="base.group_user,account.group_account_invoice",
            tz="UTC",
        )
        self._configure(invoice_price_change=2)
        order = self._sent_order()
        self._advance(order)
        document = self._invoices()
        invoice_id = document.bill_id.amazon_punchout_invoice_id
        # The bill the endpoint made goes away: the accountant's upload makes it.
        document.bill_id.unlink()
        self.env.flush_all()
        login, base = accountant.login, self.base_url()  # read before the browser runs
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"amazon-invoice-{invoice_id}.xml"
            path.write_bytes(document._amazon_punchout_raw())
            with self.allow_requests(all_requests=True), _chromium() as browser:
                context = browser.new_context(viewport={"width": 1280, "height": 760})
                page = context.new_page()
                page.goto(f"{base}/web/login")
                page.fill("input[name=login]", login)
                page.fill("input[name=password]", login)
                page.click("form.oe_login_form button[type=submit]")
                page.wait_for_url(re.compile("/odoo"))
                page.goto(
                    f"{self.base_url()}/odoo/action-account.action_move_in_invoice_type"
                )
                upload = page.get_by_role("button", name="Upload").first
                upload.wait_for()
                with page.expect_file_chooser() as chooser:
                    upload.click()
                chooser.value.set_files(str(path))
                page.wait_for_url(re.compile(r"/odoo/.*\d+$"))
                page.get_by_text("Amazon bill: needs review.").wait_for()
                page.locator(
                    ".o_field_widget[name=amazon_punchout_match_state]"
                ).wait_for()
                text = page.locator(".o_form_view").inner_text()
                # Written with the other tests' screenshots; the README's copy in
                # docs/screenshots/ is refreshed by hand.
                page.screenshot(path=SCREENSHOTS / "accountant-bill.png")
                context.close()
        self.env.invalidate_all()
        bill = self.env["account.move"].search(
            [("amazon_punchout_invoice_id", "=", invoice_id)]
        )
        self.assertEqual(len(bill), 1)
        self.assertEqual(bill.create_uid, accountant)
        self.assertEqual(bill.amazon_punchout_match_state, "review")
        self.assertIn("+2.0", text)
        items = bill.invoice_line_ids.filtered(lambda l: not l.amazon_punchout_charge)
        self.assertEqual(items.purchase_line_id, order._amazon_punchout_item_lines())
