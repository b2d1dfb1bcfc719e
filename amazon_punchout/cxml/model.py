# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Frozen dataclasses: one per cXML document type and its parts.

Amounts and quantities are always :class:`decimal.Decimal`; repeated parts are
tuples; ``(name, value)`` pairs keep extrinsics and classifications in order.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

# === COMMON PARTS === #


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Credential:
    domain: str
    identity: str
    shared_secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Header:
    """``sender`` is the first Sender credential, ``sender_credentials`` all of
    them (just ``sender`` when not given)."""

    from_credentials: tuple[Credential, ...]
    to_credentials: tuple[Credential, ...]
    sender: Credential
    user_agent: str
    sender_credentials: tuple[Credential, ...] = ()

    def __post_init__(self):
        if not self.sender_credentials:
            # the documented way to set a field of a frozen dataclass
            object.__setattr__(self, "sender_credentials", (self.sender,))


@dataclass(frozen=True)
class Status:
    code: int
    text: str
    body: str = ""

    @property
    def success(self):
        """A 2xx code: the request was done or accepted (doc §2.5)."""
        return 200 <= self.code < 300


@dataclass(frozen=True)
class Comment:
    """One ``<Comments>`` element: its text, ``type`` and ``xml:lang``."""

    text: str
    type: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Address:
    name: str
    address_id: str | None = None
    deliver_to: tuple[str, ...] = ()
    street: tuple[str, ...] = ()
    city: str = ""
    state: str | None = None
    postal_code: str | None = None
    country_code: str = ""
    country_name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class TaxDetail:
    category: str
    percentage_rate: Decimal | None = None
    purpose: str | None = None
    taxable_amount: Money | None = None
    tax_amount: Money | None = None
    description: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class PriceBasis:
    """A PriceBasisQuantity: the UnitPrice is for ``quantity`` units of
    ``unit_of_measure``; ``conversion_factor`` converts one unit of the line's
    UnitOfMeasure into that unit (see ``parse.common.price_per_unit``)."""

    quantity: Decimal
    conversion_factor: Decimal | None = None
    unit_of_measure: str | None = None
    description: str | None = None


def _lookup(pairs, name):
    for key, value in pairs:
        if key == name:
            return value
    lowered = name.lower()
    for key, value in pairs:
        if key.lower() == lowered:
            return value
    return None


# === PUNCHOUT SETUP === #


@dataclass(frozen=True)
class PunchOutSetupRequest:
    header: Header
    buyer_cookie: str
    browser_form_post_url: str
    user_email: str
    user_name: str
    deployment_mode: str = "production"
    extrinsics: tuple[tuple[str, str], ...] = ()
    ship_to: Address | None = None
    operation: str = "create"
    payload_id: str | None = None
    timestamp: datetime | None = None
    user_lang: str = "en-US"


@dataclass(frozen=True)
class PunchOutSetupResponse:
    status: Status
    start_page_url: str | None


# === CART === #


@dataclass(frozen=True)
class ItemIn:
    line_number: int | None
    quantity: Decimal
    supplier_part_id: str
    supplier_part_auxiliary_id: str | None
    unit_price: Money
    description: str
    short_name: str | None = None
    unit_of_measure: str | None = None
    classifications: tuple[tuple[str, str], ...] = ()
    manufacturer_part_id: str | None = None
    manufacturer_name: str | None = None
    url: str | None = None
    extrinsics: tuple[tuple[str, str], ...] = ()
    shipping: Money | None = None
    tax: Money | None = None
    tax_details: tuple[TaxDetail, ...] = ()
    price_basis_quantity: Decimal | None = None
    unit_price_per_basis: Money | None = None
    buyer_part_id: str | None = None
    description_lang: str | None = None
    price_basis: PriceBasis | None = None
    shipping_description: str | None = None
    tax_description: str | None = None

    @property
    def unspsc(self):
        for domain, value in self.classifications:
            if domain.strip().upper() == "UNSPSC":
                return value
        return None

    def extrinsic(self, name):
        """Value of the first extrinsic called ``name`` (exact, then any case)."""
        return _lookup(self.extrinsics, name)


@dataclass(frozen=True)
class PunchOutOrderMessage:
    buyer_cookie: str
    operation_allowed: str
    total: Money | None
    shipping: Money | None = None
    tax: Money | None = None
    items: tuple[ItemIn, ...] = ()
    tax_details: tuple[TaxDetail, ...] = ()
    quote_status: str | None = None
    shipping_description: str | None = None
    tax_description: str | None = None

    @property
    def currency(self):
        if self.total is not None:
            return self.total.currency
        for item in self.items:
            return item.unit_price.currency
        return None


# === ORDER === #


