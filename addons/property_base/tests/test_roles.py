from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
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
    "front_desk": "property_base.group_property_front_desk",
    "technician": "property_base.group_property_technician",
    "security": "property_base.group_property_security",
    "accountant": "property_base.group_property_accountant",
    "manager": "property_base.group_property_manager",
}
# the accounting rights only the accountant (and the manager above them) need
ACCOUNTING = ["account.group_account_invoice", "account.group_account_user", "account.group_account_readonly"]
# the effective rights (``has_group``) no demo staff member may hold
FORBIDDEN_RIGHTS = [
    "account.group_account_manager",
    "stock.group_stock_manager",
    "purchase.group_purchase_manager",
    "purchase.group_purchase_user",
    "hr.group_hr_manager",
    "base.group_no_one",
    "base.group_erp_manager",
    "base.group_system",
    "website.group_website_designer",
    "website.group_website_restricted_editor",
]
# what a household owes and pays: bills, their journal entries, payments and reminders
MONEY_MODELS = [
    "property.bill",
    "property.bill.line",
    "property.bill.writeoff",
    "property.dunning.log",
    "account.move",
    "account.move.line",
    "account.payment",
    "payment.transaction",
    "property.payment.statement",
]
# the money a front desk answers households about (their bills, not the ledger)
FRONT_DESK_MONEY = {"property.bill", "property.bill.line", "property.dunning.log"}
DEMO_STAFF = [
    ("frontdesk", "front_desk"),
    ("technician", "technician"),
    ("guard", "security"),
    ("accountant", "accountant"),
    ("manager", "manager"),
]


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
        for role in ("user", "front_desk", "technician", "security"):
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
        for login, role in DEMO_STAFF:
            user = self.env["res.users"].search([("login", "=", login)])
            if not user:  # no demo data
                continue
            self.assertIn(self.env.ref(ROLES[role]), user.groups_id)
            held = user.groups_id & forbidden
            self.assertFalse(held, f"demo {login} must not hold {held.mapped('full_name')}")

    # what each demo staff member may and may not do -------------------------------------------
    def _demo_staff(self):
        users = {login: self.env["res.users"].search([("login", "=", login)]) for login, _role in DEMO_STAFF}
        if not all(users.values()):
            self.skipTest("no demo data")
        return users

    def test_demo_staff_have_no_administration_rights(self):
        for login, user in self._demo_staff().items():
            for xmlid in FORBIDDEN_RIGHTS:
                if self.env.ref(xmlid, raise_if_not_found=False):
                    with self.subTest(user=login, right=xmlid):
                        self.assertFalse(user.has_group(xmlid), f"demo {login} holds {xmlid}")

    def test_demo_staff_in_china(self):
        """The demo company's staff work in China's time (and in Chinese when it is loaded)."""
        users = self._demo_staff()
        for login, user in users.items():
            self.assertEqual(user.tz, "Asia/Shanghai", login)
        company = users["manager"].company_id
        self.assertEqual(company.partner_id.tz, "Asia/Shanghai")
        if self.env["res.lang"]._lang_get("zh_CN"):
            self.assertEqual(company._property_lang(), "zh_CN")
            for login, user in users.items():
                self.assertEqual(user.lang, "zh_CN", login)

    def _assert_cannot_read(self, user, model_name):
        Model = self.env[model_name].with_user(user)
        with self.assertRaises(AccessError, msg=f"{user.login} searches {model_name}"):
            Model.search_count([])
        record = self.env[model_name].sudo().search([], limit=1)
        if record:
            with self.assertRaises(AccessError, msg=f"{user.login} reads {model_name}"):
                record.with_user(user).read(["display_name"])

    def test_guards_and_technicians_read_no_money(self):
        """Bills, their journal entries, payments: none of a guard's or a technician's business."""
        users = self._demo_staff()
        bills = self._bills_of_two_estates()
        self.assertTrue(bills[0].move_ids, "the bill is posted: there is a journal entry to refuse")
        checked = [name for name in MONEY_MODELS if name in self.env]
        self.assertIn("property.bill", checked, "the suite's billing is installed with the demo")
        for login in ("technician", "guard"):
            for model_name in checked:
                with self.subTest(user=login, model=model_name):
                    self._assert_cannot_read(users[login], model_name)

    def _bills_of_two_estates(self):
        """A service bill in each of two demo estates (the demo has no bills of its own)."""
        if "property.bill" not in self.env:
            self.skipTest("billing not installed")
        fee = self.env.ref("property_billing.product_fee_other")
        units = {}
        for unit in self.env["property.unit"].search([("occupancy_ids", "!=", False)]):
            units.setdefault(unit.estate_id, unit)
        self.assertGreaterEqual(len(units), 2, "the demo has occupied units in two estates")
        Bill = self.env["property.bill"].sudo()
        return [
            Bill._charge_service(unit.occupancy_ids[:1].partner_id, unit, fee, 100.0, "门禁卡补办")
            for unit in list(units.values())[:2]
        ]

    def test_front_desk_reads_bills_of_its_estates_only(self):
        users = self._demo_staff()
        own, other = self._bills_of_two_estates()
        desk = users["frontdesk"]
        for model_name in set(MONEY_MODELS) - FRONT_DESK_MONEY:
            if model_name in self.env:
                with self.subTest(model=model_name):
                    self._assert_cannot_read(desk, model_name)
        # the desk works at the first estate only
        desk.property_estate_ids = own.estate_id
        Bill = self.env["property.bill"].with_user(desk)
        self.assertEqual(own.with_user(desk).read(["name"])[0]["name"], own.name)
        self.assertIn(own, Bill.search([]))
        self.assertNotIn(other, Bill.search([]))
        self.assertFalse(Bill.search_count([("estate_id", "=", other.estate_id.id)]))
        with self.assertRaises(AccessError):
            other.with_user(desk).read(["name"])
        self.assertFalse(self.env["property.bill.line"].with_user(desk).search([("bill_id", "=", other.id)]))

    def test_staff_below_manager_see_their_estates_only(self):
        users = self._demo_staff()
        other = self.env["property.estate"].create({"name": "别人的小区", "code": "ZZ-OTHER"})
        building = self.env["property.building"].create({"estate_id": other.id, "code": "9", "name": "9幢"})
        unit = self.env["property.unit"].create({"building_id": building.id, "floor": 1, "number": "0901"})
        for login in ("frontdesk", "technician", "guard", "accountant"):
            user = users[login]
            with self.subTest(user=login):
                for record in (other, building, unit):
                    self.assertFalse(record.with_user(user).search_count([("id", "=", record.id)]))
                    with self.assertRaises(AccessError):
                        record.with_user(user).read(["display_name"])
        self.assertTrue(other.with_user(users["manager"]).search_count([("id", "=", other.id)]))

    def _form_fields(self, model):
        """The top-level fields of ``model``'s form as its user gets it (nodes of groups the
        user lacks are already removed)."""
        arch = model.get_views([(False, "form")])["views"]["form"]["arch"]
        root = etree.fromstring(arch)
        return sorted(
            {
                node.get("name")
                for node in root.iter("field")
                if not any(parent.tag == "field" for parent in node.iterancestors())
                and node.get("name") in model._fields
            }
        )

    def test_each_role_opens_the_forms_of_its_day(self):
        """What a form reads, each role may read: a field pointing at bills is not on the form
        of someone who may not see bills (the page would fail to open)."""
        users = self._demo_staff()
        days = {
            "technician": ["property.request", "property.unit", "maintenance.equipment", "res.partner"],
            "guard": ["property.security.alarm", "property.security.visitor", "property.unit", "res.partner"],
            "frontdesk": ["property.request", "property.unit", "property.security.visitor", "res.partner"],
        }
        for login, model_names in days.items():
            user = users[login]
            for model_name in model_names:
                if model_name not in self.env:
                    continue
                Model = self.env[model_name].with_user(user)
                record = Model.search([], limit=1)
                if not record:
                    continue
                with self.subTest(user=login, model=model_name):
                    record.read(self._form_fields(Model))
