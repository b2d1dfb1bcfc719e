# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The supplier's callbacks: auth, retries, plans, faults, test mode, DTD validity."""

import base64
import re

import pytest
from conftest import (
    DTD_DIR,
    IDENTITY,
    SECRET,
    Receiver,
    assert_recorded_valid,
    assert_valid,
    post_json,
    post_xml,
    quick_order,
    status_of,
)

THREE = [
    {"asin": "B0SBX1PEN1", "quantity": 2},
    {"asin": "B0SBXMON10", "quantity": 1},
    {"asin": "B0SBXBK017", "quantity": 3},
]


def configure(srv, receiver, **settings):
    plan = {"delay": 0.01, **settings.pop("plan", {})}
    srv.configure_account(
        IDENTITY, buyer_inbound_url=receiver.url, plan=plan, **settings
    )


def run(srv, items=None, order_id="PO0001", **kwargs):
    _result, status, body = quick_order(srv, items, order_id=order_id, **kwargs)
    assert status == 200 and status_of(body)[0] == 200, status_of(body)
    order = srv.wait_for_order(order_id)
    assert order["status"] == "done", order
    return order


def docs_by_kind(receiver):
    out = {}
    for doc in receiver.docs():
        out.setdefault(doc.find("Request")[0].tag, []).append(doc)
    return out


def test_full_lifecycle_documents(srv, receiver):
    configure(srv, receiver)
    order = run(srv, THREE)
    docs = docs_by_kind(receiver)
    assert [
        len(docs[k])
        for k in ("ConfirmationRequest", "ShipNoticeRequest", "InvoiceDetailRequest")
    ] == [1, 1, 1]
    for raw in receiver.received:
        assert_valid(raw["body"])
        assert raw["headers"]["Content-Type"] == "text/xml; charset=UTF-8"
        assert "Authorization" not in raw["headers"]  # inbound_auth none
        assert b"SharedSecret" not in raw["body"]
    conf = docs["ConfirmationRequest"][0]
    head = conf.find("Request/ConfirmationRequest/ConfirmationHeader")
    amazon_order = head.get("confirmID")
    assert re.fullmatch(r"\d{3}-\d{7}-\d{7}", amazon_order)
    assert (head.get("type"), head.get("operation")) == ("detail", "new")
    ref = conf.find("Request/ConfirmationRequest/OrderReference")
    assert ref.get("orderID") == "PO0001"
    assert ref.find("DocumentReference").get("payloadID") == order["payload_id"]
    items = conf.findall("Request/ConfirmationRequest/ConfirmationItem")
    assert [i.get("lineNumber") for i in items] == ["10", "20", "30"]
    for item in items:
        status = item.find("ConfirmationStatus")
        assert status.get("type") == "detail"
        assert status.find("Comments").get("type") == "confirmID"
        assert status.findtext("Comments") == amazon_order
    assert conf.findtext("Header/From/Credential/Identity") == "Amazon"
    assert conf.findtext("Header/To/Credential/Identity") == IDENTITY
    sn = docs["ShipNoticeRequest"][0].find("Request/ShipNoticeRequest")
    assert len(sn.find("ShipNoticeHeader")) == 0  # self-closing header
    assert sn.find("ShipNoticeHeader").get("shipmentType") == "actual"
    assert sn[1].tag == "ShipControl"  # sibling of the header
    assert sn.find("ShipControl/CarrierIdentifier").get("domain") == "companyName"
    assert sn.findtext("ShipControl/ShipmentIdentifier").startswith("TBA")
    assert sn.find("ShipControl/PackageIdentification").get("rangeBegin") == "1"
    portion = sn.find("ShipNoticePortion")
    assert portion.find("OrderReference").get("orderID") == "PO0001"
    assert [i.get("lineNumber") for i in portion.findall("ShipNoticeItem")] == [
        "30",
        "20",
        "10",
    ]
    inv = docs["InvoiceDetailRequest"][0].find("Request/InvoiceDetailRequest")
    ihead = inv.find("InvoiceDetailRequestHeader")
    assert ihead.get("purpose") == "standard" and ihead.get("invoiceID")
    indicator = ihead.find("InvoiceDetailLineIndicator")
    assert (
        indicator.get("isTaxInLine") == "yes"
        and indicator.get("isShippingInLine") == "yes"
    )
    iorder = inv.find("InvoiceDetailOrder")
    oref = iorder.find("InvoiceDetailOrderInfo/OrderReference")
    assert oref.get("orderID") == "PO0001"
    assert oref.find("DocumentReference").get("payloadID") == order["payload_id"]
    lines = iorder.findall("InvoiceDetailItem")
    assert [
        ln.find("InvoiceDetailItemReference").get("lineNumber") for ln in lines
    ] == ["10", "20", "30"]
    assert [ln.get("invoiceLineNumber") for ln in lines] == ["1", "2", "3"]
    assert (
        lines[0].findtext("InvoiceDetailItemReference/ItemID/SupplierPartID")
        == "B0SBX1PEN1"
    )
    assert lines[0].findtext("SubtotalAmount/Money") == "17.98"
    assert lines[0].find("Tax/TaxDetail") is not None
    assert lines[2].findtext("InvoiceDetailLineShipping/Money") == "17.97"  # merchant
    summary = inv.find("InvoiceDetailSummary")
    sub = float(summary.findtext("SubtotalAmount/Money"))
    tax = float(summary.findtext("Tax/Money"))
    ship = float(summary.findtext("ShippingAmount/Money"))
    assert sub == pytest.approx(17.98 + 229.99 + 37.50)
    assert float(summary.findtext("GrossAmount/Money")) == pytest.approx(
        sub + tax + ship
    )
    assert summary.findtext("DueAmount/Money") == summary.findtext("NetAmount/Money")
    # introspection records every attempt and the buyer's answer
    records = srv.callbacks()
    assert [(r["document"], r["http_status"], r["cxml_code"]) for r in records] == [
        ("ConfirmationRequest", 200, 200),
        ("ShipNoticeRequest", 200, 200),
        ("InvoiceDetailRequest", 200, 200),
    ]
    assert all(r["url"] == receiver.url for r in records)
    assert_recorded_valid(records)


