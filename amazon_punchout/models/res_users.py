# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools.mail import single_email_re

SHOPPER_GROUP = "amazon_punchout.group_amazon_punchout_shopper"


class ResUsers(models.Model):
    _inherit = "res.users"

    # Not in SELF_WRITEABLE_FIELDS: unlike `email`, users cannot change it themselves.
    amazon_punchout_email = fields.Char(
        string="Amazon Business e-mail",
        compute="_compute_amazon_punchout_email",
        store=True,
        readonly=False,
        copy=False,
        help="The identity Amazon Business knows this user by (UserEmail), set by "
        "administrators; defaults to the login when the login is an e-mail address.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["amazon_punchout_email"]

    # === COMPUTE METHODS === #

    @api.depends("login")
    def _compute_amazon_punchout_email(self):
        for user in self:
            if not user.amazon_punchout_email and single_email_re.match(
                user.login or ""
            ):
                user.amazon_punchout_email = user.login

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        if any("amazon_punchout_email" in vals for vals in vals_list):
            self._amazon_punchout_check_identity_admin()
        return super().create(vals_list)

    def write(self, vals):
        if "amazon_punchout_email" in vals:
            self._amazon_punchout_check_identity_admin()
        return super().write(vals)

    def _amazon_punchout_check_identity_admin(self):
        if not self.env.su and not self.env.user.has_group("base.group_erp_manager"):
            raise AccessError(
                self.env._(
                    "Only administrators can set the Amazon Business e-mail: it is "
                    "the identity Amazon Business knows the user by."
                )
            )

    # === BUSINESS METHODS === #

    @tools.ormcache("self.id", "model", "mode")
    def _amazon_punchout_other_access(self, model, mode):
        """Whether this user may ``mode`` records of ``model`` through a group other
        than the shopper group (and the groups every shopper has).

        :param str model: a model name, e.g. ``purchase.order``
        :param str mode: ``read``, ``write``, ``create`` or ``unlink``
        :rtype: bool
        """
        self.ensure_one()
        user = self.sudo()
        shopper = self.env.ref(SHOPPER_GROUP, raise_if_not_found=False)
        others = user.all_group_ids
        if shopper:
            others -= shopper.sudo().all_implied_ids
        if not others:
            return False
        return bool(
            self.env["ir.model.access"]
            .sudo()
            .search_count(
                [
                    ("model_id.model", "=", model),
                    ("group_id", "in", others.ids),
                    (f"perm_{mode}", "=", True),
                ],
                limit=1,
            )
        )

    def _amazon_punchout_shopper_only(self):
        """A shopper whose only access to purchase orders is the shopper group's:
        the shopper rules restrict them to their own requisitions."""
        self.ensure_one()
        return self.has_group(SHOPPER_GROUP) and not self._amazon_punchout_other_access(
            "purchase.order", "read"
        )
