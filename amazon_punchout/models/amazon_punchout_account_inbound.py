# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hmac

from odoo import fields, models

from .. import cxml


def _same(expected, received):
    """Constant-time comparison of two strings; an empty expectation never matches."""
    if not expected or received is None:
        return False
    return hmac.compare_digest(expected.encode(), received.encode())


class AmazonPunchoutAccount(models.Model):
    _inherit = "amazon.punchout.account"

    inbound_auth = fields.Selection(
        selection_add=[("shared_secret_basic", "cXML shared secret and HTTP Basic")],
        ondelete={"shared_secret_basic": "set default"},
        help="How Amazon's confirmations, ship notices and invoices authenticate: "
        "the URL token always, our identity in To or Sender always, then the "
        "shared secret under Sender, HTTP Basic, or both.",
    )

    # === BUSINESS METHODS: inbound authentication === #

    def _amazon_punchout_inbound_account(self, token):
        """The active account whose inbound URL carries ``token`` (or empty)."""
        if not token or len(token) > 200:
            return self.browse()
        account = self.sudo().search([("inbound_token", "=", token)], limit=1)
        if account and _same(account.inbound_token, token):
            return account
        return self.browse()

    def _amazon_punchout_check_basic_auth(self, basic_auth):
        """HTTP Basic, when the account asks for it.

        :param tuple basic_auth: (user, password) sent, or None
        """
        self.ensure_one()
        account = self.sudo()
        if account.inbound_auth not in ("basic", "shared_secret_basic"):
            return True
        user, password = basic_auth or (None, None)
        # Both compared, whatever the first gives: no early exit to time.
        user_ok = _same(account.inbound_user, user)
        password_ok = _same(account.inbound_password, password)
        return user_ok and password_ok

    def _amazon_punchout_check_inbound_credentials(self, header):
        """Our identity in To or Sender; the shared secret under Sender.

        Amazon's own documents come From ``NetworkId``/``Amazon`` (or a numeric
        NetworkId) and name us in To; with cXML authentication the Sender carries
        our identity and the shared secret (docs/amazon-cxml.md §2.3, §6.1). A
        shared secret that is sent is always checked, even when HTTP Basic is the
        configured factor.
        """
        self.ensure_one()
        account = self.sudo()
        if header is None or not account.identity:
            return False
        domain = (account.network_domain or "").lower()
        ours = [
            credential
            for credential in (*header.to_credentials, header.sender)
            if credential.identity == account.identity
            and credential.domain.lower() == domain
        ]
        secret = header.sender.shared_secret
        secret_ok = cxml.verify_shared_secret(account.shared_secret, secret)
        if account.inbound_auth in ("shared_secret", "shared_secret_basic"):
            return bool(ours) and secret_ok
        return bool(ours) and (secret is None or secret_ok)