def test_basic_auth_callbacks(srv, receiver):
    configure(
        srv, receiver, inbound_auth="basic", inbound_user="amz", inbound_password="pw1"
    )
    run(srv)
    expected = "Basic " + base64.b64encode(b"amz:pw1").decode()
    assert {r["headers"]["Authorization"] for r in receiver.received} == {expected}
    assert all(b"SharedSecret" not in r["body"] for r in receiver.received)


def test_shared_secret_callbacks(srv, receiver):
    configure(srv, receiver, inbound_auth="shared_secret")
    run(srv)
    for doc in receiver.docs():
        sender = doc.find("Header/Sender/Credential")
        assert sender.get("domain") == "NetworkId"
        assert sender.findtext("Identity") == IDENTITY
        assert sender.findtext("SharedSecret") == SECRET
        assert doc.find("Header/From/Credential/SharedSecret") is None
        assert doc.findtext("Header/To/Credential/Identity") == IDENTITY
    assert_recorded_valid(srv.callbacks())
    assert SECRET not in str(srv.state())  # redacted everywhere, raw XML included
    assert "<SharedSecret>***</SharedSecret>" in srv.callbacks()[0]["xml"]


def test_retry_after_http_and_cxml_5xx():
    receiver = Receiver(answers=[(500, 500), (200, 500), (200, 200)])
    from amazon_sandbox import SandboxServer

    srv = SandboxServer(
        dtd_dir=DTD_DIR, accounts={IDENTITY: {"shared_secret": SECRET}}
    ).start()
    try:
        configure(
            srv, receiver, retry={"attempts": 5, "backoff": 0.01}, invoicing=False
        )
        run(srv)
        records = srv.callbacks()
        conf = [r for r in records if r["document"] == "ConfirmationRequest"]
        assert [(r["attempt"], r["http_status"], r["cxml_code"]) for r in conf] == [
            (1, 500, 500),
            (2, 200, 500),
            (3, 200, 200),
        ]
        assert len({r["payload_id"] for r in conf}) == 1  # same payloadID on retries
        bodies = [r["body"] for r in receiver.received[:3]]
        assert bodies[0] == bodies[1] == bodies[2]
        assert [r["document"] for r in records][-1] == "ShipNoticeRequest"
    finally:
        srv.stop()
        receiver.close()


