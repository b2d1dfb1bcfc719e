# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from conftest import assert_recorded_valid, quick_order, status_of


def test_end_to_end(srv, receiver):
    srv.configure_account(
        "PunchoutGroup1000", buyer_inbound_url=receiver.url, plan={"delay": 0.01}
    )
    _result, status, body = quick_order(srv)
    assert status == 200
    assert status_of(body)[0] == 200, status_of(body)
    order = srv.wait_for_order("PO0001")
    assert order["status"] == "done", order
    kinds = [c["document"] for c in srv.callbacks()]
    assert kinds == ["ConfirmationRequest", "ShipNoticeRequest", "InvoiceDetailRequest"]
    assert_recorded_valid(srv.callbacks())
