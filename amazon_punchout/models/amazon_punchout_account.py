# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import re
import secrets
from typing import NamedTuple
from urllib.parse import urlsplit

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import cxml
from ..const import (
    ANSWER_MAX_SIZE,
    DEFAULT_CART_MAX_SIZE,
    HTTP_TIMEOUT,
    MARKETPLACES,
    PRICE_HOLD_DAYS,
    UNECE_UOM_ALIASES,
)

_logger = logging.getLogger(__name__)

USER_AGENT = "Odoo amazon_punchout 19.0"
PAYLOAD_ID_RE = re.compile(rb'payloadID="([^"]{1,200})"')
URL_FIELDS = ("punchout_url_test", "punchout_url_production", "order_url")


class CxmlAnswer(NamedTuple):
    """Amazon's answer to a posted cXML document (``_amazon_punchout_send_cxml``)."""

    code: int
    text: str
    retryable: bool
    document: object  # cxml.CXMLDocument or None


# Credentials: visible ASCII, no space and nothing XML treats specially, so that no
# document can fail to build (and quote the secret in its error).
CREDENTIAL_FIELDS = ("identity", "shared_secret", "inbound_password")
CREDENTIAL_RE = re.compile(r"[!-~]{1,256}")
CREDENTIAL_FORBIDDEN = frozenset("<>&")


