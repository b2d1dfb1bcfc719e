# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestInstall(BaseCommon):
    """The addon's views, access rules, record rules, menus and actions all load."""

    def _module_records(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "=", "amazon_punchout"), ("model", "=", model)]
        )
        return self.env[model].browse(data.mapped("res_id")).exists()

    def test_module_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "amazon_punchout")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.latest_version, "19.0.1.1.0")

    def test_views_load(self):
        views = self._module_records("ir.ui.view")
        self.assertGreaterEqual(len(views), 10)
        for view in views:
            with self.subTest(view=view.xml_id):
                # Combined with its inherited views, as the web client gets it.
                root = view if view.mode == "primary" else view.inherit_id
                if view.type == "qweb":
                    self.env["ir.qweb"]._get_template(view.id)
                else:
                    arch = self.env[root.model].get_view(root.id, root.type)["arch"]
                    self.assertTrue(arch)

    def test_actions_open(self):
        for action in self._module_records("ir.actions.act_window"):
            with self.subTest(action=action.xml_id):
                result = self.env[action.res_model].get_views(
                    [(v.view_id.id, v.view_mode) for v in action.view_ids]
                    or [(False, mode) for mode in action.view_mode.split(",")]
                )
                self.assertTrue(result["views"])

    def test_access_rules_load(self):
        accesses = self._module_records("ir.model.access")
        self.assertGreaterEqual(len(accesses), 8)
        for access in accesses:
            with self.subTest(access=access.name):
                self.assertIn(access.model_id.model, self.env)
                self.assertTrue(access.group_id)
        for rule in self._module_records("ir.rule"):
            with self.subTest(rule=rule.name):
                # Evaluating the domain for each group member proves it compiles.
                users = rule.groups.all_user_ids[:3] or self.env.user
                for user in users:
                    self.env[rule.model_id.model].with_user(user).search([], limit=1)

    def test_menus_load(self):
        menus = self._module_records("ir.ui.menu")
        self.assertGreaterEqual(len(menus), 6)
        for user in (self.env.ref("base.user_admin"),):
            loaded = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
            for menu in menus:
                with self.subTest(menu=menu.complete_name):
                    self.assertIn(menu.id, loaded)
                    if menu.action:
                        self.assertTrue(menu.action.exists())

    def test_cron_runs(self):
        cron = self.env.ref("amazon_punchout.ir_cron_expire_sessions")
        cron.method_direct_trigger()
