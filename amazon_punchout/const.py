# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo-side constants: marketplaces, UoM mapping, limits."""

# Amazon Business marketplaces: currency and the language of descriptions. URLs are
# configured per account (Amazon shows them in its settings), never hard-coded.
MARKETPLACES = {
    "US": {"name": "United States (amazon.com)", "currency": "USD", "lang": "en-US"},
    "CA": {"name": "Canada (amazon.ca)", "currency": "CAD", "lang": "en-CA"},
    "GB": {"name": "United Kingdom (amazon.co.uk)", "currency": "GBP", "lang": "en-GB"},
    "DE": {"name": "Germany (amazon.de)", "currency": "EUR", "lang": "de-DE"},
    "FR": {"name": "France (amazon.fr)", "currency": "EUR", "lang": "fr-FR"},
    "IT": {"name": "Italy (amazon.it)", "currency": "EUR", "lang": "it-IT"},
    "ES": {"name": "Spain (amazon.es)", "currency": "EUR", "lang": "es-ES"},
    "JP": {"name": "Japan (amazon.co.jp)", "currency": "JPY", "lang": "ja-JP"},
    "IN": {"name": "India (amazon.in)", "currency": "INR", "lang": "en-IN"},
}

# UN/CEFACT Rec. 20 codes Amazon and other suppliers send, beyond Odoo's own table
# (account/models/uom_uom.py, which has no EA). Values are uom.uom xmlids.
UNECE_UOM_ALIASES = {
    "EA": "uom.product_uom_unit",
    "C62": "uom.product_uom_unit",
    "PCE": "uom.product_uom_unit",
    "PC": "uom.product_uom_unit",
    "H87": "uom.product_uom_unit",
    "DZN": "uom.product_uom_dozen",
    "DZ": "uom.product_uom_dozen",
}

# Amazon holds the prices and stock of a checkout-based cart for up to 7 days.
PRICE_HOLD_DAYS = 7
# A cart larger than this is refused before parsing (bytes).
DEFAULT_CART_MAX_SIZE = 4 * 1024 * 1024
# Amazon's synchronous answers are short: larger ones are not read (bytes).
ANSWER_MAX_SIZE = 1024 * 1024
# The cart return route refuses a larger body before reading it (bytes): room for a
# 4 MiB cart base64- or url-encoded in a form.
CART_POST_MAX_SIZE = 2 * DEFAULT_CART_MAX_SIZE
# Refused carts of one session kept for an administrator; more are not stored.
REFUSED_CARTS_PER_SESSION = 3
# Seconds the "Shop on Amazon Business" button's link stays valid.
START_LINK_LIFETIME = 300
# Seconds to wait for Amazon's answer to a synchronous cXML request.
HTTP_TIMEOUT = 30
# Outbound OrderRequests: batch per cron run, seconds to wait for Amazon, attempts
# before giving up, first retry delay (doubled each time), and after how long a
# document still "sending" is considered abandoned by a dead worker.
ORDER_SEND_BATCH = 50
ORDER_SEND_TIMEOUT = 30
ORDER_MAX_ATTEMPTS = 5
ORDER_RETRY_DELAY = 60
ORDER_SENDING_STUCK_MINUTES = 10
# Sending lanes: one cron job each (data/ir_cron_data.xml), a document is given one
# at random when it is queued. Odoo runs one instance of a job at a time, so
# lanes let the cron workers of several servers send at once, and an answer Amazon
# is slow to give holds back only its own lane.
ORDER_SEND_LANES = 2
SEND_CRONS = (
    "amazon_punchout.ir_cron_send_documents",
    "amazon_punchout.ir_cron_send_documents_lane_2",
)
# Seconds between two looks at an order whose account is not connected.
ORDER_WAIT_DISCONNECTED = 900

# Inbound cXML (confirmations, ship notices, invoices posted by Amazon): bodies larger
# than this are refused with HTTP 413 before they are read (bytes).
INBOUND_MAX_SIZE = 4 * 1024 * 1024
# Documents the cron processes per run, and how long a received document may wait for
# the request that stored it to process it before the cron takes over (minutes).
INBOUND_PROCESS_BATCH = 50
# Attempts of the request that stored a document to process it when concurrent
# posts update the same rows (serialization failures, locks), before the cron.
INBOUND_PROCESS_ATTEMPTS = 4
INBOUND_STALE_MINUTES = 2
# Amazon ends the reason of a refused line or order with "[Error code: <code>]"
# (docs/amazon-cxml.md §6.2).
ERROR_CODE_PATTERN = r"\[\s*Error\s+code\s*:\s*([^\]]+?)\s*\]"
# Carrier tracking pages. Amazon's ship notices name the carrier in CarrierIdentifier
# (often empty, docs/amazon-cxml.md §6.3); Amazon Logistics numbers start with TBA.
# Keys: lower-case words matched in the carrier name. Links: the carriers' public
# tracking pages (ups.com/track, fedex.com/fedextrack, tools.usps.com,
# dhl.com/…/tracking, track.amazon.com).
CARRIER_TRACKING_URLS = {
    "ups": "https://www.ups.com/track?tracknum={ref}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={ref}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={ref}",
    "dhl": "https://www.dhl.com/global-en/home/tracking.html?tracking-id={ref}",
    "amazon": "https://track.amazon.com/tracking/{ref}",
}
CARRIER_ALIASES = {
    "united parcel service": "ups",
    "federal express": "fedex",
    "u.s. postal service": "usps",
    "united states postal service": "usps",
    "amzl": "amazon",
    "amazon logistics": "amazon",
    "amazon shipping": "amazon",
}
AMAZON_LOGISTICS_PREFIX = "TBA"
