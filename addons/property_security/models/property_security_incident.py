from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .property_security_alarm import ALARM_TYPES
from .tools import minutes_between

INCIDENT_STATES = [
    ("raised", "Raised"),
    ("dispatched", "Dispatched"),
    ("on_site", "On Site"),
    ("resolved", "Resolved"),
    ("reviewed", "Reviewed"),
]
# the states each transition may start from
TRANSITIONS = {
    "dispatched": ("raised",),
    "on_site": ("dispatched",),
    "resolved": ("dispatched", "on_site"),
    "reviewed": ("resolved",),
}
EVENT_TYPES = [
    ("raised", "Raised"),
    ("acknowledged", "Acknowledged"),
    ("escalated", "Escalated"),
    ("dispatched", "Dispatched"),
    ("on_site", "On Site"),
    ("resolved", "Resolved"),
    ("reviewed", "Reviewed"),
    ("note", "Note"),
]


class PropertySecurityIncident(models.Model):
    _name = "property.security.incident"
    _description = "Security Incident"
    _inherit = ["property.location.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_raised desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    alarm_type = fields.Selection(ALARM_TYPES, required=True, default="other", tracking=True)
    estate_id = fields.Many2one(required=True)
    area = fields.Char()
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    description = fields.Text()
    state = fields.Selection(
        INCIDENT_STATES, required=True, default="raised", tracking=True, index=True, readonly=True
    )
    alarm_ids = fields.One2many("property.security.alarm", "incident_id", string="Alarms", readonly=True)
    patrol_line_id = fields.Many2one(
        "property.route.run.line", string="Patrol Finding", readonly=True, index="btree_not_null"
    )
    guard_ids = fields.Many2many(
        "res.users",
        "property_security_incident_guard_rel",
        "incident_id",
        "user_id",
        string="Dispatched Guards",
        readonly=True,
    )
    date_raised = fields.Datetime(
        string="Raised On", required=True, default=fields.Datetime.now, readonly=True
    )
    date_dispatched = fields.Datetime(string="Dispatched On", readonly=True, copy=False)
    date_on_site = fields.Datetime(string="On Site At", readonly=True, copy=False)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    date_reviewed = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    dispatch_minutes = fields.Float(
        string="Time to Dispatch (min)",
        compute="_compute_response_times",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )
    arrival_minutes = fields.Float(
        string="Time to Arrive (min)",
        compute="_compute_response_times",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="From the alarm to the guards' arrival on site.",
    )
    resolution_minutes = fields.Float(
        string="Time to Resolve (min)",
        compute="_compute_response_times",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="From the alarm to its resolution.",
    )
    resolution = fields.Text(readonly=True)
    review_note = fields.Text(readonly=True)
    event_ids = fields.One2many(
        "property.security.incident.event", "incident_id", string="Timeline", readonly=True
    )
    footage_ids = fields.One2many("property.security.footage", "incident_id")
    work_order_refs = fields.Char(
        string="Work Orders",
        help="References of follow-up work orders (the work-order bridge fills it in).",
    )

    @api.depends("date_raised", "date_dispatched", "date_on_site", "date_resolved")
    def _compute_response_times(self):
        for incident in self:
            incident.dispatch_minutes = minutes_between(incident.date_raised, incident.date_dispatched)
            incident.arrival_minutes = minutes_between(incident.date_raised, incident.date_on_site)
            incident.resolution_minutes = minutes_between(incident.date_raised, incident.date_resolved)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("property.security.incident") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Timeline and footage
    # ------------------------------------------------------------------
    def _log_event(self, event_type, description=None, at=None):
        self.env["property.security.incident.event"].sudo().create(
            [
                {
                    "incident_id": incident.id,
                    "event_type": event_type,
                    "description": description,
                    "date": at or fields.Datetime.now(),
                    "user_id": self.env.uid,
                }
                for incident in self
            ]
        )

    def _footage_window(self, moment):
        params = self.env["ir.config_parameter"].sudo()
        before = int(params.get_param("property_security.footage_minutes_before", 5))
        after = int(params.get_param("property_security.footage_minutes_after", 10))
        return moment - timedelta(minutes=before), moment + timedelta(minutes=after)

    def _add_footage(self, alarm):
        """Links to the footage of every camera covering the alarm, around the alarm time."""
        self.ensure_one()
        date_from, date_to = self._footage_window(alarm.date_raised)
        known = self.footage_ids.camera_id
        cameras = alarm._get_covering_cameras() - known
        self.env["property.security.footage"].sudo().create(
            [
                {"incident_id": self.id, "camera_id": camera.id, "date_from": date_from, "date_to": date_to}
                for camera in cameras
            ]
        )

    # ------------------------------------------------------------------
    # Guarded transitions
    # ------------------------------------------------------------------
    def _check_transition(self, target):
        self.check_access("write")
        states = dict(self._fields["state"]._description_selection(self.env))
        for incident in self:
            if incident.state not in TRANSITIONS[target]:
                raise UserError(
                    self.env._(
                        "Incident %(incident)s is %(state)s: it cannot be set to %(target)s.",
                        incident=incident.name,
                        state=states[incident.state],
                        target=states[target],
                    )
                )

    def action_dispatch(self, guards=None):
        """Send guards: the given ones, or those on duty at the estate. They get an activity and
        a message; the incident's alarms count as acknowledged."""
        self._check_transition("dispatched")
        now = fields.Datetime.now()
        for incident in self:
            team = guards or self.env["property.security.shift"]._get_on_duty_guards(incident.estate_id, now)
            incident.sudo().write(
                {"state": "dispatched", "date_dispatched": now, "guard_ids": [fields.Command.set(team.ids)]}
            )
            summary = self.env._(
                "Go to %(place)s: %(incident)s", place=incident._place_label(), incident=incident.display_name
            )
            for guard in team:
                incident.sudo().activity_schedule(
                    act_type_xmlid="mail.mail_activity_data_todo",
                    summary=summary,
                    user_id=guard.id,
                    date_deadline=fields.Date.context_today(self),
                )
            if team:
                incident.sudo().message_post(
                    body=Markup("<p>%s</p>") % summary,
                    partner_ids=team.partner_id.ids,
                    subtype_xmlid="mail.mt_comment",
                )
            incident._log_event(
                "dispatched",
                self.env._(
                    "Guards dispatched: %s", ", ".join(team.mapped("name")) or self.env._("nobody on duty")
                ),
                at=now,
            )
            raised = incident.alarm_ids.filtered(lambda a: a.state == "raised")
            if raised:
                raised.sudo().write(
                    {"state": "acknowledged", "acknowledged_by_id": self.env.uid, "date_acknowledged": now}
                )
        return True

    def action_arrive(self):
        self._check_transition("on_site")
        now = fields.Datetime.now()
        self.write({"state": "on_site", "date_on_site": now})
        self._log_event("on_site", self.env._("Guard on site."), at=now)
        return True

    def action_resolve(self, resolution=None):
        self._check_transition("resolved")
        now = fields.Datetime.now()
        vals = {"state": "resolved", "date_resolved": now}
        if resolution:
            vals["resolution"] = resolution
        self.write(vals)
        self.activity_ids.sudo().action_feedback(feedback=self.env._("Incident resolved."))
        self.alarm_ids.sudo().write({"state": "closed"})
        self._log_event("resolved", resolution or self.env._("Resolved."), at=now)
        return True

    def action_review(self, note=None):
        if not self.env.user.has_group("property_base.group_property_manager"):
            raise AccessError(self.env._("Only managers review incidents."))
        self._check_transition("reviewed")
        now = fields.Datetime.now()
        vals = {"state": "reviewed", "date_reviewed": now}
        if note:
            vals["review_note"] = note
        self.write(vals)
        self._log_event("reviewed", note or self.env._("Reviewed."), at=now)
        return True

    def _place_label(self):
        self.ensure_one()
        place = self.unit_id.code or self.building_id.display_name or self.estate_id.name or ""
        return f"{place} {self.area}" if self.area else place

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if any(incident.state != "raised" for incident in self) or self.alarm_ids:
            raise UserError(self.env._("Incidents are records of what happened and cannot be deleted."))


class PropertySecurityIncidentEvent(models.Model):
    """One line of an incident's timeline: who did what, when. Written by the transitions."""

    _name = "property.security.incident.event"
    _description = "Incident Timeline Event"
    _order = "date, id"

    incident_id = fields.Many2one("property.security.incident", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="incident_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="incident_id.estate_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.uid)
    event_type = fields.Selection(EVENT_TYPES, required=True, default="note")
    description = fields.Text()
