import logging
from datetime import date, timedelta

from odoo.tests import freeze_time, tagged

from odoo.addons.property_iot.services import failure_model

from .common import NOW, IotTestCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestFailurePrediction(IotTestCommon):
    def test_held_out_precision_recall(self):
        """Trained on the first 16 months of the shipped data set, evaluated on the last 8."""
        metrics = failure_model.evaluate()
        _logger.info(
            "elevator fault model on the held-out period: precision %.3f, recall %.3f, ROC AUC %.3f "
            "(%s test rows, %s positives, base rate %.3f)",
            metrics["precision"],
            metrics["recall"],
            metrics["roc_auc"],
            metrics["test_rows"],
            metrics["test_positives"],
            metrics["base_rate"],
        )
        self.assertGreater(metrics["test_rows"], 3000)
        self.assertGreater(metrics["test_positives"], 100)
        # at least three times the base rate, and more than half of the faults caught
        self.assertGreater(metrics["precision"], 3 * metrics["base_rate"])
        self.assertGreater(metrics["precision"], 0.2)
        self.assertGreater(metrics["recall"], 0.45)
        self.assertGreater(metrics["roc_auc"], 0.72)

    def test_score_elevators_and_suggest_maintenance(self):
        healthy = self.env["maintenance.equipment"].create(
            {"name": "3号楼2号电梯", "effective_date": date(2026, 2, 20)}
        )
        healthy_controller = self.env["property.iot.device"].create(
            {
                "name": "2号电梯控制器",
                "identifier": "t-elev-2",
                "kind": "elevator_controller",
                "estate_id": self.estate_a.id,
                "equipment_id": healthy.id,
            }
        )
        self.elevator.effective_date = date(2008, 1, 1)
        messages = []
        for hour in range(0, 24 * 7, 2):
            ts = NOW - timedelta(hours=hour)
            worn = 1.9 + 0.1 * (hour % 3)
            messages.append(
                self.telemetry(
                    self.controller,
                    {"vibration": worn, "motor_temp": 58.0, "cycles": 900000 - hour * 40},
                    ts=ts,
                )
            )
            messages.append(
                self.telemetry(
                    healthy_controller,
                    {"vibration": 0.65, "motor_temp": 43.0, "cycles": 10000 - hour * 20},
                    ts=ts,
                )
            )
        for day in (2, 9, 16):
            messages.append(
                self.message(
                    self.controller, "event", event="fault", active=True, ts=NOW - timedelta(days=day)
                )
            )
        self.ingest(*messages)
        with freeze_time(NOW):
            risks = self.env["property.iot.failure.risk"]._cron_score_elevators()
        by_equipment = {r.equipment_id: r for r in risks}
        worn_risk, healthy_risk = by_equipment[self.elevator], by_equipment[healthy]
        self.assertEqual(worn_risk.fault_count_30d, 3)
        self.assertEqual(worn_risk.door_cycles_7d, 40 * (24 * 7 - 2))
        self.assertAlmostEqual(worn_risk.vibration_max_7d, 2.1)
        self.assertEqual(worn_risk.risk_level, "high")
        self.assertGreater(worn_risk.score, healthy_risk.score)
        self.assertEqual(healthy_risk.risk_level, "low")
        request = worn_risk.request_id
        self.assertEqual((request.equipment_id, request.maintenance_type), (self.elevator, "preventive"))
        self.assertFalse(healthy_risk.request_id)
        self.assertEqual(self.elevator.iot_risk_level, "high")
        # scoring again the same day replaces the scores and reuses the open request
        with freeze_time(NOW):
            again = self.env["property.iot.failure.risk"]._cron_score_elevators()
        self.assertEqual(again.filtered(lambda r: r.equipment_id == self.elevator).request_id, request)
        self.assertEqual(
            self.env["property.iot.failure.risk"].search_count([("equipment_id", "=", self.elevator.id)]), 1
        )
        self.assertEqual(
            self.env["maintenance.request"].search_count([("equipment_id", "=", self.elevator.id)]), 1
        )