def test_retry_is_bounded_and_4xx_not_retried(srv):
    receiver = Receiver(answers=[(503, 503)] * 10)
    try:
        configure(srv, receiver, retry={"attempts": 3, "backoff": 0.01}, mode="test")
        run(srv)
        assert [r["attempt"] for r in srv.callbacks()] == [1, 2, 3]
    finally:
        receiver.close()
    srv.reset()
    receiver = Receiver(answers=[(200, 409)])
    try:
        configure(srv, receiver, retry={"attempts": 3, "backoff": 0.01}, mode="test")
        run(srv)
        assert [(r["attempt"], r["cxml_code"]) for r in srv.callbacks()] == [(1, 409)]
    finally:
        receiver.close()


def test_connection_error_recorded_and_retried(srv):
    configure(srv, Receiver(), retry={"attempts": 2, "backoff": 0.01}, mode="test")
    srv.configure_account(IDENTITY, buyer_inbound_url="http://127.0.0.1:9/nothing")
    run(srv)
    records = srv.callbacks()
    assert [r["attempt"] for r in records] == [1, 2]
    assert all(r["error"] and r["http_status"] is None for r in records)


def test_non_loopback_callback_refused(srv):
    srv.configure_account(
        IDENTITY, buyer_inbound_url="http://192.0.2.1/x", plan={"delay": 0.01}
    )
    run(srv)
    assert all("loopback" in r["error"] for r in srv.callbacks())


def test_split_reject_backorder(srv, receiver):
    configure(
        srv,
        receiver,
        plan={
            "split": True,
            "reject_lines": [30],
            "backorder_lines": [20],
            "carrier": "UPS",
        },
    )
    items = THREE + [{"asin": "B0SBXGLV25", "quantity": 1}]
    run(srv, items)
    docs = docs_by_kind(receiver)
    confs = docs["ConfirmationRequest"]
    heads = [c.find("Request/ConfirmationRequest/ConfirmationHeader") for c in confs]
    assert [h.get("type") for h in heads] == ["accept", "accept", "reject"]
    assert heads[0].get("confirmID") != heads[1].get("confirmID")
    assert heads[2].findtext("Comments").endswith("[Error code: 002-003]")
    lines = [[i.get("lineNumber") for i in c.iter("ConfirmationItem")] for c in confs]
    assert lines == [["10", "40"], ["20"], ["30"]]
    back = confs[1].find(".//ConfirmationStatus")
    assert back.get("type") == "backordered" and back.get("deliveryDate")
    rej = confs[2].find(".//ConfirmationStatus")
    assert rej.get("type") == "reject" and "002-003" in rej.findtext("Comments")
    notices = docs["ShipNoticeRequest"]
    shipped = [[i.get("lineNumber") for i in n.iter("ShipNoticeItem")] for n in notices]
    assert shipped == [["40", "10"], ["20"]]  # the backordered line ships last
    assert notices[0].findtext(".//CarrierIdentifier") == "UPS"
    invoices = docs["InvoiceDetailRequest"]
    assert len(invoices) == 2
    supplier_orders = [i.find(".//SupplierOrderInfo").get("orderID") for i in invoices]
    assert supplier_orders == [heads[0].get("confirmID"), heads[1].get("confirmID")]
    for raw in receiver.received:
        assert_valid(raw["body"])


