from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from odoo.addons.property_security.tests.common import T0

from .common import SecurityWorkorderCommon


@tagged("post_install", "-at_install")
@freeze_time(T0)
class TestPatrolFinding(SecurityWorkorderCommon):
    def test_finding_that_needs_repair_becomes_work_order(self):
        run = self.patrol_run().with_user(self.user_guard)
        run._scan(self.cp1.token, at=datetime(2025, 3, 10, 0, 1))
        line = run._scan(
            self.cp3.token,
            finding="消防通道应急灯不亮",
            at=datetime(2025, 3, 10, 0, 21),
            needs_repair=True,
        )
        request = line.request_id
        self.assertTrue(request)
        self.assertTrue(line.needs_repair)
        self.assertEqual(
            (request.source, request.description, request.common_area, request.building_id),
            ("inspection", "消防通道应急灯不亮", "3号楼消防通道", self.building_a),
        )
        self.assertEqual(request.estate_id, self.estate_a)
        self.assertEqual(request.origin, line.run_id.display_name)
        # the finding raised an incident too; the work order follows it up
        self.assertTrue(line.incident_id)
        self.assertEqual(request.security_incident_id, line.incident_id)
        self.assertEqual(line.incident_id.request_ids, request)
        with self.assertRaises(UserError):
            line.action_create_request()

    def test_scan_wizard_and_later_request(self):
        run = self.patrol_run()
        wizard_model = self.env["property.security.patrol.scan.wizard"].with_user(self.user_guard)
        with freeze_time(datetime(2025, 3, 10, 0, 1)):
            wizard_model.create(
                {"run_id": run.id, "token": self.cp1.token, "finding": "岗亭门锁损坏", "needs_repair": True}
            ).action_scan()
        with freeze_time(datetime(2025, 3, 10, 0, 11)):
            wizard_model.create(
                {"run_id": run.id, "token": self.cp2.token, "finding": "车库有陌生人逗留"}
            ).action_scan()
        line1, line2, _line3 = run.line_ids.sorted("sequence")
        self.assertEqual(line1.request_id.description, "岗亭门锁损坏")
        self.assertEqual(line1.request_id.common_area, "北门岗亭")
        self.assertFalse(line2.request_id, "a finding that needs no repair raises an incident only")
        self.assertTrue(line2.incident_id)
        # the security leader decides afterwards it needs repair after all
        line2.with_user(self.user_guard).action_create_request()
        self.assertEqual(line2.request_id.security_incident_id, line2.incident_id)
        self.assertEqual(
            self.Request.search_count([("origin", "=", run.display_name), ("source", "=", "inspection")]), 2
        )

    def test_no_request_without_finding(self):
        run = self.patrol_run()
        line = run._scan(self.cp1.token, at=datetime(2025, 3, 10, 0, 1), needs_repair=True)
        self.assertFalse(line.request_id)
        with self.assertRaises(UserError):
            line.action_create_request()
