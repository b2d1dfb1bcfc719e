# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import random
import time

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import SUPERUSER_ID, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from .. import cxml
from ..const import CART_POST_MAX_SIZE, INBOUND_MAX_SIZE, INBOUND_PROCESS_ATTEMPTS

_logger = logging.getLogger(__name__)


class AmazonPunchoutController(http.Controller):
    _start_url = "/amazon_punchout/start"
    _return_url = "/amazon_punchout/return/<string:return_token>"
    _cart_url = "/amazon_punchout/cart/<string:access_token>"

    # === START: the shopper's browser, logged in === #

    @http.route(
        [_start_url, "/amazon_punchout/start/<int:account_id>"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        # Checked below, to answer with a readable page instead of a bare 400.
        csrf=False,
    )
    def amazon_punchout_start(self, account_id=None, csrf_token=None, **kwargs):
        """Send the PunchOutSetupRequest and send the shopper to Amazon's start page.

        Changes data (a session, a request to Amazon), so only with a valid CSRF
        token: the confirmation page's form POSTs one, and Odoo's "Shop on Amazon
        Business" button opens this URL with a short-lived one. Any other GET, a
        link from another site included, only shows the confirmation page.
        """
        user = request.env.user
        try:
            accounts = request.env[
                "amazon.punchout.account"
            ]._amazon_punchout_accounts_for_shopper(user, account_id=account_id)
        except AccessError as error:
            return self._amazon_punchout_page(str(error), status=403)
        except UserError as error:
            return self._amazon_punchout_page(str(error), status=404)
        if not request.validate_csrf(csrf_token):
            if request.httprequest.method == "POST":
                return self._amazon_punchout_page(
                    request.env._(
                        "This request to shop on Amazon Business did not come from "
                        "this Odoo page, or it has expired: nothing was sent to "
                        "Amazon. Please start again from Odoo."
                    ),
                    status=400,
                )
            return self._amazon_punchout_start_page(accounts)
        if len(accounts) > 1:
            return self._amazon_punchout_start_page(accounts)
        try:
            _session, start_page = request.env[
                "amazon.punchout.session"
            ]._amazon_punchout_start(accounts, user)
        except UserError as error:
            return self._amazon_punchout_page(str(error), status=502)
        return request.redirect(start_page, code=303, local=False)

    # === RETURN: Amazon's cart, posted cross-site by the browser, no session === #

    @http.route(
        _return_url,
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        # Refused before the body is read, with or without Content-Length
        # (ir.http answers the 413 with a readable page).
        max_content_length=CART_POST_MAX_SIZE,
    )
    def amazon_punchout_return(self, return_token, **kwargs):
        """Receive the cart, store it, redirect to the shopper's own claim page.

        The POST comes from Amazon's page: browsers send no Odoo cookie with it, so the
        cart is authenticated by the return token and the BuyerCookie, and nothing
        here reads or writes the session.
        """
        httprequest = request.httprequest
        max_size = cxml.MAX_SIZE
        form = httprequest.form
        raw_body = b"" if form else httprequest.get_data(cache=False)
        # A chunked body is cut at the route's cap without an error; reading on
        # raises RequestEntityTooLarge (answered by ir.http), else reads nothing.
        httprequest.get_data(cache=False)
        try:
            data = cxml.decode_cart_form(
                form,
                raw_body=raw_body,
                content_type=httprequest.content_type or "",
                max_size=max_size,
            )
            document = request.env[
                "amazon.punchout.session"
            ]._amazon_punchout_receive_cart(return_token, data)
        except cxml.CXMLError as error:
            _logger.info("Unreadable Amazon cart refused: %s", error.text)
            return self._amazon_punchout_page(
                request.env._(
                    "The cart sent by Amazon could not be read (%(error)s). Nothing "
                    "was created; please return to Amazon and submit the cart again.",
                    error=error.text,
                ),
                status=400,
            )
        if not document:
            return self._amazon_punchout_page(
                request.env._(
                    "This cart was sent to an unknown return address: nothing was "
                    "stored. Please start a new Amazon Business session from Odoo."
                ),
                status=404,
            )
        if document.state == "input_error":
            if document.id:
                message = request.env._(
                    "%(error)s The cart was kept and an administrator can recover it; "
                    "you may also start a new Amazon Business session from Odoo.",
                    error=document.error,
                )
            else:
                message = request.env._(
                    "%(error)s The cart was not kept; please start a new Amazon "
                    "Business session from Odoo.",
                    error=document.error,
                )
            return self._amazon_punchout_page(message, status=403)
        return request.redirect(
            f"/amazon_punchout/cart/{document.sudo().access_token}", code=303
        )

    # === CLAIM: the shopper, logged in (after a login if the session expired) === #

    @http.route(_cart_url, type="http", auth="user", methods=["GET"])
    def amazon_punchout_cart(self, access_token, **kwargs):
        Document = request.env["amazon.punchout.document"].sudo()
        document = Document.search(
            [
                ("access_token", "=", access_token),
                ("doc_type", "=", "PunchOutOrderMessage"),
            ],
            limit=1,
        )
        if not document or not document.session_id:
            return self._amazon_punchout_page(
                request.env._("This cart does not exist or is no longer available."),
                status=404,
            )
        session = document.session_id
        if session.user_id != request.env.user:
            return self._amazon_punchout_page(
                request.env._("This cart belongs to another user."), status=403
            )
        try:
            order = session.with_user(
                request.env.user
            )._amazon_punchout_create_requisition()
        except (UserError, AccessError) as error:
            return self._amazon_punchout_page(str(error), status=422)
        return request.redirect(f"/odoo/amazon-requisitions/{order.id}")

    # === HELPERS === #

    def _amazon_punchout_start_page(self, accounts):
        """The confirmation (and account choice) page: its forms POST a CSRF token."""
        return request.render(
            "amazon_punchout.amazon_punchout_page_start",
            {"accounts": accounts, "csrf_token": request.csrf_token()},
        )

    def _amazon_punchout_page(self, message, status=400):
        """A readable page for people (never a traceback)."""
        return request.render(
            "amazon_punchout.amazon_punchout_page_message",
            {"message": message, "status": status},
            status=status,
        )


class AmazonPunchoutInboundController(http.Controller):
    """Amazon's confirmations, ship notices and invoices: server to server.

    No browser, no session: the document authenticates itself (URL token,
    identity, shared secret and/or HTTP Basic). The answer is always cXML, and
    200 only once the document is committed.
    """

    _inbound_url = "/amazon_punchout/cxml/<string:inbound_token>"

    @http.route(
        _inbound_url,
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        max_content_length=INBOUND_MAX_SIZE,
    )
    def amazon_punchout_inbound(self, inbound_token, **kwargs):
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > INBOUND_MAX_SIZE:
            return self._amazon_punchout_cxml_answer(413, 400, "Document too large")
        try:
            data = httprequest.get_data()
        except RequestEntityTooLarge:
            return self._amazon_punchout_cxml_answer(413, 400, "Document too large")
        authorization = httprequest.authorization
        basic = (
            (authorization.username, authorization.password)
            if authorization and authorization.type == "basic"
            else None
        )
        # Superuser: a public request must not run as the public user (chatter
        # authors, record rules); the account's company drives the rest.
        Document = request.env["amazon.punchout.document"].with_user(SUPERUSER_ID)
        try:
            status, code, text, document = Document._amazon_punchout_receive_inbound(
                inbound_token, data, basic
            )
            if document:
                request.env.cr.commit()
        except Exception:
            _logger.exception("Inbound cXML could not be stored")
            request.env.cr.rollback()
            return self._amazon_punchout_cxml_answer(500, 500, "Internal error")
        if document:
            # Stored and committed: Amazon gets its 200 whatever happens next.
            self._amazon_punchout_process_stored(document)
        return self._amazon_punchout_cxml_answer(status, code, text)

    def _amazon_punchout_process_stored(self, document):
        """Process a stored document now; a failure leaves it to the cron.

        Documents posted at the same time update the same rows (the order, the
        shopper's partner when notified): a serialization failure or a lock is
        retried a few times after a short random pause, as Odoo retries a request,
        and is no error if it persists (the cron processes the document later).
        """
        for attempt in range(1, INBOUND_PROCESS_ATTEMPTS + 1):
            try:
                document.with_company(
                    document.company_id
                )._amazon_punchout_process_inbound()
                request.env.cr.commit()
                return
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
                request.env.cr.rollback()
                if attempt == INBOUND_PROCESS_ATTEMPTS:
                    _logger.info(
                        "Inbound %s stored, not processed (%s, %s times): left to "
                        "the cron",
                        document.payload_id,
                        error.pgcode,
                        attempt,
                    )
                    return
                time.sleep(random.uniform(0.05, 0.2) * 2 ** (attempt - 1))
            except Exception:  # the cron processes it later
                _logger.exception(
                    "Inbound %s stored, not processed: left to the cron",
                    document.payload_id,
                )
                request.env.cr.rollback()
                return

    def _amazon_punchout_cxml_answer(self, http_status, code, text):
        return request.make_response(
            cxml.build_response(code, text),
            headers=[("Content-Type", "text/xml; charset=utf-8")],
            status=http_status,
        )
