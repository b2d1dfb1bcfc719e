# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from datetime import timedelta
from types import SimpleNamespace
from unittest.mock import patch

import psycopg2
import requests
from lxml import etree

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.amazon_punchout.controllers import main as controllers_main
from odoo.addons.amazon_punchout.models import (
    amazon_punchout_document_inbound as inbound_module,
)

from .. import cxml
from ..const import INBOUND_PROCESS_ATTEMPTS
from .common import IDENTITY, SECRET, AmazonPunchoutHttpCommon

Document = inbound_module.AmazonPunchoutDocument


@tagged("post_install", "-at_install")
class TestInbound(AmazonPunchoutHttpCommon):
    """Amazon's confirmations and ship notices, posted over HTTP to Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.account.company_id
        cls.company.partner_id.write(
            {
                "street": "1 Main Street",
                "city": "Seattle",
                "zip": "98109",
                "country_id": cls.env.ref("base.us").id,
            }
        )
        cls.company.po_double_validation = "one_step"
        cls.inbound_path = f"/amazon_punchout/cxml/{cls.account.inbound_token}"

    def setUp(self):
        super().setUp()
        self.sandbox.configure_account(
            IDENTITY,
            mode="test",
            fulfil_test_orders=True,
            buyer_inbound_url=self.base_url() + self.inbound_path,
            inbound_auth="shared_secret",
            plan={"mode": "manual", "carrier": "UPS"},
        )

    # --- helpers ---

    def _post(self, data, path=None, headers=None, auth=None):
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            response = requests.post(
                self.base_url() + (path or self.inbound_path),
                data=data,
                headers={"Content-Type": "text/xml; charset=UTF-8", **(headers or {})},
                auth=auth,
                timeout=30,
            )
        self.env.invalidate_all()
        return response

    def _code(self, response):
        root = etree.fromstring(response.content)
        return int(root.find("Response/Status").get("code"))

    def _inbound(self):
        return self.env["amazon.punchout.document"].search(
            [
                ("direction", "=", "inbound"),
                ("account_id", "=", self.account.id),
                ("doc_type", "in", inbound_module.INBOUND_TYPES),
            ],
            order="id",
        )

    def _envelope(self, body, payload_id=None, secret=SECRET, identity=IDENTITY):
        payload_id = payload_id or cxml.new_payload_id()
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<cXML payloadID="{payload_id}" timestamp="2026-01-01T00:00:00+00:00">'
            f'<Header><From><Credential domain="NetworkId"><Identity>Amazon'
            f"</Identity></Credential></From>"
            f'<To><Credential domain="NetworkId"><Identity>{identity}</Identity>'
            f"</Credential></To>"
            f'<Sender><Credential domain="NetworkId"><Identity>{identity}'
            f"</Identity><SharedSecret>{secret}</SharedSecret></Credential>"
            f"<UserAgent>tests</UserAgent></Sender></Header>"
            f'<Request deploymentMode="test">{body}</Request></cXML>'
        ).encode()

    def _reference(self, order, request):
        return (
            f'<OrderReference orderID="{order.name}">'
            f'<DocumentReference payloadID="{request.payload_id}"/></OrderReference>'
        )

    def _confirmation(self, order, request, items, kind="detail", **kw):
        lines = "".join(
            f'<ConfirmationItem quantity="{qty}" lineNumber="{number}">'
            f"<UnitOfMeasure>EA</UnitOfMeasure>"
            f'<ConfirmationStatus type="{status}" quantity="{qty}">'
            f"<UnitOfMeasure>EA</UnitOfMeasure>{extra}</ConfirmationStatus>"
            f"</ConfirmationItem>"
            for number, qty, status, extra in items
        )
        confirm_id = kw.get("confirm_id", "111-2222222-3333333")
        notice = kw.get("notice", "2026-01-02T00:00:00+00:00")
        return self._envelope(
            f'<ConfirmationRequest><ConfirmationHeader type="{kind}" '
            f'noticeDate="{notice}" operation="new" confirmID="{confirm_id}"/>'
            f"{self._reference(order, request)}{lines}</ConfirmationRequest>",
            payload_id=kw.get("payload_id"),
        )

    def _ship_notice(self, order, request, items, shipment_id="1112223334445", **kw):
        lines = "".join(
            f'<ShipNoticeItem quantity="{qty}" lineNumber="{number}">'
            f"<UnitOfMeasure>EA</UnitOfMeasure></ShipNoticeItem>"
            for number, qty in items
        )
        control = (
            f'<ShipControl><CarrierIdentifier domain="companyName">'
            f"{kw.get('carrier', '')}</CarrierIdentifier>"
            f"<ShipmentIdentifier>{kw.get('tracking', 'TBA000111222')}"
            f"</ShipmentIdentifier></ShipControl>"
        )
        in_header = kw.get("control_in_header")
        return self._envelope(
            f'<ShipNoticeRequest><ShipNoticeHeader shipmentID="{shipment_id}" '
            f'noticeDate="2026-01-03T00:00:00+00:00" operation="new" '
            f'shipmentDate="2026-01-03T00:00:00+00:00" '
            f'deliveryDate="2026-01-05T00:00:00+00:00" shipmentType="actual">'
            f"{control if in_header else ''}</ShipNoticeHeader>"
            f"{'' if in_header else control}<ShipNoticePortion>"
            f"{self._reference(order, request)}{lines}</ShipNoticePortion>"
            f"</ShipNoticeRequest>",
            payload_id=kw.get("payload_id"),
        )

    def _line(self, order, number):
        return order.order_line.filtered(
            lambda line: line.amazon_punchout_line_number == number
        )

    # --- the sandbox posts to Odoo's real endpoint ---

    def test_sandbox_confirms_rejects_ships(self):
        self.sandbox.set_faults("reject_line=3", IDENTITY)
        order = self._sent_order()
        sent = self._advance(order)
        self.env.invalidate_all()
        self.assertTrue(sent)
        for attempt in sent:
            self.assertEqual(attempt["http_status"], 200, attempt)
            self.assertEqual(attempt["cxml_code"], 200, attempt)
        documents = self._inbound()
        self.assertEqual(
            sorted(documents.mapped("doc_type")),
            [
                "ConfirmationRequest",
                "ConfirmationRequest",
                "InvoiceDetailRequest",
                "ShipNoticeRequest",
            ],
        )
        processed = documents.filtered(lambda d: d.doc_type != "InvoiceDetailRequest")
        self.assertEqual(set(processed.mapped("state")), {"input_processed"})
        for document in documents:
            self.assertNotIn(SECRET.encode(), document._amazon_punchout_raw())
        rejected = self._line(order, 3)
        self.assertEqual(rejected.amazon_punchout_qty_rejected, 5)
        self.assertEqual(rejected.amazon_punchout_qty_confirmed, 0)
        self.assertEqual(rejected.amazon_punchout_error_code, "002-003")
        self.assertTrue(rejected.amazon_punchout_reject_reason)
        confirmed = self._line(order, 1)
        self.assertEqual(confirmed.amazon_punchout_qty_confirmed, 2)
        self.assertEqual(confirmed.amazon_punchout_qty_shipped, 2)
        self.assertRegex(confirmed.amazon_punchout_order_refs, r"^\d{3}-\d{7}-\d{7}$")
        self.assertEqual(
            order.amazon_punchout_order_refs, confirmed.amazon_punchout_order_refs
        )
        self.assertEqual(order.amazon_punchout_status, "shipped")
        shipment = order.amazon_punchout_shipment_ids
        self.assertEqual(len(shipment), 1)
        self.assertEqual(shipment.carrier, "UPS")
        self.assertTrue(shipment.tracking_ref.startswith("TBA"))
        self.assertIn("ups.com", shipment.tracking_url)
        self.assertEqual(
            sorted(shipment.line_ids.mapped("line_number")),
            [1, 2],
            "rejected not shipped",
        )
        # The buyer has an activity; the shopper was notified (inbox or e-mail).
        activity = order.activity_ids.filtered(
            lambda a: a.summary == "Amazon changed the order: align it"
        )
        self.assertEqual(activity.user_id, self.purchase_user)
        notified = order.message_ids.filtered(
            lambda m: self.shopper.partner_id in m.partner_ids
        )
        bodies = " ".join(notified.mapped("body"))
        self.assertIn("Amazon Business confirmed", bodies)
        self.assertIn("002-003", bodies)
        self.assertIn("TBA", bodies)
        # Align with Amazon: the rejected line goes to 0, totals follow.
        self.assertTrue(order.amazon_punchout_align_needed)
        total_before = order.amount_untaxed
        order.with_user(self.purchase_user).action_amazon_punchout_align()
        self.assertEqual(rejected.product_qty, 0)
        self.assertEqual(confirmed.product_qty, 2)
        self.assertAlmostEqual(
            order.amount_untaxed, total_before - rejected.price_unit * 5, places=2
        )
        self.assertFalse(order.amazon_punchout_align_needed)

    def test_sandbox_split_backorder_basic_auth_duplicates(self):
        self.account.write(
            {
                "inbound_auth": "basic",
                "inbound_user": "amazon",
                "inbound_password": "basic-pass-not-real",
            }
        )
        self.sandbox.configure_account(
            IDENTITY,
            inbound_auth="basic",
            inbound_user="amazon",
            inbound_password="basic-pass-not-real",
            plan={"split": True, "backorder_lines": [2]},
        )
        self.sandbox.set_faults("duplicate", IDENTITY)
        order = self._sent_order()
        sent = self._advance(order)
        self.env.invalidate_all()
        self.assertTrue(all(a["http_status"] == 200 for a in sent), sent)
        payloads = [a["payload_id"] for a in sent]
        self.assertLess(len(set(payloads)), len(payloads), "duplicates were sent")
        documents = self._inbound()
        self.assertEqual(len(documents), len(set(payloads)))
        refs = order.amazon_punchout_order_refs.split(", ")
        self.assertEqual(len(refs), 2, "split over two Amazon orders")
        backordered = self._line(order, 2)
        self.assertEqual(backordered.amazon_punchout_qty_backordered, 1)
        self.assertTrue(backordered.amazon_punchout_delivery_date)
        self.assertEqual(order.amazon_punchout_status, "shipped")
        notices = documents.filtered(lambda d: d.doc_type == "ShipNoticeRequest")
        self.assertGreaterEqual(len(notices), 2)
        self.assertEqual(len(order.amazon_punchout_shipment_ids), len(notices))
        for line in order.order_line.filtered("amazon_punchout_asin"):
            self.assertEqual(line.amazon_punchout_qty_shipped, line.product_qty)

    # --- direct posts: authentication, bad input, replays ---

    def test_authentication_failures_store_nothing(self):
        order = self._sent_order()
        request = self._order_request(order)
        good = self._confirmation(order, request, [(1, 2, "detail", "")])
        with mute_logger(
            "odoo.addons.amazon_punchout.models.amazon_punchout_document_inbound"
        ):
            cases = {
                "unknown token": self._post(good, path="/amazon_punchout/cxml/nope"),
                "wrong secret": self._post(
                    self._confirmation(order, request, [(1, 2, "detail", "")]).replace(
                        SECRET.encode(), b"guess"
                    )
                ),
                "wrong identity": self._post(
                    good.replace(IDENTITY.encode(), b"PunchoutGroup1")
                ),
            }
            self.account.inbound_auth = "shared_secret_basic"
            self.account.inbound_user = "amazon"
            self.account.inbound_password = "pw-not-real"
            cases["no basic"] = self._post(good)
            cases["wrong basic"] = self._post(good, auth=("amazon", "nope"))
        for name, response in cases.items():
            self.assertEqual(response.status_code, 401, name)
            self.assertEqual(self._code(response), 401, name)
            self.assertNotIn("Set-Cookie", response.headers, name)
        self.assertFalse(self._inbound())
        response = self._post(good, auth=("amazon", "pw-not-real"))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self._code(response), 200)
        self.assertNotIn("Set-Cookie", response.headers)
        self.assertEqual(self._inbound().state, "input_processed")

    def test_malformed_and_oversize(self):
        with mute_logger(
            "odoo.addons.amazon_punchout.models.amazon_punchout_document_inbound"
        ):
            response = self._post(b"<cXML><oops")
            self.assertEqual(response.status_code, 400)
            self.assertEqual(self._code(response), 400)
            response = self._post(b"<cXML>" + b" " * (5 * 1024 * 1024) + b"</cXML>")
            self.assertEqual(response.status_code, 413)
            response = self._post(self._envelope("<ProfileRequest/>"))
            self.assertEqual(response.status_code, 400)
        self.assertFalse(self._inbound())

    def test_replay_and_race_processed_once(self):
        order = self._sent_order()
        request = self._order_request(order)
        data = self._confirmation(order, request, [(1, 2, "detail", "")])
        first = self._post(data)
        self.assertEqual(first.status_code, 200)
        messages = len(order.message_ids)
        second = self._post(data)
        self.assertEqual((second.status_code, self._code(second)), (200, 200))
        self.assertEqual(len(self._inbound()), 1)
        self.assertEqual(len(order.message_ids), messages, "not processed twice")
        # Two workers race: the loser's lookup saw nothing, its insert hits the
        # unique index, it answers like a replay.
        data = self._ship_notice(order, request, [(1, 1)])
        self._post(data)
        original = Document._amazon_punchout_find_inbound
        calls = []

        def blind_once(self, account, payload_id):
            calls.append(payload_id)
            if len(calls) == 1:
                return self.browse()
            return original(self, account, payload_id)

        with (
            patch.object(Document, "_amazon_punchout_find_inbound", blind_once),
            mute_logger("odoo.sql_db"),
        ):
            raced = self._post(data)
        self.assertEqual((raced.status_code, self._code(raced)), (200, 200))
        self.assertEqual(len(calls), 2)
        self.assertEqual(len(self._inbound()), 2)
        self.assertEqual(self._line(order, 1).amazon_punchout_qty_shipped, 1)
        # Two threads posting the same new document at once.
        data = self._ship_notice(order, request, [(2, 1)], shipment_id="999")
        results = []

        def post():
            results.append(
                requests.post(
                    self.base_url() + self.inbound_path,
                    data=data,
                    headers={"Content-Type": "text/xml"},
                    timeout=30,
                )
            )

        threads = [threading.Thread(target=post) for _n in range(2)]
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        self.env.invalidate_all()
        self.assertEqual([r.status_code for r in results], [200, 200])
        self.assertEqual(len(self._inbound()), 3)
        self.assertEqual(len(order.amazon_punchout_shipment_ids), 2)

    def test_out_of_order_unknown_and_inconsistent(self):
        order = self._sent_order()
        request = self._order_request(order)
        # A ship notice before any confirmation: applied, nothing lost.
        response = self._post(
            self._ship_notice(order, request, [(1, 2)], control_in_header=True)
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(order.amazon_punchout_status, "partly_shipped")
        shipment = order.amazon_punchout_shipment_ids
        self.assertEqual(shipment.tracking_ref, "TBA000111222")
        self.assertIn("track.amazon.com", shipment.tracking_url)
        self._post(
            self._confirmation(
                order,
                request,
                [
                    (1, 2, "detail", ""),
                    (
                        2,
                        1,
                        "detail",
                        '<UnitPrice><Money currency="USD">99.00</Money></UnitPrice>',
                    ),
                    (3, 5, "detail", ""),
                ],
            )
        )
        self.assertEqual(order.amazon_punchout_status, "partly_shipped")
        self.assertEqual(self._line(order, 2).amazon_punchout_confirmed_price, 99)
        self.assertEqual(self._line(order, 1).amazon_punchout_qty_confirmed, 2)
        # Unknown order: stored, 200, needs attention with an activity.
        unknown = self._confirmation(
            SimpleNamespace(name="NOT-OURS"),
            SimpleNamespace(payload_id="nobody@example.com"),
            [(1, 1, "detail", "")],
        )
        response = self._post(unknown)
        self.assertEqual(response.status_code, 200)
        document = self._inbound()[-1]
        self.assertEqual(document.state, "input_error")
        self.assertIn("NOT-OURS", document.error)
        self.assertEqual(document.activity_ids.user_id, self.env.ref("base.user_admin"))
        # Unknown line and quantities over ordered: all or nothing.
        before = self._line(order, 1).amazon_punchout_qty_confirmed
        self._post(
            self._confirmation(
                order,
                request,
                [(7, 1, "detail", "")],
            )
        )
        bad_line = self._inbound()[-1]
        self.assertEqual(bad_line.state, "input_error")
        self.assertIn("7", bad_line.error)
        self.assertEqual(self._line(order, 1).amazon_punchout_qty_confirmed, before)
        self._post(self._ship_notice(order, request, [(3, 9)], shipment_id="2"))
        over = self._inbound()[-1]
        self.assertEqual(over.state, "input_error")
        self.assertIn("ordered", over.error)
        self.assertEqual(len(order.amazon_punchout_shipment_ids), 1, "rolled back")
        # The data is fixed (the line got its Amazon number): Process again.
        self._line(order, 3).copy(
            {"order_id": order.id, "product_qty": 1, "amazon_punchout_line_number": 7}
        )
        bad_line.with_user(self.purchase_manager).action_process_again()
        self.assertEqual(bad_line.state, "input_processed", bad_line.error)
        self.assertEqual(self._line(order, 1).amazon_punchout_qty_confirmed, 2)
        self.assertEqual(self._line(order, 7).amazon_punchout_qty_confirmed, 1)
        self.assertFalse(bad_line.activity_ids)

    def test_concurrent_update_retried_without_error(self):
        """Found by the reliability suite (reliability/run): concurrent inbound
        posts of different orders update the same rows (the shopper's partner,
        notified by each document), and the request's processing failed with a
        serialization error logged as an ERROR with a traceback. It is retried."""
        order = self._sent_order()
        request = self._order_request(order)
        data = self._ship_notice(order, request, [(1, 2)])
        real = Document._amazon_punchout_apply_inbound
        calls = []

        def flaky(document):
            calls.append(document.id)
            if len(calls) == 1:
                raise psycopg2.errors.SerializationFailure("concurrent update")
            return real(document)

        with (
            patch.object(Document, "_amazon_punchout_apply_inbound", flaky),
            self.assertNoLogs("odoo.addons.amazon_punchout.controllers.main", "ERROR"),
        ):
            response = self._post(data)
        self.assertEqual((response.status_code, self._code(response)), (200, 200))
        self.assertEqual(len(calls), 2)
        document = self._inbound()
        self.assertEqual(document.state, "input_processed", document.error)
        self.assertEqual(self._line(order, 1).amazon_punchout_qty_shipped, 2)

    def test_concurrent_update_persisting_left_to_cron(self):
        order = self._sent_order()
        request = self._order_request(order)
        data = self._ship_notice(order, request, [(1, 2)])
        with (
            patch.object(
                Document,
                "_amazon_punchout_apply_inbound",
                side_effect=psycopg2.errors.SerializationFailure("concurrent"),
            ) as apply,
            patch.object(controllers_main.time, "sleep"),
            self.assertNoLogs("odoo.addons.amazon_punchout.controllers.main", "ERROR"),
        ):
            response = self._post(data)
        self.assertEqual((response.status_code, self._code(response)), (200, 200))
        self.assertEqual(apply.call_count, INBOUND_PROCESS_ATTEMPTS)
        self.assertEqual(self._inbound().state, "input_received")

    def test_processing_failure_left_to_cron(self):
        order = self._sent_order()
        request = self._order_request(order)
        data = self._ship_notice(order, request, [(1, 2)])
        with (
            patch.object(
                Document,
                "_amazon_punchout_apply_inbound",
                side_effect=RuntimeError("boom"),
            ),
            mute_logger("odoo.addons.amazon_punchout.controllers.main"),
        ):
            response = self._post(data)
        self.assertEqual((response.status_code, self._code(response)), (200, 200))
        document = self._inbound()
        self.assertEqual(document.state, "input_received")
        self.env.cr.execute(
            "UPDATE amazon_punchout_document SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(minutes=10), document.id),
        )
        self.env.ref("amazon_punchout.ir_cron_process_inbound").method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(document.state, "input_processed", document.error)
        self.assertEqual(self._line(order, 1).amazon_punchout_qty_shipped, 2)
