import math
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .property_equipment_counter_reading import COUNTER_TYPES

TRIGGER_TYPES = [
    ("time", "Time"),
    ("usage", "Usage"),
    ("age", "Age"),
]
USAGE_RATE_DAYS = 30


class MaintenancePlan(models.Model):
    """OCA's maintenance plan, triggered by time (OCA's interval), by usage (a counter of the
    equipment) or by age (years since installation). Requests are generated ``lead_days``
    before their due date, never twice for the same due date."""

    _inherit = "maintenance.plan"

    trigger_type = fields.Selection(
        TRIGGER_TYPES, string="Trigger", required=True, default="time", tracking=True
    )
    lead_days = fields.Integer(
        default=7,
        tracking=True,
        help="Requests are generated this many days before their due date.",
    )
    counter_type = fields.Selection(COUNTER_TYPES, string="Counter")
    usage_interval = fields.Float(
        string="Every (counter units)", digits=(16, 2), help="e.g. every 500 running hours or 10000 cycles."
    )
    usage_start = fields.Float(
        string="Counter Start", digits=(16, 2), help="Counter value from which the usage interval is counted."
    )
    age_years = fields.Integer(
        string="Every (years since installation)", help="e.g. an overhaul every 15 years."
    )
    checklist_line_ids = fields.One2many(
        "property.plan.checklist.line", "plan_id", string="Checklist", copy=True
    )
    estate_id = fields.Many2one(related="equipment_id.estate_id", store=True, index=True)
    next_due_usage = fields.Float(compute="_compute_next_maintenance", store=True, digits=(16, 2))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._sync_oca_horizon(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._sync_oca_horizon(vals)
        return super().write(vals)

    @api.model
    def _sync_oca_horizon(self, vals):
        # OCA creates time-based requests up to a planning horizon: our lead days are that horizon.
        if "lead_days" in vals:
            vals.update({"maintenance_plan_horizon": vals["lead_days"], "planning_step": "day"})
        elif "maintenance_plan_horizon" not in vals and not self:
            vals.update(
                {"maintenance_plan_horizon": self._fields["lead_days"].default(self), "planning_step": "day"}
            )

    @api.constrains(
        "trigger_type", "counter_type", "usage_interval", "age_years", "equipment_id", "lead_days"
    )
    def _check_trigger(self):
        for plan in self:
            if plan.lead_days < 0:
                raise ValidationError(self.env._("Lead days cannot be negative."))
            if plan.trigger_type == "usage" and (not plan.counter_type or plan.usage_interval <= 0):
                raise ValidationError(
                    self.env._("A usage plan needs a counter and a positive usage interval.")
                )
            if plan.trigger_type == "age" and plan.age_years <= 0:
                raise ValidationError(self.env._("An age plan needs a positive number of years."))
            if plan.trigger_type in ("usage", "age") and not plan.equipment_id:
                raise ValidationError(self.env._("Usage and age plans apply to one equipment."))

    @api.depends(
        "trigger_type",
        "usage_interval",
        "usage_start",
        "age_years",
        "equipment_id.install_date",
        "equipment_id.running_hours",
        "equipment_id.cycle_count",
    )
    def _compute_next_maintenance(self):
        time_plans = self.filtered(lambda p: p.trigger_type == "time")
        res = super(MaintenancePlan, time_plans)._compute_next_maintenance()
        for plan in self - time_plans:
            due = plan._get_next_due()
            plan.next_maintenance_date = due[0] if due else False
            plan.next_due_usage = due[1] if due else 0.0
        for plan in time_plans:
            plan.next_due_usage = 0.0
            if plan.interval <= 0:
                plan.next_maintenance_date = False
        return res

    def _get_generated_requests(self):
        self.ensure_one()
        return (
            self.env["maintenance.request"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [("maintenance_plan_id", "=", self.id), ("plan_due_date", "!=", False)], order="plan_due_date"
            )
        )

    def _get_next_due(self):
        """(due date, due counter value) of the next request of a usage or age plan, or None."""
        self.ensure_one()
        if not self.equipment_id or not self.id:
            return None
        if self.trigger_type == "usage":
            return self._get_next_usage_due()
        if self.trigger_type == "age":
            return self._get_next_age_due()
        return None

    def _get_next_age_due(self):
        start = self.equipment_id.install_date
        if not start or self.age_years <= 0:
            return None
        requests = self._get_generated_requests()
        last = requests[-1:].plan_due_date
        today = fields.Date.context_today(self)
        horizon = today + relativedelta(days=self.lead_days)
        k = 1
        due = start + relativedelta(years=self.age_years)
        # skip due dates already covered, and missed ones: only the latest one that is due counts
        while (last and due <= last) or start + relativedelta(years=self.age_years * (k + 1)) <= horizon:
            k += 1
            due = start + relativedelta(years=self.age_years * k)
        return due, 0.0

    def _get_next_usage_due(self):
        equipment = self.equipment_id
        current = equipment._get_counter_value(self.counter_type)
        requests = self._get_generated_requests()
        last_usage = max(requests.mapped("plan_due_usage"), default=self.usage_start)
        base = max(last_usage, self.usage_start)
        due_usage = base + self.usage_interval
        if current >= due_usage:
            # counter jumped past several thresholds: one request for the latest one reached
            due_usage = base + math.floor((current - base) / self.usage_interval) * self.usage_interval
        today = fields.Date.context_today(self)
        if current >= due_usage:
            return today, due_usage
        rate = self._get_daily_usage_rate()
        if not rate:
            return None
        return today + timedelta(days=math.ceil((due_usage - current) / rate)), due_usage

    def _get_daily_usage_rate(self):
        """Counter units per day over the last 30 days of readings (0 without two readings)."""
        since = fields.Datetime.now() - timedelta(days=USAGE_RATE_DAYS)
        readings = (
            self.env["property.equipment.counter.reading"]
            .sudo()
            .search(
                [
                    ("equipment_id", "=", self.equipment_id.id),
                    ("counter_type", "=", self.counter_type),
                    ("date", ">=", since),
                ],
                order="date, id",
            )
        )
        if len(readings) < 2:
            return 0.0
        days = (readings[-1].date - readings[0].date).total_seconds() / 86400.0
        if days <= 0:
            return 0.0
        return max(readings[-1].value - readings[0].value, 0.0) / days

    def button_manual_request_generation(self):
        for plan in self:
            plan.equipment_id._create_new_request(plan)
        return True
