from datetime import timedelta
from unittest.mock import patch

from odoo import fields, http
from odoo.tests import HttpCase, tagged

from odoo.addons.bus.models.bus import channel_with_db, dispatch, hashable
from odoo.addons.bus.websocket import WebsocketConnectionHandler
from odoo.addons.web.controllers.home import Home

from .common import SecurityTestCommon

PASS_CODE = "TOURPASS0502"
CHECKPOINT_CODE = "TOURCHECKPOINT1"


@tagged("post_install", "-at_install")
class TestGuardTours(SecurityTestCommon, HttpCase):
    """The guard's shift on his phone (375 px), in Chinese, in headless Chromium."""

    browser_size = "375x812"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        self.use_chinese(self.user_guard, ["property_route", "property_security"])
        self.user_guard.tz = "Asia/Shanghai"
        # Odoo refuses websockets in tests; its own bus tests (bus/tests/common.py) allow them so
        self.startPatcher(patch.object(WebsocketConnectionHandler, "websocket_allowed", return_value=True))
        self._install_alarm_hook()

    def _install_alarm_hook(self):
        """A test-only route (the way auth_totp's tests add theirs) through which the tour has an
        alarm raised server-side while the guard's web client is open: by the resident through
        the portal's entry point, or by a smoke detector through the IoT bridge's."""
        test = self

        def raise_alarm(controller, source):
            Alarm = http.request.env["property.security.alarm"]
            if source == "portal":
                alarm = Alarm.with_user(test.user_resident)._raise_from_portal(
                    test.owner, test.unit_a, "fire", note="厨房冒烟"
                )
            else:
                alarm = Alarm._raise_from_device(
                    {"device_kind": "smoke", "device_ref": "SMK-3-0502", "unit_id": test.unit_a.id}
                )
            # a test cursor drops the bus's post-commit NOTIFY: wake the websockets of the
            # alarm's recipients as it would (bus/tests/common.py trigger_notification_dispatching)
            http.request.env.cr.precommit.run()
            db = http.request.env.cr.dbname
            for partner in alarm._get_popup_recipients().partner_id:
                for websocket in dispatch._channels_to_ws.get(hashable(channel_with_db(db, partner)), ()):
                    websocket.trigger_notification_dispatching()
            return alarm.id

        raise_alarm.routing_type = "json"
        self.env.registry.clear_cache("routing")
        Home.property_security_test_raise_alarm = http.route(
            "/property_security/test/raise_alarm", type="json", auth="user"
        )(raise_alarm)

        @self.addCleanup
        def _cleanup():
            del Home.property_security_test_raise_alarm
            self.env.registry.clear_cache("routing")

    def test_tour_guard_journey(self):
        now = fields.Datetime.now()
        visitor = self.Visitor.create(
            {
                "name": "王先生",
                "unit_id": self.unit_a.id,
                "host_partner_id": self.owner.id,
                "visit_start": now - timedelta(hours=1),
                "visit_end": now + timedelta(hours=3),
            }
        )
        visitor.action_approve()
        visitor.sudo().pass_token = PASS_CODE
        route, checkpoint_1, _checkpoint_2, _checkpoint_3 = self.create_patrol_route("08:00")
        checkpoint_1.sudo().token = CHECKPOINT_CODE
        start = now - timedelta(minutes=1)
        run = self.env["property.route.run"].create(route._prepare_run_values(start.date(), start))

        action = self.env.ref("property_security.property_security_patrol_run_action")
        self.start_tour(f"/odoo/action-{action.id}", "property_guard_journey", login="t_guard")

        alarms = self.Alarm.search([("estate_id", "=", self.estate_a.id)], order="id")
        self.assertEqual(alarms.mapped("source"), ["portal", "device"])
        self.assertEqual(alarms[0].state, "acknowledged", "acknowledged from the popup")
        self.assertEqual(alarms[0].acknowledged_by_id, self.user_guard)
        self.assertEqual(alarms[1].state, "raised", "dismissing the popup acknowledges nothing")

        log = self.env["property.security.access.log"].search([("visitor_id", "=", visitor.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual((log.gate_id, log.credential, log.is_allowed), (self.gate_a, "qr", True))
        self.assertEqual(log.user_id, self.user_guard)
        self.assertEqual(visitor.use_count, 1)
        wizard = self.env["property.security.gate.check.wizard"].search(
            [("create_uid", "=", self.user_guard.id)]
        )
        self.assertEqual(wizard.result_unit, "翠湖花园 3号楼 0502")
        shanghai = (visitor.visit_start + timedelta(hours=8), visitor.visit_end + timedelta(hours=8))
        self.assertTrue(
            wizard.result_validity.startswith(f"{shanghai[0]:%Y-%m-%d %H:%M} – "), wizard.result_validity
        )
        self.assertIn(f"{shanghai[1]:%H:%M}", wizard.result_validity)

        line = run.line_ids.filtered(lambda ln: ln.checkpoint_id == checkpoint_1)
        self.assertEqual(line.state, "done")
        self.assertTrue(line.date_scanned)
        self.assertEqual(run.state, "in_progress")
        self.assertEqual(run.user_id, self.user_guard)