class AmazonPunchoutAccount(models.Model):
    _name = "amazon.punchout.account"
    _description = "Amazon Business Account"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, default="Amazon Business", tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("draft", "Not connected"), ("test", "Test"), ("production", "Production")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        help="Test: Amazon acknowledges orders but never ships or charges them. "
        "Production: real orders and charges.",
    )
    production_since = fields.Datetime(
        readonly=True,
        copy=False,
        help="Set once, when the account first goes to production: like the Amazon "
        "account, it never returns to test (it can be disconnected and reconnected).",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        required=True,
        check_company=True,
        help="The Amazon Business vendor of the requisitions and purchase orders.",
    )
    marketplace = fields.Selection(
        [(code, values["name"]) for code, values in MARKETPLACES.items()],
        required=True,
        default="US",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="Currency of the marketplace; carts in another currency are refused.",
    )
    # cXML credentials: From and Sender carry the identity Amazon generated for the
    # purchasing-system group; the shared secret travels only under Sender.
    identity = fields.Char(
        groups="base.group_system",
        help="Identity Amazon generated for this purchasing system (PunchoutGroup…).",
    )
    shared_secret = fields.Char(groups="base.group_system", copy=False)
    network_domain = fields.Char(default="NetworkId", required=True)
    to_identity = fields.Char(string="Amazon identity", default="Amazon", required=True)
    business_unit = fields.Char(
        string="Amazon group",
        help="Sent as UserBusinessUnit when the Amazon account has several groups.",
    )
    punchout_url_test = fields.Char(
        string="PunchOut URL (test)",
        default="https://abintegrations.amazon.com/punchout/test",
    )
    punchout_url_production = fields.Char(
        string="PunchOut URL (production)",
        default="https://abintegrations.amazon.com/punchout",
    )
    order_url = fields.Char(
        string="Purchase order request URL",
        help="Shown in Amazon Business settings; OrderRequests are posted there.",
    )
    inbound_token = fields.Char(
        copy=False,
        readonly=True,
        groups="base.group_system",
        default=lambda self: secrets.token_urlsafe(24),
    )
    inbound_url = fields.Char(
        string="Order and shipment confirmation URL",
        compute="_compute_inbound_url",
        groups="base.group_system",
        help="Register this URL in Amazon Business for confirmations, ship notices "
        "and invoices.",
    )
    inbound_auth = fields.Selection(
        [("shared_secret", "cXML shared secret"), ("basic", "HTTP Basic")],
        default="shared_secret",
        required=True,
    )
    inbound_user = fields.Char(groups="base.group_system", copy=False)
    inbound_password = fields.Char(groups="base.group_system", copy=False)
    ship_to_id = fields.Many2one(
        "res.partner",
        string="Default ship-to address",
        check_company=True,
        help="Sent with the PunchOut setup request; defaults to the company address.",
    )
    session_lifetime = fields.Integer(
        string="PunchOut session lifetime (minutes)",
        default=120,
        help="A cart returned after this delay is kept for an administrator.",
    )
    cart_max_size = fields.Integer(
        string="Maximum cart size (bytes)", default=DEFAULT_CART_MAX_SIZE
    )
    price_hold_days = fields.Integer(default=PRICE_HOLD_DAYS)
    return_url_warning = fields.Char(compute="_compute_return_url_warning")
    odoo_base_url = fields.Char(
        string="Odoo's address",
        compute="_compute_odoo_base_url",
        help="Where shoppers' browsers bring Amazon carts back (web.base.url): it "
        "must be public HTTPS in production.",
    )
    session_ids = fields.One2many("amazon.punchout.session", "account_id")
    document_ids = fields.One2many("amazon.punchout.document", "account_id")

    _inbound_token_unique = models.Constraint(
        "unique(inbound_token)", "The inbound URL token must be unique."
    )

    # === COMPUTE METHODS === #

    @api.depends("marketplace")
    def _compute_currency_id(self):
        for account in self:
            code = MARKETPLACES.get(account.marketplace, {}).get("currency")
            currency = self.env["res.currency"].with_context(active_test=False)
            account.currency_id = currency.search([("name", "=", code)], limit=1)

    @api.depends("inbound_token")
    def _compute_inbound_url(self):
        for account in self:
            account.inbound_url = (
                f"{account.get_base_url()}/amazon_punchout/cxml/{account.inbound_token}"
            )

    def _compute_odoo_base_url(self):
        for account in self:
            account.odoo_base_url = account.get_base_url()

    @api.depends("state")
    def _compute_return_url_warning(self):
        for account in self:
            base_url = account.get_base_url()
            account.return_url_warning = (
                self.env._(
                    "Odoo's address %(url)s is not HTTPS: Amazon Business only posts "
                    "carts back to a public HTTPS address. Set web.base.url.",
                    url=base_url,
                )
                if account.state == "production" and not base_url.startswith("https://")
                else False
            )

    # === CONSTRAINT METHODS === #

    @api.constrains(*URL_FIELDS, "state")
    def _check_urls(self):
        for account in self:
            for field in URL_FIELDS:
                url = account[field]
                if url and urlsplit(url).scheme not in ("http", "https"):
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be an http(s) URL.",
                            field=account._fields[field].string,
                        )
                    )
            plain = [
                account._fields[field].string
                for field in URL_FIELDS
                if account[field] and urlsplit(account[field]).scheme != "https"
            ]
            if account.state == "production" and plain:
                raise ValidationError(
                    self.env._(
                        "In production, Amazon must be reached over HTTPS: %(fields)s.",
                        fields=", ".join(plain),
                    )
                )

    @api.constrains(*CREDENTIAL_FIELDS)
    def _check_credential_characters(self):
        for account in self.sudo():
            for name in CREDENTIAL_FIELDS:
                value = account[name]
                if value and (
                    not CREDENTIAL_RE.fullmatch(value)
                    or CREDENTIAL_FORBIDDEN.intersection(value)
                ):
                    # Never quote the value: it is a secret.
                    raise ValidationError(
                        self.env._(
                            "%(field)s may hold 1 to 256 visible ASCII characters, "
                            "without spaces and without <, > or &.",
                            field=account._fields[name].string,
                        )
                    )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("production_since" in v for v in vals_list):
            raise UserError(self.env._("The production date is set by Odoo."))
        for vals in vals_list:
            if vals.get("state") == "production":
                vals["production_since"] = fields.Datetime.now()
        return super().create(vals_list)

    def write(self, vals):
        """Production is one-way, as at Amazon: whatever the path to write()."""
        if "production_since" in vals and not self.env.su:
            raise UserError(self.env._("The production date is set by Odoo."))
        if vals.get("state") == "test":
            self._amazon_punchout_check_never_back_to_test()
        res = super().write(vals)
        if vals.get("state") == "production":
            self.filtered(lambda a: not a.production_since).sudo().write(
                {"production_since": fields.Datetime.now()}
            )
        return res

    def _amazon_punchout_check_never_back_to_test(self):
        for account in self.filtered("production_since"):
            raise UserError(
                self.env._(
                    "%(account)s went to production on %(date)s: as at Amazon, a "
                    "production account never returns to test. Disconnect it, or "
                    "create another account for tests.",
                    account=account.name,
                    date=fields.Datetime.to_string(account.production_since),
                )
            )

    # === ACTION METHODS === #

    def action_set_test(self):
        self._amazon_punchout_check_never_back_to_test()
        self._amazon_punchout_check_connection_settings()
        self.state = "test"

    def action_set_production(self):
        """Start real orders and charges: confirmed in the view, administrators only."""
        if not self.env.user.has_group("base.group_system"):
            raise UserError(
                self.env._(
                    "Only administrators (Settings access) can switch to production, "
                    "which makes approved orders real, charged Amazon orders: ask one."
                )
            )
        self._amazon_punchout_check_connection_settings()
        for account in self:
            account.state = "production"
            account.message_post(
                body=self.env._(
                    "Switched to production by %(user)s: orders sent from now on are "
                    "real orders, charged by Amazon.",
                    user=self.env.user.name,
                )
            )

    def action_set_draft(self):
        """Disconnect: nothing is sent; a production account stays one (reconnect)."""
        self.state = "draft"

    def action_test_connection(self):
        """Send a real PunchOutSetupRequest and report Amazon's answer in words."""
        self.ensure_one()
        self._amazon_punchout_check_connection_settings()
        user = self.env.user
        if not user.sudo().amazon_punchout_email:
            kind, message = (
                "danger",
                self.env._(
                    "Amazon Business identifies people by e-mail and you "
                    "(%(user)s) have no Amazon Business e-mail yet: set it on your "
                    "user (Settings > Users, field 'Amazon Business e-mail'), with "
                    "the e-mail of your Amazon Business account, then test again.",
                    user=user.name,
                ),
            )
        else:
            answer = self._amazon_punchout_post_setup_request(
                user,
                buyer_cookie=secrets.token_urlsafe(24),
                return_url=f"{self.get_base_url()}/amazon_punchout/return/test",
            )
            kind, message = self._amazon_punchout_connection_report(answer)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Test connection"),
                "message": message,
                "type": kind,
                "sticky": kind != "success",
            },
        }

    def _amazon_punchout_connection_report(self, answer):
        """("success" | "danger", what it means and what to do) of a test answer."""
        self.ensure_one()
        url = self._amazon_punchout_punchout_url()
        host = urlsplit(url).netloc or url
        code = answer.code
        start_page = getattr(
            answer.document and answer.document.body, "start_page_url", None
        )
        if 200 <= code < 300 and start_page:
            return "success", self.env._(
                "Connected: Amazon Business (%(host)s) accepted Odoo's identity and "
                "shared secret and offered a start page. Next: give shoppers their "
                "Amazon Business e-mail and place a test order.",
                host=host,
            )
        if 200 <= code < 300:
            advice = self.env._(
                "Amazon answered but sent no start page: check that the PunchOut URL "
                "is the one shown in Amazon Business's settings."
            )
        elif code == 0:
            advice = self.env._(
                "Odoo got no answer from %(host)s (%(detail)s). Check the PunchOut "
                "URL against Amazon Business's settings, and that this Odoo server "
                "may reach the internet (proxy, firewall).",
                host=host,
                detail=answer.text,
            )
        elif 300 <= code < 400:
            advice = answer.text
        elif code == 401:
            advice = self.env._(
                "Amazon Business did not recognise Odoo (%(text)s). Copy the identity "
                "and the shared secret again from Amazon Business's settings, "
                "without spaces; the network domain is usually NetworkId and "
                "Amazon's identity Amazon.",
                text=answer.text,
            )
        elif 400 <= code < 500:
            advice = self.env._(
                "Amazon Business refused the request (%(text)s). The credentials "
                "were accepted; most often your Amazon Business e-mail (%(email)s) "
                "is not a user of the Amazon Business group, or the Amazon group "
                "name is wrong. Fix it in Amazon Business or here, then test again.",
                text=answer.text,
                email=self.env.user.sudo().amazon_punchout_email,
            )
        else:
            advice = self.env._(
                "Amazon Business had a problem on its side (%(text)s): nothing to "
                "change in Odoo. Test again in a few minutes; if it lasts, contact "
                "Amazon Business support with the time of this test.",
                text=answer.text,
            )
        return "danger", advice

    # === BUSINESS METHODS === #

    def _amazon_punchout_check_connection_settings(self):
        for account in self.sudo():
            missing = [
                account._fields[field].string
                for field in ("identity", "shared_secret", "order_url")
                if not account[field]
            ]
            if not account._amazon_punchout_punchout_url(mode="test"):
                missing.append(account._fields["punchout_url_test"].string)
            if missing:
                raise UserError(
                    self.env._(
                        "Complete the account %(name)s first: %(fields)s.",
                        name=account.name,
                        fields=", ".join(missing),
                    )
                )

    def _amazon_punchout_deployment_mode(self):
        self.ensure_one()
        # A disconnected production account is still a production account.
        return (
            "production"
            if self.state == "production" or self.production_since
            else "test"
        )

    def _amazon_punchout_punchout_url(self, mode=None):
        self.ensure_one()
        mode = mode or self._amazon_punchout_deployment_mode()
        return (
            self.punchout_url_production
            if mode == "production"
            else self.punchout_url_test
        )

    def _amazon_punchout_header(self, shared_secret=None):
        """The cXML Header; ``shared_secret`` replaces the account's (a placeholder
        for documents stored before they are sent)."""
        self.ensure_one()
        account = self.sudo()
        ours = cxml.Credential(domain=account.network_domain, identity=account.identity)
        return cxml.Header(
            from_credentials=(ours,),
            to_credentials=(
                cxml.Credential(
                    domain=account.network_domain, identity=account.to_identity
                ),
            ),
            sender=cxml.Credential(
                domain=account.network_domain,
                identity=account.identity,
                shared_secret=account.shared_secret
                if shared_secret is None
                else shared_secret,
            ),
            user_agent=USER_AGENT,
        )

    def _amazon_punchout_address(self, partner):
        partner = partner.sudo()
        return cxml.Address(
            name=partner.commercial_company_name or partner.name or "",
            address_id=str(partner.id),
            deliver_to=tuple(n for n in (partner.name,) if n),
            street=tuple(s for s in (partner.street, partner.street2) if s),
            city=partner.city or "",
            state=partner.state_id.code or None,
            postal_code=partner.zip or None,
            country_code=partner.country_id.code or "",
            country_name=partner.country_id.name or None,
            email=partner.email or None,
            phone=partner.phone or None,
        )

    def _amazon_punchout_prepare_setup_request(self, user, buyer_cookie, return_url):
        self.ensure_one()
        # The identity administrators set, never the e-mail users edit themselves.
        email = user.sudo().amazon_punchout_email or ""
        extrinsics = [("UserEmail", email)]
        first, _sep, last = (user.name or "").partition(" ")
        extrinsics += [("FirstName", first), ("LastName", last or first)]
        if self.business_unit:
            extrinsics.append(("UserBusinessUnit", self.business_unit))
        ship_to = self.ship_to_id or self.company_id.partner_id
        # Informational in the setup request (the order's ship-to is what counts):
        # an incomplete address is left out rather than sent half-empty.
        complete = ship_to.street and ship_to.city and ship_to.country_id
        return cxml.PunchOutSetupRequest(
            header=self._amazon_punchout_header(),
            buyer_cookie=buyer_cookie,
            browser_form_post_url=return_url,
            user_email=email,
            user_name=user.name or "",
            deployment_mode=self._amazon_punchout_deployment_mode(),
            extrinsics=tuple(extrinsics),
            ship_to=self._amazon_punchout_address(ship_to) if complete else None,
        )

    def _amazon_punchout_request_start_page(self, user, buyer_cookie, return_url):
        """Send a PunchOutSetupRequest; return Amazon's one-time StartPage URL.

        :raise UserError: Amazon refused the request or could not be reached.
        """
        self.ensure_one()
        if not user.sudo().amazon_punchout_email:
            raise UserError(
                self.env._(
                    "Amazon Business identifies shoppers by e-mail, and %(user)s has "
                    "no Amazon Business e-mail yet: ask an administrator to set it "
                    "on your user.",
                    user=user.name,
                )
            )
        answer = self._amazon_punchout_post_setup_request(
            user, buyer_cookie, return_url
        )
        if not 200 <= answer.code < 300:
            raise UserError(answer.text)
        answer = answer.document
        start_page = getattr(answer.body, "start_page_url", None)
        if not start_page or urlsplit(start_page).scheme not in ("http", "https"):
            raise UserError(
                self.env._("Amazon accepted the request but sent no usable start page.")
            )
        return start_page

    def _amazon_punchout_post_setup_request(self, user, buyer_cookie, return_url):
        """Post a PunchOutSetupRequest for ``user``; return Amazon's ``CxmlAnswer``."""
        self.ensure_one()
        setup = self._amazon_punchout_prepare_setup_request(
            user, buyer_cookie, return_url
        )
        return self._amazon_punchout_send_cxml(
            cxml.build_punchout_setup_request(setup),
            self._amazon_punchout_punchout_url(),
        )

    def _amazon_punchout_status_message(self, status):
        """A message for people from Amazon's cXML Status (code, text, diagnostic)."""
        code = status.code if status else 500
        text = " ".join(
            part for part in (status and status.text, status and status.body) if part
        )
        if code == 401:
            return self.env._(
                "Amazon did not recognise the credentials of %(account)s "
                "(401 %(text)s). Check the identity and the shared secret.",
                account=self.name,
                text=text,
            )
        if 400 <= code < 500:
            return self.env._(
                "Amazon refused the request (%(code)s %(text)s).", code=code, text=text
            )
        return self.env._(
            "Amazon could not handle the request (%(code)s %(text)s). Try again later.",
            code=code,
            text=text,
        )

    # === BUSINESS METHODS: shoppers === #

    @api.model
    def _amazon_punchout_accounts_for_shopper(self, user, account_id=None):
        """The connected accounts ``user`` may shop with, in their allowed companies.

        :param int account_id: restrict to this account (the choice of the shopper)
        :return: the accounts (sudo), at least one
        :raise AccessError: the user is no Amazon Business shopper
        :raise UserError: no account is connected for the user's companies
        """
        if not user.has_group("amazon_punchout.group_amazon_punchout_shopper"):
            raise AccessError(
                self.env._(
                    "You are not allowed to shop on Amazon Business: ask an "
                    "administrator for the Amazon Business / Shopper access right."
                )
            )
        domain = [
            ("company_id", "in", self.env.companies.ids),
            ("company_id", "in", user.company_ids.ids),
            ("state", "in", ("test", "production")),
        ]
        if account_id:
            domain.append(("id", "=", account_id))
        accounts = self.sudo().search(domain)
        if not accounts:
            raise UserError(
                self.env._(
                    "No Amazon Business account is connected for your company yet. "
                    "Ask an administrator to configure one."
                )
            )
        return accounts

    # === BUSINESS METHODS: cart products === #

    def _amazon_punchout_uom(self, code):
        """Map a UN/CEFACT code to a UoM; unknown codes become Units with a warning.

        :return: (uom.uom, warning or "")
        """
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

    def _amazon_punchout_products(self, items):
        """The product of each ASIN: found by the vendor's pricelist, else created.

        Batched (one search, one create) so a 100-line cart stays fast.

        :param items: the cart's ``cxml.ItemIn``
        :return: ({ASIN: product.product}, {ASIN: (uom.uom, warning)})
        """
        self.ensure_one()
        uoms = {
            item.supplier_part_id: self._amazon_punchout_uom(item.unit_of_measure)
            for item in items
        }
        sellers = (
            self.env["product.supplierinfo"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("product_code", "in", list(uoms)),
                    ("company_id", "in", [self.company_id.id, False]),
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
            .with_company(self.company_id)
            .create(
                [
                    self._amazon_punchout_prepare_product(item, uoms[asin][0])
                    for asin, item in missing.items()
                ]
            )
        )
        result = {asin: product for asin, (_seller, product) in products.items()}
        result.update(zip(missing, created, strict=True))
        return result, uoms

    def _amazon_punchout_prepare_product(self, item, uom):
        self.ensure_one()
        name = item.short_name or item.description or item.supplier_part_id
        return {
            "name": name,
            "company_id": self.company_id.id,
            "type": "consu",
            "purchase_ok": True,
            "sale_ok": False,
            "uom_id": uom.id,
            "description_purchase": item.description,
            "seller_ids": [
                fields.Command.create(
                    {
                        "partner_id": self.partner_id.id,
                        "product_code": item.supplier_part_id,
                        "product_name": name,
                        "price": float(item.unit_price.amount),
                        "currency_id": self.currency_id.id,
                        "company_id": self.company_id.id,
                    }
                )
            ],
        }

    # === OUTBOUND REQUESTS === #

    def _amazon_punchout_send_cxml(self, payload, url, timeout=HTTP_TIMEOUT):
        """Post a cXML document to Amazon and read its synchronous answer.

        The only method of the addon that talks HTTP: tests patch it. Redirects are
        never followed (the payload carries the shared secret), Amazon's answer is
        read up to ``ANSWER_MAX_SIZE`` bytes, and no message names the URL.

        :param bytes payload: the cXML document, shared secret included
        :param str url: where to post it
        :param int timeout: seconds to wait for each step (connect, read)
        :return: ``(code, text, retryable, document)``: ``code`` is the cXML Status
            code of a readable answer, else the HTTP status, 0 when no answer came;
            ``text`` a message for people; ``retryable`` False only when sending
            the same bytes again cannot help (a refusal, a redirect); ``document``
            the parsed answer or None
        :rtype: CxmlAnswer
        """
        self.ensure_one()
        match = PAYLOAD_ID_RE.search(payload[:4096])
        payload_id = match.group(1).decode(errors="replace") if match else "?"
        _logger.info(
            "Posting cXML to Amazon Business account %s: payloadID %s, %s bytes",
            self.id,
            payload_id,
            len(payload),
        )
        _logger.debug("cXML posted (redacted):\n%s", cxml.redact(payload))
        try:
            with requests.post(
                url,
                data=payload,
                headers={
                    "Content-Type": "text/xml; charset=UTF-8",
                    "User-Agent": USER_AGENT,
                },
                timeout=timeout,
                allow_redirects=False,
                stream=True,
            ) as response:
                http_status = response.status_code
                if response.is_redirect or 300 <= http_status < 400:
                    return CxmlAnswer(
                        http_status,
                        self.env._(
                            "Amazon answered with a redirection (HTTP %(status)s), "
                            "which Odoo never follows with the shared secret: check "
                            "the URL configured on the account %(account)s.",
                            status=http_status,
                            account=self.name,
                        ),
                        False,
                        None,
                    )
                body = self._amazon_punchout_read_answer(response)
        except requests.exceptions.Timeout:
            _logger.info("Amazon Business did not answer %s in time", payload_id)
            return CxmlAnswer(
                0,
                self.env._("Amazon did not answer within %(s)s seconds.", s=timeout),
                True,
                None,
            )
        except requests.exceptions.RequestException as error:
            _logger.info("Could not reach %s: %s", url, error)
            return CxmlAnswer(
                0, self.env._("Could not reach Amazon Business."), True, None
            )
        if body is None:
            _logger.info(
                "Answer to %s over %s bytes refused", payload_id, ANSWER_MAX_SIZE
            )
            return CxmlAnswer(
                0,
                self.env._(
                    "Amazon's answer was larger than %(size)s bytes and was not read.",
                    size=ANSWER_MAX_SIZE,
                ),
                True,
                None,
            )
        _logger.info(
            "Amazon Business answered %s: HTTP %s, %s bytes",
            payload_id,
            http_status,
            len(body),
        )
        try:
            answer = cxml.parse(body)
        except cxml.CXMLError as error:
            _logger.info(
                "Unreadable answer to %s (HTTP %s): %s",
                payload_id,
                http_status,
                error.text,
            )
            refused = 400 <= http_status < 500
            return CxmlAnswer(
                http_status if refused or http_status >= 500 else 0,
                self.env._(
                    "Amazon answered with HTTP %(status)s and no readable cXML "
                    "(%(error)s).",
                    status=http_status,
                    error=error.text,
                ),
                not refused,
                None,
            )
        return self._amazon_punchout_cxml_answer(answer)

    def _amazon_punchout_cxml_answer(self, answer):
        """The ``CxmlAnswer`` of a readable cXML answer, from its Status."""
        status = answer.status
        code = status.code if status else 500
        return CxmlAnswer(
            code,
            self._amazon_punchout_status_message(status)
            if not 200 <= code < 300
            else " ".join(p for p in (status.text, status.body) if p),
            not 400 <= code < 500,
            answer,
        )

    def _amazon_punchout_read_answer(self, response):
        """Read at most ``ANSWER_MAX_SIZE`` bytes of a streamed answer.

        :return: the body, or None when it is larger
        """
        chunks, size = [], 0
        for chunk in response.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > ANSWER_MAX_SIZE:
                return None
            chunks.append(chunk)
        return b"".join(chunks)
