from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase, new_test_user

# Rights no property role below the property administrator may hold: app administration,
# website editing, HR and purchasing. (Odoo implies "Technical Features" for every internal
# user; it shows only in debug mode.)
FORBIDDEN = [
    "base.group_system",
    "base.group_erp_manager",
    "account.group_account_manager",
    "stock.group_stock_manager",
    "purchase.group_purchase_manager",
    "purchase.group_purchase_user",
    "hr.group_hr_manager",
    "hr.group_hr_user",
    "hr_attendance.group_hr_attendance_manager",
    "hr_attendance.group_hr_attendance_officer",
    "website.group_website_designer",
    "website.group_website_restricted_editor",
    "sales_team.group_sale_manager",
]
ROLES = {
    "user": "property_base.group_property_user",
    "technician": "property_base.group_property_technician",
    "security": "property_base.group_property_security",
    "accountant": "property_base.group_property_accountant",
    "manager": "property_base.group_property_manager",
}
# the accounting rights only the accountant (and the manager above them) need
ACCOUNTING = ["account.group_account_invoice", "account.group_account_user", "account.group_account_readonly"]


@tagged("post_install", "-at_install")
class TestRoles(TransactionCase):
    """Each staff role holds only what its job needs, with every addon of the suite installed."""

    def _groups(self, xmlids):
        return self.env["res.groups"].browse(
            [group.id for group in (self.env.ref(x, raise_if_not_found=False) for x in xmlids) if group]
        )

    def test_roles_imply_no_administration(self):
        forbidden = self._groups(FORBIDDEN)
        for role, xmlid in ROLES.items():
            group = self.env.ref(xmlid)
            held = (group | group.trans_implied_ids) & forbidden
            self.assertFalse(held, f"{role} must not hold {held.mapped('full_name')}")

    def test_only_accountants_hold_accounting_rights(self):
        accounting = self._groups(ACCOUNTING)
        for role in ("user", "technician", "security"):
            group = self.env.ref(ROLES[role])
            held = (group | group.trans_implied_ids) & accounting
            self.assertFalse(held, f"{role} must not hold {held.mapped('full_name')}")

    def test_a_new_app_does_not_make_staff_its_administrators(self):
        """Odoo adds a new app's manager group to the user template; staff must not get it."""
        guard = new_test_user(self.env, login="t_roles_guard", groups=ROLES["security"])
        new_app_admin = self.env["res.groups"].create({"name": "Some New App / Administrator"})
        template = self.env.ref("base.default_user")
        template.groups_id = [Command.link(new_app_admin.id)]
        self.assertNotIn(new_app_admin, guard.groups_id)
        self.assertIn(new_app_admin, template.groups_id, "new users still start from the template")

    def test_demo_staff_hold_only_their_role(self):
        forbidden = self._groups(FORBIDDEN)
        for login, role in [
            ("frontdesk", "user"),
            ("technician", "technician"),
            ("guard", "security"),
            ("accountant", "accountant"),
            ("manager", "manager"),
        ]:
            user = self.env["res.users"].search([("login", "=", login)])
            if not user:  # no demo data
                continue
            self.assertIn(self.env.ref(ROLES[role]), user.groups_id)
            held = user.groups_id & forbidden
            self.assertFalse(held, f"demo {login} must not hold {held.mapped('full_name')}")
