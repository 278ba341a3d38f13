import re
import time
from unittest.mock import patch

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

    def test_explanation_shows_the_score_that_chose(self):
        """The total and the points written out are those the choice compared (one scoring
        function): scores from distance and workload, not round numbers, on every side."""
        Request = self.env["property.request"]
        busy = self._request(technician_id=self.plumber.id)
        busy.action_assign()
        # the far estate (31.30, 121.60) is served by none: location comes from the distance
        self._check_in(self.plumber, latitude=31.28, longitude=121.58)  # on shift, about 2.9 km
        self._check_in(self.plumber_night, latitude=31.25, longitude=121.55)  # off shift, about 7.3 km
        request = self._request(estate_id=self.estate_far.id, unit_id=False, common_area="大门")
        scored = {}
        score_technician = Request._score_technician

        def spy(tech, load, *args):
            result = score_technician(tech, load, *args)
            scored[tech["id"]] = result[0]
            return result

        with patch.object(type(Request), "_score_technician", staticmethod(spy)):
            request._dispatch_auto()
        ranking = sorted(scored, key=scored.get, reverse=True)
        self.assertEqual(len(ranking), 3, "the three plumbers were scored")
        self.assertEqual(request.technician_id.id, ranking[0])
        self.assertEqual(request.technician_id, self.plumber)
        explanation = request.dispatch_explanation
        written, runner_up = re.search(
            r"= ([\d.]+) points\. Runner-up: .*, ([\d.]+) points\.", explanation
        ).groups()
        self.assertEqual(float(written), round(scored[ranking[0]], 1))
        self.assertEqual(float(runner_up), round(scored[ranking[1]], 1))
        # the parts add up to the total written
        parts = re.findall(r"(?:skill|shift|workload|location) ([\d.]+)", explanation.split(" = ")[0])
        self.assertEqual(len(parts), 4)
        self.assertAlmostEqual(sum(float(p) for p in parts), float(written), places=6)
        location = float(parts[3])
        self.assertTrue(0 < location < 10 and location != int(location), explanation)
        self.assertIn("workload 16.0 (1 open)", explanation)

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
