# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
from datetime import timedelta
from decimal import Decimal
from unittest.mock import patch

from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.amazon_punchout.models import (
    amazon_punchout_document as document_module,
)

from ..const import ORDER_SEND_LANES, SEND_CRONS
from .common import IDENTITY, SECRET, AmazonPunchoutHttpCommon, run_send_crons


@tagged("post_install", "-at_install")
class TestOrderRequest(AmazonPunchoutHttpCommon):
    """Approval by Odoo's rules, then the OrderRequest sent to the sandbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.account.company_id
        cls.company.partner_id.write(
            {
                "street": "1 Main Street",
                "city": "Seattle",
                "zip": "98109",
                "state_id": cls.env.ref("base.state_us_48").id,
                "country_id": cls.env.ref("base.us").id,
            }
        )
        cls.company.po_double_validation = "one_step"

    # --- helpers ---

    def _requisition(self, user=None, items=None):
        user = user or self.shopper
        sid = self._punch_out(user)
        cart = self._fill_cart(sid, items)
        response = self._post_cart(cart)
        self.assertEqual(response.status_code, 303, response.text[:500])
        claim = self._claim(response.headers["Location"], user)
        self.assertEqual(claim.status_code, 303)
        order = self.env["purchase.order"].search(
            [("amazon_punchout_session_id.user_id", "=", user.id)],
            order="id desc",
            limit=1,
        )
        self.assertEqual(order.state, "draft")
        return order, self.sandbox.carts()[-1]

    def _documents(self, order):
        return self.env["amazon.punchout.document"].search(
            [("order_id", "=", order.id), ("doc_type", "=", "OrderRequest")],
            order="id",
        )

    def _run_cron(self):
        self.assertTrue(run_send_crons(self.env))

    def _accepted(self):
        return [o for o in self.sandbox.orders() if o["accepted"]]

    def _approved(self, user=None):
        order, cart = self._requisition()
        order.with_user(user or self.purchase_user).button_confirm()
        self.assertEqual(order.state, "purchase")
        return order, cart

    # --- approval ---

    def test_one_step_approval_queues_then_cron_sends(self):
        order, cart = self._requisition()
        order.with_user(self.purchase_user).button_confirm()
        self.assertEqual(order.state, "purchase")
        document = self._documents(order)
        self.assertRecordValues(
            document,
            [
                {
                    "direction": "outbound",
                    "state": "output_pending",
                    "account_id": self.account.id,
                    "attempts": 0,
                }
            ],
        )
        self.assertFalse(self.sandbox.orders(), "no HTTP inside the approval")
        raw = document._amazon_punchout_raw()
        self.assertIn(b"OrderRequest", raw)
        self.assertNotIn(b"test-secret-not-real", raw)

        self._run_cron()
        self.assertEqual(document.state, "output_sent", document.error)
        self.assertEqual(document.status_code, 200)
        self.assertEqual(document.attempts, 1)
        orders = self.sandbox.orders()
        self.assertEqual(len(orders), 1)
        received = orders[0]
        self.assertTrue(received["accepted"], received.get("answer"))
        self.assertEqual(received["payload_id"], document.payload_id)
        self.assertEqual(received["order_id"], order.name)
        self.assertSandboxDtdValid(
            received["validation"]["valid"], received["validation"]
        )
        root = etree.fromstring(received["raw_xml"].encode())
        head = root.find("Request/OrderRequest/OrderRequestHeader")
        self.assertEqual(head.get("type"), "new")
        self.assertIsNone(head.find("Payment"))
        self.assertEqual(head.find("BillTo/Address/PostalAddress/City").text, "Seattle")
        self.assertEqual(root.find("Request").get("deploymentMode"), "test")
        echoed = [
            (
                item.find("ItemID/SupplierPartID").text,
                item.find("ItemID/SupplierPartAuxiliaryID").text,
                Decimal(item.find("ItemDetail/UnitPrice/Money").text),
                item.get("lineNumber"),
            )
            for item in root.iterfind("Request/OrderRequest/ItemOut")
        ]
        self.assertEqual(
            echoed,
            [
                (line["asin"], line["aux_id"], Decimal(line["price"]), str(n))
                for n, line in enumerate(cart["lines"], start=1)
            ],
        )
        self.assertIn("Order sent to Amazon Business", order.message_ids[0].body)
        # Approving again never sends a second OrderRequest.
        order.with_user(self.purchase_manager).button_approve()
        self._run_cron()
        self.assertEqual(len(self._documents(order)), 1)
        self.assertEqual(len(self.sandbox.orders()), 1)

    def test_two_step_under_and_over_threshold(self):
        small, _cart = self._requisition()
        self.company.po_double_validation = "two_step"
        self.company.po_double_validation_amount = small.amount_total + 1
        small.with_user(self.purchase_user).button_confirm()
        self.assertEqual(small.state, "purchase")
        self.assertEqual(len(self._documents(small)), 1)

        big, _cart = self._requisition()
        self.company.po_double_validation_amount = big.amount_total - 1
        big.with_user(self.purchase_user).button_confirm()
        self.assertEqual(big.state, "to approve")
        big.with_user(self.purchase_user).button_approve()
        self.assertEqual(big.state, "to approve")
        self.assertFalse(self._documents(big))
        big.with_user(self.purchase_manager).button_approve()
        self.assertEqual(big.state, "purchase")
        self.assertEqual(len(self._documents(big)), 1)

    def test_shopper_submits_never_approves(self):
        order, _cart = self._requisition()
        order.with_user(self.shopper).button_confirm()
        self.assertEqual(order.state, "to approve")
        order.with_user(self.shopper).button_approve()
        self.assertEqual(order.state, "to approve")
        self.assertFalse(self._documents(order))
        reminders = order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertIn(self.purchase_manager, reminders.user_id)
        self.assertEqual(
            reminders[0].date_deadline,
            (order.amazon_punchout_price_hold_until - timedelta(days=1)).date(),
        )
        self.assertEqual(order.amazon_punchout_hold_days_left, 7)
        order.with_user(self.purchase_manager).button_approve()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(len(self._documents(order)), 1)
        self.assertFalse(
            order.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
                )
            )
        )

    def test_refusal_queues_nothing(self):
        order, _cart = self._requisition()
        order.with_user(self.shopper).button_confirm()
        order.with_user(self.purchase_manager).button_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertFalse(self._documents(order))
        self._run_cron()
        self.assertFalse(self.sandbox.orders())

    def test_foreign_line_and_incomplete_address_refused_before_approval(self):
        order, _cart = self._requisition()
        product = self.env["product.product"].create(
            {"name": "Office chair", "purchase_ok": True}
        )
        order.order_line = [
            fields.Command.create(
                {"product_id": product.id, "product_qty": 1, "price_unit": 99}
            )
        ]
        with self.assertRaisesRegex(UserError, "Office chair"):
            order.with_user(self.purchase_user).button_confirm()
        self.assertEqual(order.state, "draft")
        order.order_line.filtered(lambda line: line.product_id == product).unlink()
        self.company.partner_id.zip = False
        with self.assertRaisesRegex(UserError, "ZIP"):
            order.with_user(self.purchase_user).button_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(self._documents(order))

    # --- sending ---

    def test_amazon_refuses_error_chatter_activity(self):
        order, _cart = self._requisition()
        line = order.order_line.filtered("amazon_punchout_asin")[0]
        line.amazon_punchout_aux_id = "999-9999999-9999999,1"
        order.with_user(self.purchase_user).button_confirm()
        self._run_cron()
        document = self._documents(order)
        self.assertEqual(document.state, "output_error")
        self.assertEqual(document.status_code, 400)
        self.assertFalse(document.retryable)
        self.assertIn("could not be sent", order.message_ids[0].body)
        activity = order.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == self.env.ref("mail.mail_activity_data_warning")
            )
        )
        self.assertEqual(activity.user_id, order.user_id)
        with self.assertRaises(UserError):
            document.with_user(self.purchase_user).action_retry()
        # A deliberate resend is a new document with a new payloadID.
        line.amazon_punchout_aux_id = _cart["lines"][0]["aux_id"]
        document.with_user(self.purchase_user).action_resend()
        first, second = self._documents(order)
        self.assertNotEqual(first.payload_id, second.payload_id)
        self._run_cron()
        self.assertEqual(second.state, "output_sent", second.error)
        self.assertEqual(len(self._accepted()), 1)
        with self.assertRaises(UserError):
            first.with_user(self.purchase_user).action_resend()

    def test_server_error_then_success_same_payload_id(self):
        order, _cart = self._approved()
        document = self._documents(order)
        self.sandbox.set_faults("http500*1", IDENTITY)
        self._run_cron()
        self.assertEqual(document.state, "output_pending")
        self.assertEqual(document.attempts, 1)
        self.assertTrue(document.retryable)
        self.assertGreater(document.next_attempt_at, fields.Datetime.now())
        self._run_cron()
        self.assertEqual(document.attempts, 1, "not due yet")
        document.with_user(self.purchase_user).action_retry()
        self._run_cron()
        self.assertEqual(document.state, "output_sent", document.error)
        self.assertEqual(document.attempts, 2)
        accepted = self._accepted()
        self.assertEqual(len(accepted), 1)
        self.assertEqual(accepted[0]["payload_id"], document.payload_id)

    def test_timeout_then_replay_same_payload_id(self):
        order, _cart = self._approved()
        document = self._documents(order)
        # Amazon takes the order but answers too late: the retry must not order
        # twice. (Odoo's test runner raises request timeouts under 10 s to 10 s.)
        self.sandbox.set_faults("timeout=11*1", IDENTITY)
        # The sandbox logs the broken pipe when it finally answers: expected.
        with mute_logger("amazon_sandbox"):
            start = time.monotonic()
            with patch.object(document_module, "ORDER_SEND_TIMEOUT", 1):
                self._run_cron()
            self.assertEqual(document.state, "output_pending")
            self.assertIn("did not answer", document.error)
            document.with_user(self.purchase_user).action_retry()
            self._run_cron()
            time.sleep(max(0, 11.5 - (time.monotonic() - start)))
        self.assertEqual(document.state, "output_sent", document.error)
        orders = self.sandbox.orders()
        self.assertEqual(len(orders), 1)
        self.assertEqual(orders[0]["payload_id"], document.payload_id)
        self.assertEqual(orders[0]["replay_count"], 1)

    def test_server_errors_until_attempts_run_out(self):
        order, _cart = self._approved()
        document = self._documents(order)
        self.sandbox.set_faults("http500*20", IDENTITY)
        for _attempt in range(5):
            document.next_attempt_at = fields.Datetime.now() - timedelta(seconds=1)
            self._run_cron()
        self.assertEqual(document.state, "output_error")
        self.assertEqual(document.attempts, 5)
        self.assertTrue(document.retryable)
        self.assertTrue(
            order.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref("mail.mail_activity_data_warning")
                )
            )
        )
        self.assertFalse(self._accepted())

    def test_locked_document_skipped_by_a_second_run(self):
        order, _cart = self._approved()
        document = self._documents(order)
        Document = type(self.env["amazon.punchout.document"])
        # Another worker holding the row lock: SKIP LOCKED gives nothing back.
        # (The test transaction cannot hold a lock against itself.)
        with patch.object(
            Document, "try_lock_for_update", lambda records: records.browse()
        ):
            self._run_cron()
        self.assertEqual(document.state, "output_pending")
        self.assertFalse(self.sandbox.orders())

        # A second run started while the first is posting finds nothing to send.
        account_class = type(self.account)
        original = account_class._amazon_punchout_send_cxml
        nested = []

        def send_during_another_run(account, payload, url, timeout=30):
            before = len(self.sandbox.orders())
            account.env["amazon.punchout.document"]._cron_send_documents(
                lane=document.send_lane
            )
            nested.append(len(self.sandbox.orders()) - before)
            return original(account, payload, url, timeout)

        with patch.object(
            account_class, "_amazon_punchout_send_cxml", send_during_another_run
        ):
            self._run_cron()
        self.assertEqual(nested, [0])
        self.assertEqual(document.state, "output_sent", document.error)
        self.assertEqual(len(self.sandbox.orders()), 1)

    def test_lanes_send_their_own_documents(self):
        """Each sending lane is a cron job of its own (several servers' cron workers
        send at once); a document belongs to exactly one lane."""
        first, _cart = self._approved()
        second, _cart = self._approved()
        documents = self._documents(first) | self._documents(second)
        self.assertTrue(all(0 <= d.send_lane < ORDER_SEND_LANES for d in documents))
        documents[0].send_lane, documents[1].send_lane = 0, 1
        # Approval woke every lane.
        crons = [self.env.ref(xmlid) for xmlid in SEND_CRONS]
        self.assertEqual(len(crons), ORDER_SEND_LANES)
        triggered = self.env["ir.cron.trigger"].search(
            [("cron_id", "in", [c.id for c in crons])]
        )
        self.assertEqual(set(triggered.cron_id.ids), {c.id for c in crons})
        self.env.flush_all()
        self.assertIs(crons[1].method_direct_trigger(), True)
        self.env.invalidate_all()
        self.assertEqual(documents.mapped("state"), ["output_pending", "output_sent"])
        self.assertEqual(len(self._accepted()), 1)
        self.assertIs(crons[0].method_direct_trigger(), True)
        self.env.invalidate_all()
        self.assertEqual(documents.mapped("state"), ["output_sent", "output_sent"])
        self.assertEqual(len(self._accepted()), 2)

    def test_recovery_after_interrupted_send(self):
        order, _cart = self._approved()
        document = self._documents(order)
        self._run_cron()
        self.assertEqual(document.state, "output_sent")
        # The worker died after Amazon took the order, before recording the answer.
        document.write(
            {
                "state": "output_sending",
                "last_attempt_at": fields.Datetime.now() - timedelta(hours=1),
            }
        )
        self._run_cron()
        self.assertEqual(document.state, "output_sent", document.error)
        orders = self.sandbox.orders()
        self.assertEqual(len(orders), 1)
        self.assertEqual(orders[0]["replay_count"], 1)
        self.assertEqual(len(self._accepted()), 1)

    def test_cxml_server_status_then_success(self):
        order, _cart = self._approved()
        document = self._documents(order)
        self.sandbox.set_faults("cxml500*1", IDENTITY)
        self._run_cron()
        self.assertEqual(document.state, "output_pending")
        self.assertEqual(document.status_code, 500)
        document.with_user(self.purchase_user).action_retry()
        self._run_cron()
        self.assertEqual(document.state, "output_sent", document.error)
        self.assertEqual(
            [o["payload_id"] for o in self._accepted()], [document.payload_id]
        )

    def test_interrupted_too_often_gives_up(self):
        order, _cart = self._approved()
        document = self._documents(order)
        document.write(
            {
                "state": "output_sending",
                "attempts": 5,
                "last_attempt_at": fields.Datetime.now() - timedelta(hours=1),
            }
        )
        self._run_cron()
        self.assertEqual(document.state, "output_error")
        self.assertTrue(document.retryable)
        self.assertFalse(self.sandbox.orders())

    # --- after sending ---

    def test_edits_refused_after_sending_and_cancel_noted(self):
        order, _cart = self._approved()
        self._run_cron()
        line = order.order_line.filtered("amazon_punchout_asin")[0]
        for vals in ({"product_qty": 9}, {"price_unit": 1.0}):
            with self.assertRaisesRegex(UserError, "no change"):
                line.with_user(self.purchase_user).write(vals)
        line.with_user(self.purchase_user).name = "Renamed is fine"
        order.with_user(self.purchase_manager).button_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertTrue(order.amazon_punchout_cancelled_after_send)
        # The buyers' note (the shopper's notification follows it).
        self.assertTrue(
            order.message_ids.filtered(
                lambda m: "cancel the order on Amazon" in (m.body or "")
            )
        )
        shopper_message = order.message_ids.filtered(
            lambda m: self.shopper.partner_id in m.partner_ids
        )[:1]
        self.assertIn("cancelled by Max Manager", shopper_message.body)
        self.assertIn("cancels it on Amazon too", shopper_message.body)

    def test_cancelled_before_sending_is_not_sent(self):
        order, _cart = self._approved()
        order.with_user(self.purchase_manager).button_cancel()
        self._run_cron()
        self.assertEqual(self._documents(order).state, "output_error")
        self.assertFalse(self.sandbox.orders())

    def test_price_hold_lapsed_still_sent_but_flagged(self):
        order, _cart = self._requisition()
        order.amazon_punchout_price_hold_until = fields.Datetime.now() - timedelta(
            hours=1
        )
        self.assertEqual(order.amazon_punchout_hold_days_left, 0)
        order.with_user(self.purchase_user).button_confirm()
        self.assertTrue(order.amazon_punchout_price_hold_lapsed)
        self.assertTrue(
            order.message_ids.filtered(lambda m: "may re-price" in (m.body or ""))
        )
        self._run_cron()
        self.assertEqual(self._documents(order).state, "output_sent")

    # --- the document is self-contained ---

    def _record_sends(self):
        """Wrap the HTTP seam (still posting to the sandbox) to see the bytes sent."""
        account_class = type(self.account)
        original = account_class._amazon_punchout_send_cxml
        sent = []

        def recording(account, payload, url, timeout=30):
            sent.append(payload)
            return original(account, payload, url, timeout)

        return sent, patch.object(
            account_class, "_amazon_punchout_send_cxml", recording
        )

    def test_sent_bytes_are_the_ones_approved(self):
        order, _cart = self._approved()
        document = self._documents(order)
        stored = document._amazon_punchout_raw()
        self.assertIn(b"<SharedSecret>********</SharedSecret>", stored)
        self.assertNotIn(SECRET.encode(), stored)
        self.assertEqual(document.deployment_mode, "test")
        # After approval: ship-to, buyer e-mail and line texts change in Odoo.
        self.company.partner_id.street = "99 Changed Road"
        order.user_id.email = "someone.else@example.com"
        line = order.order_line.filtered("amazon_punchout_asin")[0]
        line.with_user(self.purchase_user).name = "Renamed after approval"
        self.sandbox.set_faults("http500*1", IDENTITY)
        sent, recording = self._record_sends()
        with recording:
            self._run_cron()
            self.assertEqual(document.state, "output_pending")
            document.with_user(self.purchase_user).action_retry()
            self._run_cron()
        self.assertEqual(document.state, "output_sent", document.error)
        self.assertEqual(len(sent), 2)
        self.assertEqual(sent[0], sent[1], "a retry sends the very same bytes")
        secret_slot = f"<SharedSecret>{SECRET}</SharedSecret>".encode()
        self.assertEqual(
            sent[0].replace(secret_slot, b"<SharedSecret>********</SharedSecret>"),
            stored,
            "what is sent is the stored document plus the secret",
        )
        raw = self._accepted()[0]["raw_xml"]
        self.assertIn("1 Main Street", raw)
        self.assertNotIn("99 Changed Road", raw)
        self.assertNotIn("someone.else@example.com", raw)
        self.assertNotIn("Renamed after approval", raw)

    def test_mode_switched_after_approval_is_never_sent(self):
        order, _cart = self._approved()
        document = self._documents(order)
        self.account.write(
            {
                "punchout_url_test": "https://localhost:9/punchout/test",
                "punchout_url_production": "https://localhost:9/punchout",
                "order_url": "https://localhost:9/order",
                "state": "production",
            }
        )
        self._run_cron()
        self.assertEqual(document.state, "output_error")
        self.assertIn("Test mode", document.error)
        self.assertIn("Production mode", document.error)
        self.assertFalse(document.refused)
        self.assertFalse(self.sandbox.orders())
        self.assertTrue(
            order.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref("mail.mail_activity_data_warning")
                )
            )
        )

    def test_disconnected_account_waits_in_the_queue(self):
        order, _cart = self._approved()
        document = self._documents(order)
        self.account.state = "draft"
        self._run_cron()
        self.assertEqual(document.state, "output_pending")
        self.assertIn("not connected", document.error)
        self.assertEqual(document.attempts, 0)
        self.assertGreater(document.next_attempt_at, fields.Datetime.now())
        self.assertFalse(self.sandbox.orders())
        self.account.state = "test"
        document.with_user(self.purchase_user).action_retry()
        self._run_cron()
        self.assertEqual(document.state, "output_sent", document.error)
        self.assertEqual(len(self._accepted()), 1)

    # --- Retry and Resend ---

    def _button_visible(self, document, button):
        """Evaluate the form's ``invisible`` modifier of a header button."""
        arch = etree.fromstring(
            document.get_view(
                self.env.ref("amazon_punchout.amazon_punchout_document_view_form").id,
                "form",
            )["arch"]
        )
        expression = arch.find(f".//button[@name='{button}']").get("invisible")
        values = document.read(["doc_type", "direction", "state", "refused"])[0]
        return not safe_eval(expression, values)

    def test_resend_only_after_a_definite_refusal(self):
        order, _cart = self._approved()
        document = self._documents(order)
        # Server errors until the attempts run out: Amazon may hold the order.
        self.sandbox.set_faults("http500*20", IDENTITY)
        for _attempt in range(5):
            document.next_attempt_at = fields.Datetime.now() - timedelta(seconds=1)
            self._run_cron()
        self.assertEqual(document.state, "output_error")
        self.assertFalse(document.refused)
        self.assertTrue(self._button_visible(document, "action_retry"))
        self.assertFalse(self._button_visible(document, "action_resend"))
        with self.assertRaisesRegex(UserError, "use Retry"):
            document.with_user(self.purchase_user).action_resend()
        self.assertEqual(len(self._documents(order)), 1)
        # An interrupted send that gave up: Retry only, too.
        document.write(
            {
                "state": "output_sending",
                "attempts": 5,
                "status_code": 0,
                "last_attempt_at": fields.Datetime.now() - timedelta(hours=1),
            }
        )
        self._run_cron()
        self.assertEqual(document.state, "output_error")
        self.assertFalse(self._button_visible(document, "action_resend"))
        with self.assertRaisesRegex(UserError, "use Retry"):
            document.with_user(self.purchase_user).action_resend()

    def test_refusal_offers_resend_not_retry(self):
        order, _cart = self._requisition()
        line = order.order_line.filtered("amazon_punchout_asin")[0]
        line.amazon_punchout_aux_id = "999-9999999-9999999,1"
        order.with_user(self.purchase_user).button_confirm()
        self._run_cron()
        document = self._documents(order)
        self.assertEqual(document.status_code, 400)
        self.assertTrue(document.refused)
        self.assertFalse(self._button_visible(document, "action_retry"))
        self.assertTrue(self._button_visible(document, "action_resend"))
        with self.assertRaisesRegex(UserError, "Resend"):
            document.with_user(self.purchase_user).action_retry()

    def test_activity_without_buyer_goes_to_a_purchase_manager(self):
        order, _cart = self._approved()
        order.user_id = False
        self.account.write(
            {
                "punchout_url_test": "https://localhost:9/punchout/test",
                "punchout_url_production": "https://localhost:9/punchout",
                "order_url": "https://localhost:9/order",
                "state": "production",
            }
        )
        self._run_cron()
        activity = order.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == self.env.ref("mail.mail_activity_data_warning")
            )
        )
        self.assertTrue(activity)
        self.assertTrue(activity.user_id.has_group("purchase.group_purchase_manager"))
