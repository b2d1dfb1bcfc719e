# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import cxml
from ..const import REFUSED_CARTS_PER_SESSION, UNECE_UOM_ALIASES

_logger = logging.getLogger(__name__)


class AmazonPunchoutSession(models.Model):
    """One shopping trip: from the setup request to the requisition."""

    _name = "amazon.punchout.session"
    _description = "Amazon Business PunchOut Session"
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    account_id = fields.Many2one(
        "amazon.punchout.account", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, readonly=True
    )
    user_id = fields.Many2one(
        "res.users", string="Shopper", required=True, readonly=True, index=True
    )
    state = fields.Selection(
        [
            ("started", "Shopping"),
            ("returned", "Cart received"),
            ("done", "Requisition created"),
            ("error", "Error"),
            ("expired", "Expired"),
        ],
        default="started",
        required=True,
        readonly=True,
        index=True,
    )
    deployment_mode = fields.Selection(
        [("test", "Test"), ("production", "Production")], required=True, readonly=True
    )
    buyer_cookie = fields.Char(
        required=True, readonly=True, copy=False, groups="base.group_system"
    )
    return_token = fields.Char(
        required=True, readonly=True, copy=False, groups="base.group_system"
    )
    expires_at = fields.Datetime(required=True, readonly=True)
    cart_document_id = fields.Many2one("amazon.punchout.document", readonly=True)
    order_id = fields.Many2one(
        "purchase.order", string="Requisition", readonly=True, index="btree_not_null"
    )
    error = fields.Text(readonly=True)

    _buyer_cookie_unique = models.Constraint(
        "unique(buyer_cookie)", "A BuyerCookie is used by one session only."
    )
    _return_token_unique = models.Constraint(
        "unique(return_token)", "A return URL is used by one session only."
    )

    def _compute_name(self):
        for session in self:
            session.name = self.env._("Amazon session %(id)s", id=session.id)

    # === BUSINESS METHODS: START === #

    @api.model
    def _amazon_punchout_start(self, account, user):
        """Ask Amazon for a start page; the session exists only once Amazon said yes.

        :return: the session and Amazon's one-time start page URL
        :raise UserError: with a message for the shopper
        """
        buyer_cookie = secrets.token_urlsafe(32)
        return_token = secrets.token_urlsafe(32)
        return_url = f"{account.get_base_url()}/amazon_punchout/return/{return_token}"
        if account.return_url_warning:
            _logger.warning(
                "Amazon account %s: %s", account.id, account.return_url_warning
            )
        start_page = account._amazon_punchout_request_start_page(
            user, buyer_cookie=buyer_cookie, return_url=return_url
        )
        session = self.sudo().create(
            {
                "account_id": account.id,
                "user_id": user.id,
                "deployment_mode": account._amazon_punchout_deployment_mode(),
                "buyer_cookie": buyer_cookie,
                "return_token": return_token,
                "expires_at": fields.Datetime.now()
                + timedelta(minutes=account.session_lifetime or 120),
            }
        )
        return session, start_page

    # === BUSINESS METHODS: RETURN === #

    @api.model
    def _amazon_punchout_receive_cart(self, return_token, data):
        """Store a returned cart and tie it to its session, replay-safe.

        Runs without an Odoo session: everything is found from the return token and
        checked against the BuyerCookie echoed in the cart.

        :param str return_token: the token of the BrowserFormPost URL
        :param bytes data: the decoded cXML cart
        :return: the stored cart document (already stored for a replay); in state
            ``input_error`` when its session refuses it (kept for an administrator,
            or a record not stored once the session's quota of kept carts is used);
            empty for an unknown return token (nothing is stored)
        :raise cxml.CXMLError: an unreadable cart (nothing is stored)
        """
        Document = self.env["amazon.punchout.document"].sudo()
        session = self.sudo().search([("return_token", "=", return_token)], limit=1)
        if not session:
            # Nothing is stored for strangers: anyone can post to a made-up address.
            _logger.info("Amazon cart posted to an unknown return address refused")
            return Document
        max_size = session.account_id.cart_max_size or None
        parsed = cxml.parse_cart(data, **({"max_size": max_size} if max_size else {}))
        cart = parsed.body
        # Serialise concurrent posts of one cart: the second waits, then replays.
        self.env.cr.execute(
            "SELECT id FROM amazon_punchout_session WHERE id = %s FOR UPDATE",
            [session.id],
        )
        session.invalidate_recordset()
        # Without a payloadID, the same bytes are the same cart (replays dedupe).
        payload_id = (
            parsed.payload_id
            or f"no-payload-id-{hashlib.sha256(data).hexdigest()[:32]}"
        )
        # A replay (same payloadID, same return address) is answered with the cart
        # stored the first time, accepted or kept for an administrator alike.
        for existing in Document.search(
            [
                ("doc_type", "=", "PunchOutOrderMessage"),
                ("direction", "=", "inbound"),
                ("payload_id", "=", payload_id),
            ]
        ):
            if existing.session_id == session or (
                not existing.session_id and existing.return_token == return_token
            ):
                return existing
        problem = self._amazon_punchout_check_cart_session(session, cart)
        if problem:
            if (
                session.state == "started"
                and session.expires_at < fields.Datetime.now()
            ):
                session.state = "expired"
            kept = Document.search_count(
                [
                    ("doc_type", "=", "PunchOutOrderMessage"),
                    ("return_token", "=", return_token),
                ]
            )
            if kept >= REFUSED_CARTS_PER_SESSION:
                # Bounded: whoever holds the return address cannot fill the database.
                _logger.info(
                    "Amazon cart %s refused and not kept (%s already kept for "
                    "session %s): %s",
                    payload_id,
                    kept,
                    session.id,
                    problem,
                )
                return Document.new({"state": "input_error", "error": problem})
        document = Document.create(
            {
                "direction": "inbound",
                "doc_type": "PunchOutOrderMessage",
                "payload_id": payload_id,
                "state": "input_error" if problem else "input_received",
                "account_id": False if problem else session.account_id.id,
                # Refused carts: the session's company, administrators only (rule
                # amazon_punchout_document_rule_refused_cart).
                "company_id": session.company_id.id,
                "session_id": False if problem else session.id,
                "user_id": session.user_id.id,
                "error": problem or False,
                "warnings": "\n".join(parsed.warnings) or False,
                "return_token": return_token if problem else False,
            }
        )
        document._amazon_punchout_attach(data)
        if problem:
            # Kept, not lost: an administrator finds it among the documents to check.
            _logger.info(
                "Amazon cart %s kept for an administrator: %s", payload_id, problem
            )
            return document
        document._amazon_punchout_new_access_token()
        session.write({"state": "returned", "cart_document_id": document.id})
        return document

    def _amazon_punchout_check_cart_session(self, session, cart):
        """Return why no open session accepts this cart, or an empty string."""
        if not session:
            return self.env._("This cart was sent to an unknown return address.")
        if not hmac.compare_digest(
            (cart.buyer_cookie or "").strip().encode(), session.buyer_cookie.encode()
        ):
            return self.env._("The cart's BuyerCookie does not belong to this session.")
        if session.state != "started":
            return self.env._(
                "This shopping session already returned a different cart."
            )
        if session.expires_at < fields.Datetime.now():
            return self.env._(
                "This shopping session expired at %(date)s.",
                date=fields.Datetime.to_string(session.expires_at),
            )
        return ""

    # === BUSINESS METHODS: REQUISITION === #

    def _amazon_punchout_create_requisition(self):
        """Turn the returned cart into a draft RFQ owned by the shopper (idempotent)."""
        self.ensure_one()
        session = self.sudo()
        self.env.cr.execute(
            "SELECT id FROM amazon_punchout_session WHERE id = %s FOR UPDATE",
            [session.id],
        )
        session.invalidate_recordset()
        if session.order_id:
            return session.order_id
        document = session.cart_document_id
        account = session.account_id.with_company(session.company_id)
        try:
            try:
                cart = cxml.parse_cart(document._amazon_punchout_raw()).body
            except cxml.CXMLError as error:
                raise UserError(
                    self.env._(
                        "The stored cart could not be read (%(error)s): no "
                        "requisition was created. Please start a new Amazon Business "
                        "session from Odoo.",
                        error=error.text,
                    )
                ) from None
            # Nothing half-created: a failure drops the order and its products.
            with self.env.cr.savepoint():
                order = session._amazon_punchout_create_order(account, cart)
        except UserError as error:
            document.write({"state": "input_error", "error": str(error)})
            session.write({"state": "error", "error": str(error)})
            raise
        document.write({"state": "input_processed", "order_id": order.id})
        session.write({"state": "done", "order_id": order.id})
        return order

    def _amazon_punchout_create_order(self, account, cart):
        self.ensure_one()
        if not cart.items:
            raise UserError(self.env._("The cart returned by Amazon is empty."))
        currency_code = cart.currency
        if currency_code != account.currency_id.name:
            raise UserError(
                self.env._(
                    "The cart is in %(cart)s but the account %(account)s buys in "
                    "%(currency)s: it was not turned into a requisition.",
                    cart=currency_code,
                    account=account.name,
                    currency=account.currency_id.name,
                )
            )
        now = fields.Datetime.now()
        order_vals = {
            "partner_id": account.partner_id.id,
            "company_id": account.company_id.id,
            "currency_id": account.currency_id.id,
            "user_id": self.user_id.id,
            "origin": self.env._("Amazon Business cart %(id)s", id=self.id),
            "amazon_punchout_session_id": self.id,
            "amazon_punchout_account_id": account.id,
            "amazon_punchout_price_hold_until": now
            + timedelta(days=account.price_hold_days),
            "amazon_punchout_estimated_tax": float(cart.tax.amount)
            if cart.tax
            else 0.0,
            "amazon_punchout_estimated_shipping": (
                float(cart.shipping.amount) if cart.shipping else 0.0
            ),
        }
        order = (
            self.env["purchase.order"]
            .sudo()
            .with_company(account.company_id)
            .with_context(mail_create_nosubscribe=True)
            .create(order_vals)
        )
        order.message_subscribe(partner_ids=self.user_id.partner_id.ids)
        lines, warnings = [], []
        products, uoms = self._amazon_punchout_products(account, cart.items)
        for number, item in enumerate(cart.items, start=1):
            asin = item.supplier_part_id
            vals, warning = self._amazon_punchout_prepare_line(
                account, order, item, number, products[asin], uoms[asin]
            )
            lines.append(vals)
            if warning:
                warnings.append(warning)
        shipping = (
            cart.shipping.amount
            if cart.shipping
            else sum(
                (item.shipping.amount for item in cart.items if item.shipping), start=0
            )
        )
        if shipping:
            lines.append(
                self._amazon_punchout_prepare_shipping_line(account, order, shipping)
            )
        order.write({"order_line": [fields.Command.create(vals) for vals in lines]})
        if warnings:
            order.amazon_punchout_warnings = "\n".join(warnings)
        return order

    def _amazon_punchout_uom(self, code):
        """Map a UN/CEFACT code to a UoM; unknown codes become Units with a warning."""
        code = (code or "").strip().upper()
        units = self.env.ref("uom.product_uom_unit")
        xmlid = UNECE_UOM_ALIASES.get(code)
        if xmlid:
            return self.env.ref(xmlid, raise_if_not_found=False) or units, ""
        if code:
            # Odoo's own table, which falls back to Units for codes it does not know.
            uom = self.env["uom.uom"]._get_uom_from_unece_code(code)
            if uom and uom != units:
                return uom, ""
            return units, self.env._(
                "unknown unit of measure %(code)s, Units used", code=code
            )
        return units, self.env._("no unit of measure sent, Units used")

    def _amazon_punchout_products(self, account, items):
        """The product of each ASIN: found by the vendor's pricelist, else created.

        Batched (one search, one create) so a 100-line cart stays fast.

        :return: ({ASIN: product}, {ASIN: (uom, warning)})
        """
        uoms = {
            item.supplier_part_id: self._amazon_punchout_uom(item.unit_of_measure)
            for item in items
        }
        sellers = (
            self.env["product.supplierinfo"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", account.partner_id.id),
                    ("product_code", "in", list(uoms)),
                    ("company_id", "in", [account.company_id.id, False]),
                ],
                order="sequence, id",
            )
        )
        products = {}
        for seller in sellers:
            product = seller.product_id or seller.product_tmpl_id.product_variant_id
            products.setdefault(seller.product_code, (seller, product))
        # The cart passed through the shopper's browser: its prices go on the order
        # lines only, never into vendor prices other shoppers and companies use.
        missing = {}
        for item in items:
            if item.supplier_part_id not in products:
                missing.setdefault(item.supplier_part_id, item)
        created = (
            self.env["product.product"]
            .sudo()
            .with_company(account.company_id)
            .create(
                [
                    self._amazon_punchout_prepare_product(account, item, uoms[asin][0])
                    for asin, item in missing.items()
                ]
            )
        )
        result = {asin: product for asin, (_seller, product) in products.items()}
        result.update(zip(missing, created, strict=True))
        return result, uoms

    def _amazon_punchout_prepare_product(self, account, item, uom):
        name = item.short_name or item.description or item.supplier_part_id
        return {
            "name": name,
            "company_id": account.company_id.id,
            "type": "consu",
            "purchase_ok": True,
            "sale_ok": False,
            "uom_id": uom.id,
            "description_purchase": item.description,
            "seller_ids": [
                fields.Command.create(
                    {
                        "partner_id": account.partner_id.id,
                        "product_code": item.supplier_part_id,
                        "product_name": name,
                        "price": float(item.unit_price.amount),
                        "currency_id": account.currency_id.id,
                        "company_id": account.company_id.id,
                    }
                )
            ],
        }

    def _amazon_punchout_prepare_line(self, account, order, item, number, product, uom):
        """Values of one requisition line; ``uom`` is (uom.uom, warning or "")."""
        uom, warning = uom
        if uom not in product.uom_id | product.uom_ids:
            uom = product.uom_id
        taxes = product.supplier_taxes_id._filter_taxes_by_company(account.company_id)
        fpos = order.fiscal_position_id
        if warning:
            warning = self.env._(
                "Line %(n)s (%(asin)s): %(warning)s.",
                n=number,
                asin=item.supplier_part_id,
                warning=warning,
            )
        return (
            {
                "sequence": number * 10,
                "product_id": product.id,
                "name": item.description or product.display_name,
                "product_qty": float(item.quantity),
                "product_uom_id": uom.id,
                "price_unit": float(item.unit_price.amount),
                "tax_ids": [fields.Command.set(fpos.map_tax(taxes).ids)],
                "date_planned": fields.Datetime.now(),
                "amazon_punchout_line_number": number,
                "amazon_punchout_asin": item.supplier_part_id,
                "amazon_punchout_aux_id": item.supplier_part_auxiliary_id,
                "amazon_punchout_uom_code": item.unit_of_measure or "EA",
                "amazon_punchout_unspsc": item.unspsc,
                "amazon_punchout_manufacturer_part": item.manufacturer_part_id,
                "amazon_punchout_manufacturer_name": item.manufacturer_name,
                "amazon_punchout_sold_by": item.extrinsic("soldBy"),
                "amazon_punchout_fulfilled_by": item.extrinsic("fulfilledBy"),
                "amazon_punchout_warning": warning or False,
            },
            warning,
        )

    def _amazon_punchout_prepare_shipping_line(self, account, order, amount):
        product = self._amazon_punchout_shipping_product(account)
        return {
            "sequence": 100000,
            "product_id": product.id,
            "name": self.env._("Estimated shipping (Amazon Business cart)"),
            "product_qty": 1.0,
            "product_uom_id": product.uom_id.id,
            "price_unit": float(amount),
            "tax_ids": [fields.Command.clear()],
            "date_planned": fields.Datetime.now(),
            "amazon_punchout_is_estimate": True,
        }

    def _amazon_punchout_shipping_product(self, account):
        Product = self.env["product.product"].sudo().with_company(account.company_id)
        product = Product.search(
            [
                ("default_code", "=", "AMAZON-SHIPPING"),
                ("company_id", "in", [account.company_id.id, False]),
            ],
            limit=1,
        )
        return product or Product.create(
            {
                "name": self.env._("Amazon Business shipping"),
                "default_code": "AMAZON-SHIPPING",
                "type": "service",
                "purchase_ok": True,
                "sale_ok": False,
                "company_id": account.company_id.id,
            }
        )

    # === CRON === #

    @api.model
    def _cron_expire_sessions(self):
        expired = self.sudo().search(
            [("state", "=", "started"), ("expires_at", "<", fields.Datetime.now())]
        )
        expired.state = "expired"
