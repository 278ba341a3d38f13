from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import fields, models

LINE_STATUSES = [("late", "Late"), ("absent", "Absent"), ("on_time", "On Time")]


class PropertyAttendanceReportWizard(models.TransientModel):
    """Late arrivals and absences against the shift schedule (resource calendar)."""

    _name = "property.attendance.report.wizard"
    _description = "Late Arrivals and Absences"

    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=7)
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    team_id = fields.Many2one("property.service.team")
    estate_id = fields.Many2one("property.estate")
    tolerance_minutes = fields.Integer(
        default=5, help="Arrivals up to this many minutes after the shift start are on time."
    )
    line_ids = fields.One2many("property.attendance.report.line", "wizard_id", string="Lines")

    def _get_employees(self):
        domain = [("is_property_technician", "=", True)]
        if self.team_id:
            domain.append(("property_team_id", "=", self.team_id.id))
        if self.estate_id:
            domain += [
                "|",
                ("property_team_id.estate_id", "=", self.estate_id.id),
                ("property_estate_ids", "in", self.estate_id.ids),
            ]
        return self.env["hr.employee"].sudo().search(domain)

    def _compute_lines(self):
        """Values of the report lines: one per employee and scheduled day that was late or absent."""
        self.ensure_one()
        employees = self._get_employees()
        start = pytz.utc.localize(datetime.combine(self.date_from, time.min)) - timedelta(days=1)
        end = pytz.utc.localize(datetime.combine(self.date_to, time.max)) + timedelta(days=1)
        attendances = defaultdict(list)
        for att in (
            self.env["hr.attendance"]
            .sudo()
            .search_read(
                [
                    ("employee_id", "in", employees.ids),
                    ("check_in", ">=", start.replace(tzinfo=None)),
                    ("check_in", "<=", end.replace(tzinfo=None)),
                ],
                ["employee_id", "check_in"],
            )
        ):
            attendances[att["employee_id"][0]].append(pytz.utc.localize(att["check_in"]))
        by_calendar = defaultdict(lambda: self.env["hr.employee"])
        for employee in employees:
            calendar = employee._get_property_calendar()
            if calendar:
                by_calendar[calendar] |= employee
        tolerance = timedelta(minutes=self.tolerance_minutes)
        values = []
        for calendar, members in by_calendar.items():
            intervals = calendar._attendance_intervals_batch(start, end, resources=members.resource_id)
            for employee in members:
                tz = pytz.timezone(employee.tz or calendar.tz or "UTC")
                first_start = {}
                for begin, _stop, _meta in intervals.get(employee.resource_id.id, []):
                    day = begin.astimezone(tz).date()
                    if self.date_from <= day <= self.date_to and (
                        day not in first_start or begin < first_start[day]
                    ):
                        first_start[day] = begin
                arrivals = defaultdict(list)
                for check_in in attendances.get(employee.id, []):
                    arrivals[check_in.astimezone(tz).date()].append(check_in)
                for day, planned in sorted(first_start.items()):
                    if not arrivals.get(day):
                        status, late = "absent", 0.0
                    else:
                        first = min(arrivals[day])
                        late = max(0.0, (first - planned).total_seconds() / 60)
                        status = "late" if first > planned + tolerance else "on_time"
                    if status == "on_time":
                        continue
                    values.append(
                        {
                            "employee_id": employee.id,
                            "date": day,
                            "planned_start": planned.astimezone(pytz.utc).replace(tzinfo=None),
                            "first_check_in": min(arrivals[day]).replace(tzinfo=None)
                            if arrivals.get(day)
                            else False,
                            "late_minutes": round(late),
                            "status": status,
                        }
                    )
        return values

    def action_compute(self):
        self.ensure_one()
        self.line_ids = [fields.Command.clear()] + [fields.Command.create(v) for v in self._compute_lines()]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class PropertyAttendanceReportLine(models.TransientModel):
    _name = "property.attendance.report.line"
    _description = "Late Arrival or Absence"
    _order = "date, employee_id"

    wizard_id = fields.Many2one("property.attendance.report.wizard", required=True, ondelete="cascade")
    employee_id = fields.Many2one("hr.employee", required=True)
    date = fields.Date(required=True)
    planned_start = fields.Datetime()
    first_check_in = fields.Datetime()
    late_minutes = fields.Integer()
    status = fields.Selection(LINE_STATUSES, required=True)
