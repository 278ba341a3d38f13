from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.property_billing.report.property_billing_arrears_report import aging_bucket

from .common import CockpitTestCommon


@tagged("post_install", "-at_install")
class TestCockpitFigures(CockpitTestCommon):
    """The figures on known data, read as the manager."""

    def data(self, user=None, estates=None):
        cockpit = self.Cockpit.with_user(user or self.user_manager)
        return cockpit.get_cockpit_data(estate_ids=(estates or self.estates).ids)

    def test_collection_rate_this_month(self):
        collection = self.data(estates=self.estate_a)["collection"]
        self.assertEqual(collection["month"], self.month.strftime("%Y-%m"))
        self.assertEqual((collection["billed"], collection["collected"]), (200.0, 150.0))
        self.assertEqual(collection["rate"], 75.0)
        both = self.data()["collection"]
        self.assertEqual(both["rate"], 50.0, "150 collected of 300 billed in both estates")
        self.assertEqual(len(both["trend"]), 12)
        old = next(p for p in both["trend"] if p["month"] == self.old_month.strftime("%Y-%m"))
        self.assertEqual((old["billed"], old["rate"]), (400.0, 0.0))

    def test_arrears_by_aging_and_estate(self):
        arrears = self.data()["arrears"]
        bucket = aging_bucket((self.today - self.bill_a_old.date_due).days)
        amounts = {b["key"]: b["amount"] for b in arrears["by_aging"]}
        self.assertEqual(amounts[bucket], 400.0, "both three-month-old bills in their bucket")
        self.assertNotIn("not_due", amounts, "bills not due yet are not arrears")
        due_now = self.today > self.bill_a.date_due  # this month's bills count once due
        self.assertEqual(
            {e["id"]: e["amount"] for e in arrears["by_estate"]},
            {self.estate_a.id: 100.0 + 50.0 * due_now, self.estate_b.id: 300.0 + 100.0 * due_now},
        )
        self.assertEqual(arrears["by_estate"][0]["id"], self.estate_b.id, "the estate owing most first")

    def test_open_work_orders_by_sla(self):
        workorders = self.data()["workorders"]
        counts = {s["key"]: s["count"] for s in workorders["by_sla"]}
        self.assertEqual(workorders["total"], 3)
        self.assertEqual(counts, {"breached": 2, "at_risk": 0, "on_track": 1, "none": 0})
        only_a = self.data(estates=self.estate_a)["workorders"]
        self.assertEqual(only_a["total"], 2)

    def test_team_timeliness(self):
        teams = self.data()["teams"]["teams"]
        self.assertEqual(len(teams), 1)
        self.assertEqual(teams[0]["id"], self.team.id)
        self.assertEqual((teams[0]["done"], teams[0]["on_time"], teams[0]["rate"]), (2, 1, 50.0))
        self.assertEqual(teams[0]["avg_hours"], 48.5, "1 h and 4 days from the report")

    def test_heatmap_category_by_estate_then_building(self):
        heatmap = self.data()["heatmap"]
        self.assertEqual(heatmap["place"], "estate_id")
        cells = heatmap["cells"]
        self.assertEqual(cells[f"{self.cat_plumbing.id}-{self.estate_a.id}"], 3)
        self.assertEqual(cells[f"{self.cat_complaint.id}-{self.estate_a.id}"], 1)
        self.assertEqual(cells[f"{self.cat_plumbing.id}-{self.estate_b.id}"], 1)
        self.assertEqual(heatmap["rows"][0]["id"], self.cat_plumbing.id, "the hottest category first")
        one = self.data(estates=self.estate_a)["heatmap"]
        self.assertEqual(one["place"], "building_id", "one estate: by building")
        self.assertEqual(
            one["cells"],
            {
                f"{self.cat_plumbing.id}-{self.building_a.id}": 3,
                f"{self.cat_complaint.id}-{self.building_a.id}": 1,
            },
        )

    def test_energy_in_percent_per_meter_type(self):
        energy = {row["key"]: row for row in self.data(estates=self.estate_a)["energy"]["rows"]}
        self.assertEqual(
            (energy["electricity"]["consumption"], energy["electricity"]["unit"]), (150.0, "kWh")
        )
        self.assertEqual(energy["electricity"]["mom"], 50.0)
        self.assertEqual((energy["water"]["consumption"], energy["water"]["unit"]), (12.0, "m³"))
        self.assertEqual(energy["water"]["mom"], 20.0, "m³ compared with m³, never added to kWh")
        self.assertIsNone(energy["water"]["yoy"], "no reading a year ago: no percentage")
        self.assertFalse(energy["gas"]["has_data"])

    def test_satisfaction_and_activity(self):
        data = self.data()
        self.assertEqual((data["satisfaction"]["average"], data["satisfaction"]["count"]), (4.0, 2))
        months = {p["month"]: p for p in data["activity"]["trend"]}
        total = sum(p["requests"] for p in months.values())
        self.assertEqual(total, 5, "every request raised by residents in 12 months")
        this_month = self.Request.search(
            [
                ("estate_id", "in", self.estates.ids),
                ("request_date", ">=", self.Cockpit._utc_start(self.month)),
            ]
        )
        self.assertEqual(data["activity"]["residents"], len(this_month.partner_id))

    def test_open_alarms(self):
        alarms = self.data()["alarms"]
        self.assertEqual(alarms["security"]["total"], 1)
        self.assertEqual(alarms["security"]["groups"][0]["key"], "fire")
        self.alarm.state = "closed"
        self.assertEqual(self.data()["alarms"]["security"]["total"], 0)

    def test_figure_opens_filtered_list(self):
        action = self.Cockpit.with_user(self.user_manager).open_figure(
            "workorders", estate_ids=self.estate_a.ids, key="breached"
        )
        self.assertEqual(action["res_model"], "property.request")
        self.assertEqual(action["views"][0][1], "list", "the list first")
        records = self.Request.with_user(self.user_manager).search(action["domain"])
        self.assertEqual(records, self.req_breached)
        for figure in self.Cockpit._cockpit_figures():
            with self.subTest(figure=figure):
                action = self.Cockpit.with_user(self.user_manager).open_figure(
                    figure, estate_ids=self.estates.ids
                )
                self.env[action["res_model"]].with_user(self.user_manager).search_count(action["domain"])
        with self.assertRaises(UserError):
            self.Cockpit.with_user(self.user_manager).open_figure("_check_cockpit_access")
        for figure, key in (("collection", "2026-13"), ("arrears_estate", "1 or 1=1"), ("heatmap", [1])):
            with self.subTest(figure=figure, key=key), self.assertRaises(UserError):
                self.Cockpit.with_user(self.user_manager).open_figure(figure, key=key)

    def test_queries_do_not_grow_with_records(self):
        cockpit = self.Cockpit.with_user(self.user_manager)

        def queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            cockpit.get_cockpit_data(estate_ids=self.estates.ids)
            return self.env.cr.sql_log_count - before

        queries()  # warm the caches of rules and menus
        first = queries()
        teams = self.env["property.service.team"].create(
            [{"name": f"班组{i}", "estate_id": self.estate_a.id} for i in range(5)]
        )
        done = self.Request.create(
            [
                {
                    "description": "楼道灯不亮",
                    "estate_id": self.estate_a.id,
                    "partner_id": self.owner.id,
                    "category_id": self.cat_plumbing.id,
                    "source": "portal",
                    "team_id": team.id,
                    "request_date": self.now - timedelta(days=3),
                }
                for team in teams
                for __ in range(4)
            ]
        )
        done.write({"state": "done", "done_date": self.now - timedelta(days=2), "rating": "4"})
        self.env.flush_all()
        self.assertEqual(queries(), first, "one query per figure, not per team, category or month")

    def test_landing_menu(self):
        """Managers land on the cockpit; other staff keep their first menu."""
        menu = self.env.ref("property_cockpit.property_cockpit_menu")
        root = self.env.ref("property_base.property_menu_root")

        def landing(user):
            menus = self.env["ir.ui.menu"].with_user(user).load_web_menus(False)
            return menus[root.id]["actionID"]

        self.assertEqual(landing(self.user_manager), menu.action.id)
        self.assertNotEqual(landing(self.user_frontdesk), menu.action.id)


