# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.exceptions import RequestEntityTooLarge

from odoo import models
from odoo.http import request

from .. import cxml


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """A readable 413 for bodies refused by our routes' size caps (a page for
        people, a cXML Response on the inbound cXML endpoint).

        The cap (``max_content_length`` on the route) stops reading the body before
        the controller runs, so the controller cannot answer it itself.
        """
        path = request.httprequest.path
        if isinstance(exception, RequestEntityTooLarge) and path.startswith(
            "/amazon_punchout/cxml/"
        ):
            # Amazon's server, not a person: a cXML answer.
            return request.make_response(
                cxml.build_response(400, "Document too large"),
                headers=[
                    ("Content-Type", "text/xml; charset=utf-8"),
                    ("Connection", "close"),
                ],
                status=413,
            )
        if isinstance(exception, RequestEntityTooLarge) and path.startswith(
            "/amazon_punchout/"
        ):
            env = request.env
            html = env["ir.ui.view"]._render_template(
                "amazon_punchout.amazon_punchout_page_message",
                {
                    "message": env._(
                        "The cart is too large to be received: nothing was stored."
                    ),
                    "status": 413,
                },
            )
            # The rest of the body is never read: the connection cannot be reused.
            return request.make_response(
                html,
                headers=[
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Connection", "close"),
                ],
                status=413,
            )
        return super()._handle_error(exception)
