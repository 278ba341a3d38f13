"""SLA of service requests: response and resolution deadlines (in the estate's working time),
the status (on track, at risk, breached, met) and the cron that warns before a breach and
escalates after it. The SLA lines per category and priority are property.request.sla."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .property_request import ACTIVE_STATES

SLA_STATUSES = [
    ("none", "No SLA"),
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]


# property.request split by concern: one class per file on purpose (property_request.py's docstring)
class PropertyRequest(models.Model):
    _inherit = "property.request"  # pylint: disable=consider-merging-classes-inherited

    response_deadline = fields.Datetime(compute="_compute_sla_deadlines", store=True, copy=False)
    resolution_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, copy=False, index=True
    )
    sla_warning_date = fields.Datetime(compute="_compute_sla_deadlines", store=True, copy=False)
    is_resolved_late = fields.Boolean(compute="_compute_is_resolved_late", store=True)
    sla_status = fields.Selection(
        SLA_STATUSES, compute="_compute_sla_status", search="_search_sla_status", string="SLA"
    )
    is_sla_warned = fields.Boolean(readonly=True, copy=False)
    escalation_level = fields.Selection(
        [("0", "None"), ("1", "Team Leader"), ("2", "Manager")],
        default="0",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    escalation_date = fields.Datetime(readonly=True, copy=False)

    def _get_sla_line(self):
        self.ensure_one()
        return self.category_id.sla_ids.filtered(lambda s: s.priority == self.priority)[:1]

    @api.depends("category_id", "priority", "request_date", "estate_id.service_calendar_id")
    def _compute_sla_deadlines(self):
        for request in self:
            if not request.category_id or not request.request_date:
                request.response_deadline = request.resolution_deadline = request.sla_warning_date = False
                continue
            sla = request._get_sla_line()
            response = sla.response_hours if sla else request.category_id.response_hours
            resolution = sla.resolution_hours if sla else request.category_id.resolution_hours
            ratio = (sla.warning_ratio if sla else 80.0) / 100.0
            start = request.request_date
            calendar = request.estate_id.service_calendar_id
            request.response_deadline = request._plan_working_hours(calendar, start, response)
            request.resolution_deadline = request._plan_working_hours(calendar, start, resolution)
            request.sla_warning_date = request._plan_working_hours(calendar, start, resolution * ratio)

    @api.model
    def _plan_working_hours(self, calendar, start, hours):
        """``start`` + ``hours`` of working time of ``calendar`` (wall time without one)."""
        if not hours:
            return False
        if calendar:
            return calendar.plan_hours(hours, start, compute_leaves=True) or False
        return start + timedelta(hours=hours)

    @api.depends("done_date", "resolution_deadline")
    def _compute_is_resolved_late(self):
        for request in self:
            request.is_resolved_late = bool(
                request.done_date
                and request.resolution_deadline
                and request.done_date > request.resolution_deadline
            )

    @api.depends(
        "state", "done_date", "accepted_date", "resolution_deadline", "response_deadline", "sla_warning_date"
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for request in self:
            request.sla_status = request._get_sla_status(now)

    def _get_sla_status(self, now):
        self.ensure_one()
        if self.state == "cancelled" or not self.resolution_deadline:
            return "none"
        if self.done_date:
            return "breached" if self.is_resolved_late else "met"
        response_late = not self.accepted_date and self.response_deadline and now > self.response_deadline
        if response_late or now > self.resolution_deadline:
            return "breached"
        if self.sla_warning_date and now >= self.sla_warning_date:
            return "at_risk"
        return "on_track"

    def _search_sla_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the SLA status."))
        values = {value} if isinstance(value, str) else set(value)
        now = fields.Datetime.now()
        running = [
            ("done_date", "=", False),
            ("state", "!=", "cancelled"),
            ("resolution_deadline", "!=", False),
        ]
        response_late = [("accepted_date", "=", False), ("response_deadline", "<", now)]
        late_now = expression.OR([response_late, [("resolution_deadline", "<", now)]])
        domains = {
            "none": ["|", ("state", "=", "cancelled"), ("resolution_deadline", "=", False)],
            "met": [
                ("done_date", "!=", False),
                ("is_resolved_late", "=", False),
                ("state", "!=", "cancelled"),
            ],
            "breached": expression.OR(
                [
                    expression.AND([running, late_now]),
                    [
                        ("done_date", "!=", False),
                        ("is_resolved_late", "=", True),
                        ("state", "!=", "cancelled"),
                    ],
                ]
            ),
            "at_risk": expression.AND([running, [("sla_warning_date", "<=", now)], ["!", *late_now]]),
            "on_track": expression.AND(
                [
                    running,
                    ["|", ("sla_warning_date", "=", False), ("sla_warning_date", ">", now)],
                    ["!", *late_now],
                ]
            ),
        }
        wanted = values if operator in ("=", "in") else set(domains) - values
        return expression.OR([domains[v] for v in sorted(wanted) if v in domains] or [[(0, "=", 1)]])

    # ------------------------------------------------------------------
    # SLA cron: warn before a breach, escalate once per level after it
    # ------------------------------------------------------------------
    @api.model
    def _get_escalation_delay(self):
        return float(
            self.env["ir.config_parameter"].sudo().get_param("property_workorder.escalation_delay_hours", "2")
        )

    def _sla_responsible_user(self):
        self.ensure_one()
        return self.technician_user_id or self.team_id.leader_id or self.estate_id.manager_id

    def _sla_schedule(self, user, summary, note):
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        if user and activity_type:
            self.activity_schedule(
                activity_type_id=activity_type.id, user_id=user.id, summary=summary, note=note
            )
        self.message_post(body=note, partner_ids=user.partner_id.ids if user else [])

    @api.model
    def _get_escalation_due_domain(self, now):
        """Running requests whose SLA is breached and whose next escalation is due: level 0
        at once, level 1 once the escalation delay has passed since the first escalation.
        Level-1 requests still inside the delay are left out: they would fill the cron's batch
        and starve the new breaches."""
        due_before = now - timedelta(hours=self._get_escalation_delay())
        return [
            ("state", "in", ACTIVE_STATES),
            ("resolution_deadline", "!=", False),
            ("sla_status", "=", "breached"),
            "|",
            ("escalation_level", "=", "0"),
            "&",
            ("escalation_level", "=", "1"),
            ("escalation_date", "<=", due_before),
        ]

    @api.model
    def _cron_check_sla(self, limit=500):
        """Warn once before a breach, escalate once per level after it. Each run takes at most
        ``limit`` requests of each kind, only those with something to do, and asks for another
        run at once when a batch was full."""
        now = fields.Datetime.now()
        running = [("state", "in", ACTIVE_STATES), ("resolution_deadline", "!=", False)]
        to_warn = self.search(
            running + [("is_sla_warned", "=", False), ("sla_status", "=", "at_risk")], limit=limit
        )
        for request in to_warn:
            request._sla_schedule(
                request._sla_responsible_user(),
                self.env._("SLA at risk"),
                self.env._(
                    "Request %(name)s must be resolved by %(deadline)s.",
                    name=request.name,
                    deadline=request.resolution_deadline,
                ),
            )
        to_warn.write({"is_sla_warned": True})
        to_escalate = self.search(self._get_escalation_due_domain(now), limit=limit)
        for request in to_escalate:
            if request.escalation_level == "0":
                request._escalate("1", request.team_id.leader_id or request.estate_id.manager_id, now)
            else:
                request._escalate("2", request.team_id.manager_id or request.estate_id.manager_id, now)
        if limit and limit in (len(to_warn), len(to_escalate)):
            cron = self.env.ref("property_workorder.ir_cron_property_request_sla", raise_if_not_found=False)
            if cron:
                cron._trigger()
        return True

    def _escalate(self, level, user, now):
        self.ensure_one()
        labels = dict(self._fields["escalation_level"]._description_selection(self.env))
        self.write({"escalation_level": level, "escalation_date": now, "is_sla_warned": True})
        self._sla_schedule(
            user,
            self.env._("SLA breached: escalated"),
            self.env._(
                "Request %(name)s breached its SLA (deadline %(deadline)s): escalated to %(level)s %(user)s.",
                name=self.name,
                deadline=self.resolution_deadline,
                level=labels[level],
                user=user.name or "-",
            ),
        )