@dataclass(frozen=True)
class ItemOut:
    line_number: int
    quantity: Decimal
    supplier_part_id: str
    supplier_part_auxiliary_id: str | None
    unit_price: Money
    description: str
    unit_of_measure: str
    classifications: tuple[tuple[str, str], ...] = ()
    manufacturer_part_id: str | None = None
    manufacturer_name: str | None = None
    requested_delivery_date: date | None = None
    extrinsics: tuple[tuple[str, str], ...] = ()
    description_lang: str = "en-US"


@dataclass(frozen=True)
class OrderRequest:
    header: Header
    order_id: str
    order_date: datetime
    items: tuple[ItemOut, ...]
    ship_to: Address
    bill_to: Address
    deployment_mode: str = "production"
    order_type: str = "new"
    total: Money | None = None
    shipping: Money | None = None
    tax: Money | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    comments: str | None = None
    extrinsics: tuple[tuple[str, str], ...] = ()
    payload_id: str | None = None
    timestamp: datetime | None = None
    lang: str = "en-US"


# === INBOUND: CONFIRMATION === #


@dataclass(frozen=True)
class ConfirmationStatus:
    type: str
    quantity: Decimal | None
    unit_of_measure: str | None
    unit_price: Money | None = None
    shipment_date: datetime | None = None
    delivery_date: datetime | None = None
    comments: tuple[str, ...] = ()
    tax: Money | None = None
    shipping: Money | None = None
    extrinsics: tuple[tuple[str, str], ...] = ()
    comment_types: tuple[tuple[str, str], ...] = ()
    comment_details: tuple[Comment, ...] = ()
    #: Amazon order number of this part of the line (Comments type="confirmID")
    confirm_id: str | None = None
    #: why the line is not (fully) accepted and Amazon's error code, from Comments
    reason: str | None = None
    error_code: str | None = None
    supplier_part_id: str | None = None
    supplier_part_auxiliary_id: str | None = None
    shipping_description: str | None = None
    tax_description: str | None = None

    def extrinsic(self, name):
        return _lookup(self.extrinsics, name)


@dataclass(frozen=True)
class ConfirmationItem:
    line_number: int | None
    quantity: Decimal | None
    unit_of_measure: str | None
    statuses: tuple[ConfirmationStatus, ...] = ()


@dataclass(frozen=True)
class ConfirmationRequest:
    confirm_id: str | None
    type: str
    operation: str
    notice_date: datetime | None
    order_id: str | None
    order_date: datetime | None
    order_payload_id: str | None
    total: Money | None = None
    shipping: Money | None = None
    tax: Money | None = None
    comments: tuple[str, ...] = ()
    items: tuple[ConfirmationItem, ...] = ()
    invoice_id: str | None = None
    extrinsics: tuple[tuple[str, str], ...] = ()
    comment_details: tuple[Comment, ...] = ()
    #: why the order is not (fully) accepted and Amazon's error code, from Comments
    reason: str | None = None
    error_code: str | None = None
    shipping_description: str | None = None
    tax_description: str | None = None

    def extrinsic(self, name):
        return _lookup(self.extrinsics, name)


# === INBOUND: SHIP NOTICE === #


@dataclass(frozen=True)
class ShipControl:
    carrier: str
    tracking_number: str
    tracking_url: str | None = None
    carrier_domain: str | None = None
    carriers: tuple[tuple[str, str], ...] = ()
    tracking_numbers: tuple[str, ...] = ()
    tracking_number_date: datetime | None = None
    package_range: tuple[str, str] | None = None
    #: (domain, value) of every ShipmentIdentifier (domain may be empty)
    shipment_identifiers: tuple[tuple[str, str], ...] = ()
    #: where it was found: "request" (DTD place), "header" or "portion"
    placement: str = "request"

    def carrier_identifier(self, domain):
        """Value of the CarrierIdentifier of ``domain`` (any case), or None."""
        return _lookup(self.carriers, domain)


@dataclass(frozen=True)
class ShipNoticeItem:
    line_number: int | None
    quantity: Decimal | None
    unit_of_measure: str | None
    supplier_part_id: str | None = None
    supplier_part_auxiliary_id: str | None = None


@dataclass(frozen=True)
class ShipNoticePortion:
    order_id: str | None
    order_payload_id: str | None
    items: tuple[ShipNoticeItem, ...] = ()
    order_date: datetime | None = None
    ship_controls: tuple[ShipControl, ...] = ()
    comments: tuple[str, ...] = ()
    comment_details: tuple[Comment, ...] = ()


@dataclass(frozen=True)
class ShipNoticeRequest:
    shipment_id: str | None
    operation: str
    notice_date: datetime | None
    shipment_date: datetime | None = None
    delivery_date: datetime | None = None
    shipment_type: str | None = None
    fulfillment_type: str | None = None
    carriers: tuple[ShipControl, ...] = ()
    portions: tuple[ShipNoticePortion, ...] = ()
    comments: tuple[str, ...] = ()
    comment_details: tuple[Comment, ...] = ()

    @property
    def tracking(self):
        return self.carriers


