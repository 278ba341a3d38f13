import time

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import NOW, WorkorderCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestDispatch(WorkorderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        night = cls.env["resource.calendar"].create(
            {
                "name": "夜班",
                "tz": "UTC",
                "attendance_ids": [
                    (0, 0, {"name": "Night", "dayofweek": str(d), "hour_from": 20, "hour_to": 23.99})
                    for d in range(7)
                ],
            }
        )
        cls.plumber_night = cls._make_technician("夜班水工", [cls.cat_plumbing], calendar=night)
        cls.plumber_2 = cls._make_technician("赵师傅", [cls.cat_plumbing])

    def test_skill_decides(self):
        self._check_in(self.plumber)
        self._check_in(self.electrician)
        request = self._request(category_id=self.cat_electrical.id, description="客厅插座没电")
        request._dispatch_auto()
        self.assertEqual(request.technician_id, self.electrician)
        self.assertEqual((request.state, request.dispatch_mode), ("assigned", "auto"))
        self.assertIn("skill 40", request.dispatch_explanation)

    def test_shift_and_presence_decide(self):
        # plumber_night is off shift; plumber_2 is on shift but not checked in; plumber is both
        self._check_in(self.plumber)
        request = self._request()
        request._dispatch_auto()
        self.assertEqual(request.technician_id, self.plumber)
        self.assertIn("on shift, checked in", request.dispatch_explanation)
        self.assertIn("Runner-up", request.dispatch_explanation)
        context = self.env["property.request"]._prepare_dispatch_context(self.company)
        by_id = {t["id"]: t for t in context["technicians"]}
        self.assertFalse(by_id[self.plumber_night.id]["on_shift"])
        self.assertTrue(by_id[self.plumber_2.id]["on_shift"])
        self.assertFalse(by_id[self.plumber_2.id]["present"])

    def test_workload_decides(self):
        self._check_in(self.plumber)
        self._check_in(self.plumber_2)
        busy = self._request(technician_id=self.plumber.id)
        busy.action_assign()
        busy_2 = self._request(technician_id=self.plumber.id)
        busy_2.action_assign()
        request = self._request()
        request._dispatch_auto()
        self.assertEqual(request.technician_id, self.plumber_2)
        self.assertIn("0 open", request.dispatch_explanation)

    def test_batch_spreads_the_load(self):
        self._check_in(self.plumber)
        self._check_in(self.plumber_2)
        requests = self.env["property.request"]
        for _i in range(4):
            requests |= self._request()
        requests._dispatch_auto()
        counts = {
            t: len(requests.filtered(lambda r, t=t: r.technician_id == t)) for t in requests.technician_id
        }
        self.assertEqual(sorted(counts.values()), [2, 2])

    def test_distance_when_estate_not_served(self):
        # neither serves the far estate: the one whose last check-in is nearer wins
        self._check_in(self.plumber, latitude=31.30, longitude=121.60)
        self._check_in(self.plumber_2, latitude=31.10, longitude=121.30)
        request = self._request(estate_id=self.estate_far.id, unit_id=False, common_area="大门")
        request._dispatch_auto()
        self.assertEqual(request.technician_id, self.plumber)
        self.assertIn("km away", request.dispatch_explanation)

    def test_auto_mode_on_create(self):
        self._check_in(self.plumber)
        request = self._request(dispatch_mode="auto")
        self.assertEqual(request.state, "assigned")
        self.assertTrue(request.dispatch_explanation)

    def test_grab_is_exclusive(self):
        request = self._request()
        request.action_put_in_pool()
        pooled = request.with_user(self.tech_user_1)
        pooled.action_grab()
        self.assertEqual((request.state, request.technician_id), ("assigned", self.plumber))
        self.assertEqual(request.technician_user_id, self.tech_user_1)
        with self.assertRaises(UserError):
            request.with_user(self.tech_user_2).action_grab()
        self.assertEqual(request.technician_id, self.plumber)

    def test_context_queries_do_not_grow_with_technicians(self):
        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["property.request"]._prepare_dispatch_context(self.company)
            return self.env.cr.sql_log_count - before

        few = count_queries()
        for i in range(20):
            self._make_technician(f"技师{i:02d}", [self.cat_plumbing, self.cat_electrical])
        self.assertLessEqual(count_queries(), few + 2)

    def test_batch_decision_speed(self):
        """Decision time for a batch (the bench measures 1,000 requests and 200 technicians)."""
        requests = self.env["property.request"]
        for _i in range(50):
            requests |= self._request()
        start = time.perf_counter()
        context = requests._prepare_dispatch_context(self.company)
        choices = requests._choose_technicians(context)
        elapsed = time.perf_counter() - start
        self.assertEqual(len(choices), 50)
        self.assertLess(elapsed / 50, 0.05)
