# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Secrets are checked when saved and wiped from copied databases (issue 10, 10)."""

from odoo.exceptions import ValidationError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import tagged

from odoo.addons.amazon_punchout import cxml

from .common import AmazonPunchoutCommon

CREDENTIAL_FIELDS = ("shared_secret", "identity", "inbound_password")


@tagged("post_install", "-at_install")
class TestSecrets(AmazonPunchoutCommon):
    def test_bad_characters_refused_without_quoting_the_value(self):
        for field in CREDENTIAL_FIELDS:
            for bad in (
                "nul\x00byte-S3CR3T",
                "ctrl\x1fchar-S3CR3T",
                "del\x7fchar-S3CR3T",
                "line\nbreak-S3CR3T",
                "tab\tS3CR3T",
                " padded-S3CR3T",
                "xml<S3CR3T>",
                "amp&S3CR3T",
                "S3CR3T" * 50,
                "\ufffeS3CR3T",
            ):
                with self.subTest(field=field, value=bad):
                    with self.assertRaises(ValidationError) as caught:
                        self.account.write({field: bad})
                    self.assertNotIn("S3CR3T", str(caught.exception))
                    self.assertNotIn(bad[:8], str(caught.exception))

    def test_good_values_accepted_and_documents_build(self):
        odd = "Ab9-_.~!#$%()*+,/:;=?@[]^`{|}'\""
        self.account.write(
            {
                "shared_secret": odd,
                "identity": "PunchoutGroup_42",
                "inbound_password": odd,
            }
        )
        self.account.write({"shared_secret": False, "inbound_password": False})
        self.account.write({"shared_secret": odd})
        setup = self.account._amazon_punchout_prepare_setup_request(
            self.shopper, buyer_cookie="cookie", return_url="https://odoo.example/r"
        )
        document = cxml.build_punchout_setup_request(setup)
        self.assertIn(b"PunchoutGroup_42", document)

    def test_neutralize_wipes_credentials_and_disconnects(self):
        self.account.write(
            {
                "inbound_auth": "basic",
                "inbound_user": "amazon",
                "inbound_password": "inbound-pass",
            }
        )
        other = self.account.copy({"name": "Second"})
        token = self.account.inbound_token
        self.env.flush_all()
        for query in get_neutralization_queries(["amazon_punchout"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        accounts = self.account | other
        for account in accounts:
            self.assertRecordValues(
                account,
                [
                    {
                        "state": "draft",
                        "identity": False,
                        "shared_secret": False,
                        "inbound_user": False,
                        "inbound_password": False,
                        "production_since": False,
                    }
                ],
            )
            self.assertTrue(account.inbound_token)
        self.assertNotEqual(self.account.inbound_token, token)
        self.assertNotEqual(self.account.inbound_token, other.inbound_token)