# === INBOUND: INVOICE === #


@dataclass(frozen=True)
class InvoiceDiscount:
    """InvoiceDetailDiscount: an amount, with the rate it was computed from."""

    amount: Money | None
    percentage_rate: Decimal | None = None


@dataclass(frozen=True)
class PaymentTerm:
    """PaymentTerm or InvoiceDetailPaymentTerm: pay within ``pay_in_number_of_days``
    days; ``percentage_rate`` is a discount (negative: a penalty)."""

    pay_in_number_of_days: int | None
    percentage_rate: Decimal | None = None
    discount_amount: Money | None = None


@dataclass(frozen=True)
class InvoiceDetailItem:
    invoice_line_number: int | None
    line_number: int | None
    quantity: Decimal | None
    unit_of_measure: str | None
    unit_price: Money | None
    supplier_part_id: str | None = None
    supplier_part_auxiliary_id: str | None = None
    description: str | None = None
    subtotal_amount: Money | None = None
    tax: Money | None = None
    tax_details: tuple[TaxDetail, ...] = ()
    shipping: Money | None = None
    net_amount: Money | None = None
    gross_amount: Money | None = None
    tax_description: str | None = None
    special_handling: Money | None = None
    discount: InvoiceDiscount | None = None
    price_basis: PriceBasis | None = None
    unit_price_per_basis: Money | None = None
    comments: tuple[str, ...] = ()
    comment_details: tuple[Comment, ...] = ()
    extrinsics: tuple[tuple[str, str], ...] = ()
    #: "return" on a credit memo line for returned goods
    reason: str | None = None


@dataclass(frozen=True)
class InvoiceDetailOrderSummary:
    """The amounts of an order invoiced without item lines (header invoices,
    summary-only credit memos)."""

    invoice_line_number: int | None
    subtotal_amount: Money | None
    tax: Money | None = None
    tax_details: tuple[TaxDetail, ...] = ()
    tax_description: str | None = None
    special_handling: Money | None = None
    shipping: Money | None = None
    gross_amount: Money | None = None
    discount: InvoiceDiscount | None = None
    net_amount: Money | None = None
    comments: tuple[str, ...] = ()
    comment_details: tuple[Comment, ...] = ()


@dataclass(frozen=True)
class InvoiceDetailOrder:
    order_id: str | None
    order_date: datetime | None
    order_payload_id: str | None
    supplier_order_id: str | None
    items: tuple[InvoiceDetailItem, ...] = ()
    #: set for an InvoiceDetailHeaderOrder (no items)
    summary: InvoiceDetailOrderSummary | None = None


@dataclass(frozen=True)
class InvoiceDetailRequest:
    invoice_id: str | None
    invoice_date: datetime | None
    purpose: str
    operation: str
    is_information_only: bool = False
    is_tax_in_line: bool = False
    is_shipping_in_line: bool = False
    orders: tuple[InvoiceDetailOrder, ...] = ()
    subtotal_amount: Money | None = None
    tax: Money | None = None
    tax_details: tuple[TaxDetail, ...] = ()
    shipping_amount: Money | None = None
    special_handling_amount: Money | None = None
    gross_amount: Money | None = None
    net_amount: Money | None = None
    due_amount: Money | None = None
    invoice_date_raw: str | None = None
    comments: tuple[str, ...] = ()
    extrinsics: tuple[tuple[str, str], ...] = ()
    is_header_invoice: bool = False
    is_special_handling_in_line: bool = False
    is_discount_in_line: bool = False
    #: the invoice a credit memo corrects: InvoiceIDInfo and DocumentReference
    original_invoice_id: str | None = None
    original_invoice_date: datetime | None = None
    original_invoice_payload_id: str | None = None
    payment_terms: tuple[PaymentTerm, ...] = ()
    tax_description: str | None = None
    special_handling_description: str | None = None
    discount: InvoiceDiscount | None = None
    deposit_amount: Money | None = None
    comment_details: tuple[Comment, ...] = ()


# === RESPONSE AND ENVELOPE === #


@dataclass(frozen=True)
class Response:
    status: Status
    body_type: str | None = None


@dataclass(frozen=True)
class CXMLDocument:
    doc_type: str
    payload_id: str | None
    timestamp: datetime | None
    timestamp_raw: str | None
    version: str | None
    deployment_mode: str | None
    header: Header | None
    status: Status | None
    body: object | None
    warnings: tuple[str, ...] = ()
    lang: str | None = None
    doctype_system_url: str | None = None
    #: "Request", "Message" or "Response"
    envelope: str | None = None
