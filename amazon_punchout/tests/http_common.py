# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Call the ORM over real HTTP, as a browser session or a program would."""

from odoo.tools import mute_logger

from .common import AmazonPunchoutHttpCommon, AmazonPunchoutRequisitionMixin


class AmazonPunchoutJsonRpcCommon(
    AmazonPunchoutRequisitionMixin, AmazonPunchoutHttpCommon
):
    """JSON-RPC with a user's web session, and requisitions made from sample carts."""

    def _rpc(self, user, model, method, *args, **kwargs):
        """Call ``model.method(*args, **kwargs)`` as ``user`` via /web/dataset/call_kw.

        The password of the fixture users is their login.

        :return: the decoded JSON-RPC answer: ``{"result": ...}`` or ``{"error": ...}``
        """
        if getattr(self, "_rpc_user", None) != user:
            self.authenticate(user.login, user.login)
            self._rpc_user = user
        self.env.flush_all()
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                },
            },
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.env.invalidate_all()
        return response.json()

    def _rpc_ok(self, user, model, method, *args, **kwargs):
        answer = self._rpc(user, model, method, *args, **kwargs)
        self.assertNotIn("error", answer, answer.get("error"))
        return answer.get("result")

    def _rpc_refused(self, user, model, method, *args, **kwargs):
        """Assert the call fails with an AccessError or a UserError; return its text."""
        # The server logs refused calls as warnings: expected here.
        with mute_logger("odoo.http"):
            answer = self._rpc(user, model, method, *args, **kwargs)
        self.assertIn("error", answer, f"{method}{args} was not refused")
        data = answer["error"]["data"]
        self.assertIn(
            data["name"],
            ("odoo.exceptions.AccessError", "odoo.exceptions.UserError"),
            data.get("debug", "")[-2000:],
        )
        return data["message"]
