import inspect
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import freeze_time, tagged

from .common import NOW, WorkorderCase


@tagged("post_install", "-at_install")
class TestSla(WorkorderCase):
    def _activities(self, request, user):
        return request.activity_ids.filtered(lambda a: a.user_id == user)

    @freeze_time(NOW)
    def test_wall_time_without_calendar(self):
        request = self._request()  # plumbing, normal: respond in 2 h, resolve in 24 h
        start = datetime(2024, 11, 25, 10, 0)
        self.assertEqual(request.response_deadline, start + timedelta(hours=2))
        self.assertEqual(request.resolution_deadline, start + timedelta(hours=24))

    @freeze_time("2024-11-29 16:00:00")
    def test_working_time_with_calendar(self):
        self.estate.service_calendar_id = self.calendar  # Mon–Fri 8–12, 13–17 UTC
        request = self._request()
        # 1 h left on Friday, the second hour on Monday morning
        self.assertEqual(request.response_deadline, datetime(2024, 12, 2, 9, 0))
        # 24 working hours: Fri 1 + Mon 8 + Tue 8 + Wed 7 (8–12, 13–16)
        self.assertEqual(request.resolution_deadline, datetime(2024, 12, 4, 16, 0))
        urgent = self._request(priority="3")  # plumbing, urgent: 0.5 h / 4 h
        self.assertEqual(urgent.response_deadline, datetime(2024, 11, 29, 16, 30))
        self.assertEqual(urgent.resolution_deadline, datetime(2024, 12, 2, 11, 0))

    def test_status_warning_and_escalation(self):
        Request = self.env["property.request"]
        with freeze_time(NOW):
            request = self._request(technician_id=self.plumber.id)
            request.action_assign()
            request.action_accept()
            self.assertEqual(request.sla_status, "on_track")
            Request._cron_check_sla()
            self.assertFalse(request.is_sla_warned)
        with freeze_time("2024-11-26 06:00:00"):  # 20 h in: past 80 % of 24 h
            request.invalidate_recordset(["sla_status"])
            self.assertEqual(request.sla_status, "at_risk")
            self.assertIn(request, Request.search([("sla_status", "=", "at_risk")]))
            Request._cron_check_sla()
            Request._cron_check_sla()
            self.assertTrue(request.is_sla_warned)
            self.assertEqual(len(self._activities(request, self.tech_user_1)), 1, "warned once")
        with freeze_time("2024-11-26 11:00:00"):  # deadline 10:00 passed
            request.invalidate_recordset(["sla_status"])
            self.assertEqual(request.sla_status, "breached")
            self.assertIn(request, Request.search([("sla_status", "=", "breached")]))
            self.assertNotIn(request, Request.search([("sla_status", "in", ("on_track", "at_risk"))]))
            Request._cron_check_sla()
            Request._cron_check_sla()
            self.assertEqual(request.escalation_level, "1")
            self.assertEqual(len(self._activities(request, self.leader)), 1, "team leader escalated once")
            self.assertFalse(self._activities(request, self.manager))
        with freeze_time("2024-11-26 13:30:00"):  # 2.5 h after the first escalation (delay 2 h)
            Request._cron_check_sla()
            Request._cron_check_sla()
            self.assertEqual(request.escalation_level, "2")
            self.assertEqual(len(self._activities(request, self.manager)), 1, "manager escalated once")
            self.assertEqual(len(self._activities(request, self.leader)), 1)

    def test_response_breach_and_met(self):
        with freeze_time(NOW):
            late = self._request()
            on_time = self._request(technician_id=self.plumber.id)
            on_time.action_assign()
            on_time.action_check_in()
        with freeze_time("2024-11-25 12:30:00"):  # 2.5 h: nobody accepted `late`
            late.invalidate_recordset(["sla_status"])
            self.assertEqual(late.sla_status, "breached")
            on_time.action_done()
            self.assertEqual(on_time.sla_status, "met")
            self.assertIn(on_time, self.env["property.request"].search([("sla_status", "=", "met")]))

    def test_escalation_not_starved_by_waiting_level_one(self):
        """More level-1 requests than one cron run takes, all inside the escalation delay, must
        not hide a new breach: the cron selects only the requests due for their next level."""
        Request = self.env["property.request"]
        batch = inspect.signature(Request._cron_check_sla).parameters["limit"].default
        with freeze_time(NOW):
            # urgent: 0.5 h to respond, breached at 10:30 and escalated to the leader at 14:30
            waiting = Request.with_context(tracking_disable=True).create(
                [
                    {
                        "description": "水管爆裂，水漫到走廊了",
                        "estate_id": self.estate.id,
                        "unit_id": self.unit_a.id,
                        "category_id": self.cat_plumbing.id,
                        "priority": "3",
                    }
                    for _i in range(batch + 1)
                ]
            )
            # low priority: 4 h to respond, nobody accepts it: breached at 14:00; it sorts after
            # all the urgent ones, so a batch of the first breached requests never reaches it
            new_breach = self._request(priority="0")
        waiting.with_context(tracking_disable=True).write(
            {"escalation_level": "1", "escalation_date": fields.Datetime.to_datetime("2024-11-25 14:30:00")}
        )
        with freeze_time("2024-11-25 15:00:00"):  # 30 min after the first escalation (delay 2 h)
            new_breach.invalidate_recordset(["sla_status"])
            self.assertEqual(new_breach.sla_status, "breached")
            self.assertEqual(
                len(Request.search([("id", "in", waiting.ids), ("sla_status", "=", "breached")])), batch + 1
            )
            Request._cron_check_sla()
        self.assertEqual(new_breach.escalation_level, "1")
        self.assertEqual(
            len(self._activities(new_breach, self.leader)), 1, "the new breach reached the leader"
        )
        self.assertEqual(set(waiting.mapped("escalation_level")), {"1"}, "not due yet: not escalated again")

    def test_full_batch_asks_for_another_run(self):
        Request = self.env["property.request"]
        cron = self.env.ref("property_workorder.ir_cron_property_request_sla")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        with freeze_time(NOW):
            first, second = self._request(), self._request()
        with freeze_time("2024-11-25 13:00:00"):  # 3 h: nobody accepted them
            Request._cron_check_sla(limit=1)
            self.assertEqual(sorted((first | second).mapped("escalation_level")), ["0", "1"])
            self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers)
            Request._cron_check_sla(limit=1)
            self.assertEqual((first | second).mapped("escalation_level"), ["1", "1"])
