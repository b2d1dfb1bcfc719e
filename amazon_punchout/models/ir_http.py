# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.exceptions import RequestEntityTooLarge

from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """A readable 413 page for a cart refused by the return route's size cap.

        The cap (``max_content_length`` on the route) stops reading the body before
        the controller runs, so the controller cannot answer it itself.
        """
        if isinstance(exception, RequestEntityTooLarge) and (
            request.httprequest.path.startswith("/amazon_punchout/")
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
