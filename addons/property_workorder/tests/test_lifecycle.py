from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import NOW, WorkorderCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestLifecycle(WorkorderCase):
    def _reason(self, requests, action, reason, pause_reason="parts"):
        wizard = (
            self.env["property.request.reason.wizard"]
            .with_context(default_request_ids=requests.ids, default_action=action)
            .create({"reason": reason, "pause_reason": pause_reason})
        )
        return wizard.action_confirm()

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written when the transaction commits

    def test_full_lifecycle(self):
        request = self._request(technician_id=self.plumber.id)
        self.assertEqual(request.state, "new")
        self.assertTrue(request.name.startswith("BX"))
        request.action_assign()
        self._flush_tracking()
        self.assertEqual((request.state, request.dispatch_mode), ("assigned", "manual"))
        request.action_accept()
        self._flush_tracking()
        self.assertEqual(request.state, "accepted")
        request.action_check_in(latitude=31.2305, longitude=121.4738)
        self._flush_tracking()
        self.assertEqual(request.state, "in_progress")
        self.assertLess(request.checkin_distance_m, 50)
        self._reason(request, "pause", "等配件：角阀缺货", pause_reason="parts")
        self._flush_tracking()
        self.assertEqual((request.state, request.pause_reason), ("paused", "parts"))
        request.action_resume()
        self._flush_tracking()
        self.assertEqual(request.state, "in_progress")
        request.action_done()
        self._flush_tracking()
        self.assertEqual(request.state, "done")
        request.action_resident_confirm()
        self._flush_tracking()
        self.assertEqual(request.state, "followup")
        self.assertTrue(request.is_resident_confirmed)
        with self.assertRaises(UserError):
            request.action_close()  # the follow-up call is not recorded yet
        request.write({"rating": "5", "followup_note": "业主很满意"})
        request.action_record_followup()
        self._flush_tracking()
        request.action_close()
        self._flush_tracking()
        self.assertEqual(request.state, "closed")
        self.assertFalse(request.complaint_id)
        tracked = request.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertGreaterEqual(len(tracked), 7, "every state change is tracked in the chatter")

    def test_guards(self):
        request = self._request()
        for method in (
            "action_accept",
            "action_start",
            "action_done",
            "action_resume",
            "action_resident_confirm",
            "action_close",
            "action_record_followup",
        ):
            with self.subTest(method=method), self.assertRaises(UserError):
                getattr(request, method)()
        with self.assertRaises(UserError):
            request.action_assign()  # no technician chosen
        with self.assertRaises(UserError):
            request.action_reject_wizard()
        with self.assertRaises(UserError):
            request._action_pause("parts", "")  # not in a pausable state
        request.write({"technician_id": self.plumber.id})
        request.action_assign()
        with self.assertRaises(UserError):
            request._action_pause("parts", "")  # no reason
        with self.assertRaises(UserError):
            request._action_cancel("")

    def test_cancel_needs_reason_and_is_final(self):
        request = self._request()
        self._reason(request, "cancel", "业主自行修好了")
        self.assertEqual((request.state, request.state_reason), ("cancelled", "业主自行修好了"))
        self.assertIn("业主自行修好了", request.message_ids[0].body)
        with self.assertRaises(UserError):
            request.action_dispatch_auto()

    def test_reopen_when_resident_rejects(self):
        request = self._request(technician_id=self.plumber.id)
        request.action_assign()
        request.action_check_in()
        request.action_done()
        self._reason(request, "reject", "还在漏水")
        self.assertEqual((request.state, request.reopen_count), ("accepted", 1))
        self.assertFalse(request.done_date)
        request.action_start()
        request.action_done()
        self.assertEqual(request.state, "done")

    def test_low_rating_opens_complaint(self):
        request = self._request(technician_id=self.plumber.id)
        request.action_assign()
        request.action_check_in()
        request.action_done()
        request.action_resident_confirm()
        request.write({"rating": "2", "rating_comment": "师傅迟到一个小时"})
        complaint = request.complaint_id
        self.assertTrue(complaint)
        self.assertEqual(complaint.source, "complaint")
        self.assertEqual(complaint.category_id, self.cat_complaint)
        self.assertEqual(complaint.parent_id, request)
        self.assertEqual(complaint.unit_id, self.unit_a)
        request.write({"rating": "1"})
        self.assertEqual(
            self.env["property.request"].search_count([("parent_id", "=", request.id)]),
            1,
            "only one complaint",
        )

    def test_create_from_source(self):
        request = self.env["property.request"]._create_from_source(
            "iot", {"description": "2号楼水泵房水浸报警", "estate_id": self.estate.id, "origin": "IOT-001"}
        )
        self.assertEqual((request.source, request.origin), ("iot", "IOT-001"))
        with self.assertRaises(UserError):
            self.env["property.request"]._create_from_source(
                "fax", {"description": "x", "estate_id": self.estate.id}
            )

    def test_portal_create_checks_household(self):
        Request = self.env["property.request"]
        request = Request._portal_create_request(
            self.resident,
            {"unit_id": self.unit_a.id, "description": "卫生间地漏堵了", "technician_id": self.plumber.id},
        )
        self.assertEqual(
            (request.source, request.partner_id, request.unit_id), ("portal", self.resident, self.unit_a)
        )
        self.assertFalse(request.technician_id, "fields outside the portal whitelist are ignored")
        self.assertEqual(request.contact_phone, "13800138000")
        with self.assertRaises(AccessError):
            Request._portal_create_request(
                self.resident, {"unit_id": self.unit_b.id, "description": "隔壁漏水"}
            )

    def test_charge_resident_hook_on_confirmation(self):
        request = self._request(technician_id=self.plumber.id, is_paid_service=True, service_fee=80)
        request.action_assign()
        request.action_check_in()
        request.action_done()
        self.assertTrue(request._charge_resident())
        request.action_resident_confirm()
        self.assertEqual(request.state, "followup")