@pytest.mark.parametrize(
    "how",
    ["deployment", "setup_path", "account_mode"],
)
def test_test_mode_confirms_but_never_ships(srv, receiver, how):
    configure(srv, receiver, mode="test" if how == "account_mode" else "production")
    kwargs = {}
    if how == "deployment":
        kwargs["deployment"] = "test"
    if how == "setup_path":
        from conftest import cart_lines, order_xml

        lines = cart_lines(srv, [{"asin": "B0SBX1PEN1"}], path="/punchout/test")[
            "lines"
        ]
        _s, _h, body = post_xml(srv.url + "/order", order_xml(lines))
        assert status_of(body)[0] == 200
        order = srv.wait_for_order("PO0001")
    else:
        order = run(srv, **kwargs)
    assert order["test"] is True
    assert [d.find("Request")[0].tag for d in receiver.docs()] == [
        "ConfirmationRequest"
    ]
    assert receiver.docs()[0].find("Request").get("deploymentMode") == "test"


def test_duplicate_fault_delivers_twice(srv, receiver):
    configure(srv, receiver, invoicing=False)
    run(srv, headers={"X-Sandbox-Fault": "duplicate"})
    payloads = [d.get("payloadID") for d in receiver.docs()]
    assert (
        len(payloads) == 4 and payloads[0] == payloads[1] and payloads[2] == payloads[3]
    )
    assert [r["delivery"] for r in srv.callbacks()] == [1, 2, 1, 2]


def test_out_of_order_fault(srv, receiver):
    configure(srv, receiver, faults="out_of_order*1")
    run(srv)
    tags = [d.find("Request")[0].tag for d in receiver.docs()]
    assert tags == ["InvoiceDetailRequest", "ShipNoticeRequest", "ConfirmationRequest"]
    assert srv.state()["accounts"][IDENTITY]["active_faults"] == []  # consumed


def test_manual_plan_advanced_by_api(srv, receiver):
    configure(srv, receiver, plan={"mode": "manual"})
    _r, status, body = quick_order(srv)
    assert status_of(body)[0] == 200
    order = srv.orders()[-1]
    assert order["status"] == "waiting (manual plan)"
    assert order["pending"] == ["confirmation", "ship_notice", "invoice"]
    assert receiver.received == []
    status, out = post_json(srv.url + "/_sandbox/orders/PO0001/advance", {})
    assert status == 200 and [s["document"] for s in out["sent"]] == [
        "ConfirmationRequest"
    ]
    assert out["pending"] == ["ship_notice", "invoice"]
    status, out = post_json(
        srv.url + "/_sandbox/orders/PO0001/advance", {"steps": "all"}
    )
    assert [s["document"] for s in out["sent"]] == [
        "ShipNoticeRequest",
        "InvoiceDetailRequest",
    ]
    assert len(receiver.received) == 3
    status, out = post_json(srv.url + "/_sandbox/orders/NOPE/advance", {})
    assert status == 404


def test_per_document_callback_urls(srv, receiver):
    other = Receiver()
    try:
        configure(srv, receiver, callback_urls={"invoice": other.url})
        run(srv)
        assert [d.find("Request")[0].tag for d in other.docs()] == [
            "InvoiceDetailRequest"
        ]
        assert len(receiver.received) == 2
    finally:
        other.close()


@pytest.mark.parametrize("marketplace, currency", [("DE", "EUR"), ("JP", "JPY")])
def test_callbacks_valid_in_every_marketplace(srv, receiver, marketplace, currency):
    configure(
        srv,
        receiver,
        marketplace=marketplace,
        plan={"split": True, "backorder_lines": "last"},
    )
    run(srv, THREE, currency=currency)
    assert len(receiver.received) == 1 + 1 + 3 * 2  # 2 confirmations + 3 shipments
    for raw in receiver.received:
        assert_valid(raw["body"])
    assert_recorded_valid(srv.callbacks())
    if marketplace == "JP":
        assert all("." not in m.text for d in receiver.docs() for m in d.iter("Money"))
