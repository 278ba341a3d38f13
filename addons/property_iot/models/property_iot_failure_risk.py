from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..services import failure_model

RISK_LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class PropertyIotFailureRisk(models.Model):
    """The daily fault-risk score of an elevator (see ``services/failure_model.py``)."""

    _name = "property.iot.failure.risk"
    _description = "Elevator Fault Risk"
    _order = "date desc, score desc, id"
    _check_company_auto = True

    date = fields.Date(required=True, index=True)
    equipment_id = fields.Many2one("maintenance.equipment", required=True, index=True, ondelete="cascade")
    device_id = fields.Many2one("property.iot.device", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="device_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="device_id.estate_id", store=True, index=True)
    score = fields.Float(digits=(4, 3), aggregator="max", help="Risk of a fault in the next 7 days.")
    risk_level = fields.Selection(RISK_LEVELS, required=True)
    door_cycles_7d = fields.Integer(string="Door Cycles (7 d)")
    fault_count_30d = fields.Integer(string="Faults (30 d)")
    days_since_maintenance = fields.Integer()
    vibration_mean_7d = fields.Float(string="Vibration Mean (7 d)", digits=(8, 3))
    vibration_max_7d = fields.Float(string="Vibration Max (7 d)", digits=(8, 3))
    motor_temp_mean_7d = fields.Float(string="Motor Temperature (7 d)", digits=(8, 2))
    age_years = fields.Float(string="Age (years)", digits=(6, 1))
    model_version = fields.Char(readonly=True)
    request_id = fields.Many2one("maintenance.request", string="Suggested Maintenance", ondelete="set null")

    _sql_constraints = [
        ("equipment_date_uniq", "unique(equipment_id, date)", "One risk score per equipment and day."),
    ]

    @api.model
    def _compute_features(self, devices, now):
        """Features of each elevator controller's equipment at ``now``, in one query for the
        telemetry and one read_group for the maintenance history."""
        self.env.cr.execute(
            SQL(
                """SELECT device_id,
                          max(value) FILTER (WHERE metric = 'cycles' AND ts >= %(d7)s)
                            - min(value) FILTER (WHERE metric = 'cycles' AND ts >= %(d7)s),
                          count(*) FILTER (WHERE msg_type = 'event' AND metric = 'fault' AND value > 0),
                          avg(value) FILTER (WHERE metric = 'vibration' AND ts >= %(d7)s),
                          max(value) FILTER (WHERE metric = 'vibration' AND ts >= %(d7)s),
                          avg(value) FILTER (WHERE metric = 'motor_temp' AND ts >= %(d7)s)
                     FROM property_iot_reading
                    WHERE device_id = ANY(%(ids)s) AND ts >= %(d30)s AND ts <= %(now)s
                    GROUP BY device_id""",
                ids=devices.ids,
                d7=now - timedelta(days=7),
                d30=now - timedelta(days=30),
                now=now,
            )
        )
        telemetry = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        Request = self.env["maintenance.request"].sudo()
        last_done = dict(
            Request._read_group(
                [("equipment_id", "in", devices.equipment_id.ids), ("stage_id.done", "=", True)],
                ["equipment_id"],
                ["close_date:max"],
            )
        )
        features = {}
        for device in devices:
            equipment = device.equipment_id
            cycles, faults, vib_mean, vib_max, temp = telemetry.get(device.id, (0, 0, 0, 0, 0))
            reference = last_done.get(equipment) or equipment.effective_date or device.create_date.date()
            started = equipment.effective_date or device.create_date.date()
            features[device] = {
                "door_cycles_7d": int(cycles or 0),
                "fault_count_30d": int(faults or 0),
                "days_since_maintenance": min(365, max(0, (now.date() - reference).days)),
                "vibration_mean_7d": vib_mean or 0.0,
                "vibration_max_7d": vib_max or 0.0,
                "motor_temp_mean_7d": temp or 0.0,
                "age_years": max(0.0, (now.date() - started).days / 365.25),
            }
        return features

    @api.model
    def _cron_score_elevators(self, now=None):
        """Score every elevator controller with telemetry; suggest a preventive request for the
        high-risk ones that have no open preventive request. Idempotent per day."""
        now = now or fields.Datetime.now()
        devices = (
            self.env["property.iot.device"]
            .sudo()
            .search([("kind", "=", "elevator_controller"), ("equipment_id", "!=", False)])
        )
        if not devices:
            return self.browse()
        features = self._compute_features(devices, now)
        scores = failure_model.score(list(features.values()))
        today = now.date()
        self.sudo().search([("date", "=", today), ("device_id", "in", devices.ids)]).unlink()
        vals_list = []
        for (device, values), value in zip(features.items(), scores, strict=True):
            vals_list.append(
                {
                    "date": today,
                    "equipment_id": device.equipment_id.id,
                    "device_id": device.id,
                    "score": value,
                    "risk_level": failure_model.risk_level(value),
                    "model_version": failure_model.MODEL_VERSION,
                    **values,
                }
            )
        risks = self.sudo().create(vals_list)
        for risk in risks:
            risk.equipment_id.write(
                {"iot_risk_score": risk.score, "iot_risk_level": risk.risk_level, "iot_risk_date": today}
            )
        risks.filtered(lambda r: r.risk_level == "high")._suggest_preventive_requests()
        return risks

    def _suggest_preventive_requests(self):
        Request = (
            self.env["maintenance.request"].sudo().with_context(tracking_disable=True, mail_create_nolog=True)
        )
        open_requests = Request.search(
            [
                ("equipment_id", "in", self.equipment_id.ids),
                ("maintenance_type", "=", "preventive"),
                ("stage_id.done", "=", False),
                ("archive", "=", False),
            ]
        )
        by_equipment = {r.equipment_id: r for r in open_requests}
        for risk in self:
            request = by_equipment.get(risk.equipment_id)
            if not request:
                company = risk.equipment_id.company_id or risk.company_id
                env = risk.with_context(lang=company._property_lang()).env
                request = Request.create(
                    {
                        "name": env._("Predicted fault risk: %s", risk.equipment_id.name),
                        "equipment_id": risk.equipment_id.id,
                        "maintenance_type": "preventive",
                        "schedule_date": fields.Datetime.now() + timedelta(days=1),
                        "company_id": risk.equipment_id.company_id.id or risk.company_id.id,
                        "description": env._(
                            "Fault risk in the next 7 days: %(score)s. Vibration %(vib)s mm/s (max %(vmax)s), "
                            "%(faults)s faults in 30 days, %(days)s days since the last maintenance.",
                            score=round(risk.score, 2),
                            vib=round(risk.vibration_mean_7d, 2),
                            vmax=round(risk.vibration_max_7d, 2),
                            faults=risk.fault_count_30d,
                            days=risk.days_since_maintenance,
                        ),
                    }
                )
                by_equipment[risk.equipment_id] = request
            risk.request_id = request
        return True