@tagged("post_install", "-at_install")
class TestCockpitAccess(CockpitTestCommon):
    """Who sees which figures: each user only the estates and companies their rules allow."""

    def test_non_staff_refused(self):
        for user in (self.user_internal, self.user_resident):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Cockpit.with_user(user).get_cockpit_data()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Cockpit.with_user(user).open_figure("workorders")

    def test_staff_of_one_estate_sees_only_it(self):
        # the front desk of estate A asks for both estates, then for estate B only
        data = self.Cockpit.with_user(self.user_frontdesk).get_cockpit_data(estate_ids=self.estates.ids)
        self.assertEqual([e["id"] for e in data["estates"]], self.estate_a.ids)
        self.assertEqual(data["workorders"]["total"], 2, "estate A's open work orders only")
        self.assertIsNone(data["arrears"], "no right on the arrears report: no figure")
        self.assertEqual([c["id"] for c in data["heatmap"]["columns"]], self.estate_a.ids)
        data_b = self.Cockpit.with_user(self.user_frontdesk).get_cockpit_data(estate_ids=self.estate_b.ids)
        self.assertEqual(data_b["workorders"]["total"], 0)
        self.assertEqual(data_b["heatmap"]["cells"], {})
        # the accountant of estate A: arrears of estate A only
        arrears = self.Cockpit.with_user(self.user_accountant).get_cockpit_data()["arrears"]
        self.assertEqual({e["id"] for e in arrears["by_estate"]}, set(self.estate_a.ids))
        # and the list behind a figure is filtered by the same rules
        action = self.Cockpit.with_user(self.user_frontdesk).open_figure(
            "workorders", estate_ids=self.estate_b.ids
        )
        self.assertFalse(self.Request.with_user(self.user_frontdesk).search(action["domain"]))

    def test_manager_of_other_company_sees_only_it(self):
        _company, estate, manager = self.make_manager_of_other_company()
        data = self.Cockpit.with_user(manager).get_cockpit_data()
        self.assertEqual([e["id"] for e in data["estates"]], estate.ids)
        self.assertEqual(data["workorders"]["total"], 1)
        self.assertEqual(data["arrears"]["total"], 0.0)
        self.assertIsNone(data["collection"]["rate"])
        self.assertEqual(data["alarms"]["security"]["total"], 0)
        # asking for the first company's estates gives nothing of them
        foreign = self.Cockpit.with_user(manager).get_cockpit_data(estate_ids=self.estates.ids)
        self.assertEqual(foreign["workorders"]["total"], 0)
        self.assertEqual(foreign["arrears"]["by_estate"], [])
        self.assertEqual(foreign["energy"]["rows"][0]["consumption"], 0.0)
        # and the first company's manager does not see the second company's work order
        self.assertNotIn(estate.id, [e["id"] for e in self.data_of(self.user_manager)["estates"]])

    def data_of(self, user):
        return self.Cockpit.with_user(user).get_cockpit_data()
