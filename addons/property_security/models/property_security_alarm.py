from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .tools import current_household_units

ALARM_TYPES = [
    ("fire", "Fire"),
    ("intrusion", "Intrusion"),
    ("leak", "Water Leak"),
    ("medical", "Medical Emergency"),
    ("elevator", "Elevator Entrapment"),
    ("other", "Other"),
]
ALARM_SOURCES = [
    ("guard", "Guard (One-Click)"),
    ("portal", "Resident Portal"),
    ("device", "Device"),
    ("patrol", "Patrol Finding"),
]
DEVICE_KINDS = [
    ("smoke", "Smoke Detector"),
    ("leak", "Leak Sensor"),
    ("intrusion", "Intrusion Sensor"),
    ("forced_door", "Forced Door (Access Control)"),
    ("other", "Other Device"),
]
# what a device event means when the caller does not say
DEVICE_ALARM_TYPES = {"smoke": "fire", "leak": "leak", "intrusion": "intrusion", "forced_door": "intrusion"}
ALARM_STATES = [
    ("raised", "Raised"),
    ("acknowledged", "Acknowledged"),
    ("closed", "Closed"),
]


class PropertySecurityAlarm(models.Model):
    _name = "property.security.alarm"
    _description = "Security Alarm"
    _inherit = ["property.location.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_raised desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    alarm_type = fields.Selection(ALARM_TYPES, required=True, default="other", tracking=True)
    source = fields.Selection(ALARM_SOURCES, required=True, default="guard", tracking=True)
    device_kind = fields.Selection(DEVICE_KINDS)
    device_ref = fields.Char(string="Device", help="Identifier of the device that raised the alarm.")
    estate_id = fields.Many2one(required=True)
    area = fields.Char(help="Where exactly: 北门, 地下车库 B1, 5楼电梯厅 …")
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Reported By", index=True)
    note = fields.Text()
    date_raised = fields.Datetime(string="Raised On", required=True, default=fields.Datetime.now, index=True)
    hour_of_day = fields.Integer(
        compute="_compute_hour_of_day",
        store=True,
        aggregator=False,
        help="Hour (0-23, in the estate's time zone Asia/Shanghai) the alarm was raised: for reports by hour.",
    )
    state = fields.Selection(ALARM_STATES, required=True, default="raised", tracking=True, index=True)
    acknowledged_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_acknowledged = fields.Datetime(readonly=True, copy=False)
    escalation_level = fields.Integer(readonly=True, copy=False, default=0)
    escalation_ids = fields.One2many("property.security.alarm.escalation", "alarm_id", readonly=True)
    incident_id = fields.Many2one(
        "property.security.incident", readonly=True, copy=False, index=True, check_company=True
    )
    incident_state = fields.Selection(related="incident_id.state", string="Incident Status")
    camera_ids = fields.Many2many(
        "maintenance.equipment",
        compute="_compute_camera_ids",
        string="Cameras",
        help="Cameras covering the place of the alarm (see the estate's camera linkage rule).",
    )
    camera_count = fields.Integer(compute="_compute_camera_ids")

    @api.depends("date_raised")
    def _compute_hour_of_day(self):
        for alarm in self:
            if alarm.date_raised:
                local = fields.Datetime.context_timestamp(
                    alarm.with_context(tz="Asia/Shanghai"), alarm.date_raised
                )
                alarm.hour_of_day = local.hour
            else:
                alarm.hour_of_day = 0

    @api.depends("estate_id", "building_id", "area", "estate_id.security_camera_rule")
    def _compute_camera_ids(self):
        for alarm in self:
            cameras = alarm._get_covering_cameras()
            alarm.camera_ids = cameras
            alarm.camera_count = len(cameras)

    def _get_camera_domain(self):
        self.ensure_one()
        return [("is_security_camera", "=", True), ("camera_estate_id", "=", self.estate_id.id)]

    def _get_covering_cameras(self):
        """Estate-wide cameras of the alarm's estate, plus those covering its building and/or
        area according to the estate's rule (an area matches when one name contains the other)."""
        self.ensure_one()
        Equipment = self.env["maintenance.equipment"]
        if not self.estate_id:
            return Equipment
        cameras = Equipment.sudo().search(self._get_camera_domain())
        rule = self.estate_id.security_camera_rule or "building_area"
        area = (self.area or "").strip().lower()

        def covers(camera):
            if camera.camera_coverage == "estate":
                return True
            if camera.camera_coverage == "building" and rule in ("building", "building_area"):
                return bool(self.building_id) and self.building_id in camera.camera_building_ids
            if camera.camera_coverage == "area" and rule in ("area", "building_area"):
                camera_area = (camera.camera_area or "").strip().lower()
                return bool(area and camera_area) and (camera_area in area or area in camera_area)
            return False

        return Equipment.browse(cameras.filtered(covers).ids)

    @api.depends("name", "alarm_type")
    def _compute_display_name(self):
        types = dict(self._fields["alarm_type"]._description_selection(self.env))
        for alarm in self:
            alarm.display_name = f"{alarm.name} · {types.get(alarm.alarm_type, '')}"

    # ------------------------------------------------------------------
    # Raising
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("property.security.alarm") or "/"
        alarms = super().create(vals_list)
        alarms._create_incidents()
        alarms._notify_guards_popup()
        return alarms

    # ------------------------------------------------------------------
    # The guards' popup
    # ------------------------------------------------------------------
    def _get_popup_recipients(self):
        """Who gets the alarm on screen at once: the estate's guards on duty (every guard of the
        estate when no shift is recorded now) and its security team leader."""
        self.ensure_one()
        return self._get_estate_popup_recipients(self.estate_id)

    @api.model
    def _get_estate_popup_recipients(self, estate):
        users = self.env["property.security.shift"]._get_on_duty_guards(estate)
        users |= estate.security_team_leader_id
        return users.sudo().filtered(lambda u: u.active and not u.share)

    def _place_label(self):
        self.ensure_one()
        parts = [self.estate_id.name, self.building_id.name, self.unit_id.number, self.area]
        return " ".join(part for part in parts if part)

    def _prepare_popup_payload(self):
        """What the guard's screen shows, in the language of this recordset's environment."""
        self.ensure_one()
        types = dict(self._fields["alarm_type"]._description_selection(self.env))
        return {
            "id": self.id,
            "name": self.name,
            "estate_id": self.estate_id.id,
            "title": self.env._("Alarm: %(type)s", type=types.get(self.alarm_type, "")),
            "message": self.env._(
                "%(place)s · %(origin)s · %(name)s",
                place=self._place_label(),
                origin=self._source_label(),
                name=self.name,
            ),
            "acknowledge": self.env._("Acknowledge the alarm"),
            "button": self.env._("Open the alarm"),
        }

    def _notify_guards_popup(self):
        """A sticky, ringing notification on the screens of the estate's guards (bus channel of
        each one's partner, so a guard of another estate receives nothing). The recipients depend
        on the estate only: an IoT burst of alarms looks them up once per estate."""
        Bus = self.env["bus.bus"].sudo()
        for estate, alarms in self.grouped("estate_id").items():
            recipients = self._get_estate_popup_recipients(estate)
            for lang, users in recipients.grouped(lambda u: u.lang or "en_US").items():
                for alarm in alarms.sudo().with_context(lang=lang):
                    payload = alarm._prepare_popup_payload()
                    for partner in users.partner_id:
                        Bus._sendone(partner, "property_security/alarm", payload)

    def _prepare_incident_values(self):
        self.ensure_one()
        return {
            "alarm_type": self.alarm_type,
            "estate_id": self.estate_id.id,
            "building_id": self.building_id.id,
            "unit_id": self.unit_id.id,
            "area": self.area,
            "date_raised": self.date_raised,
            "description": self.note,
        }

    def _create_incidents(self):
        """Every alarm opens an incident at once, so the response clock starts with the alarm."""
        Incident = self.env["property.security.incident"].sudo()
        for alarm in self:
            incident = Incident.create(alarm._prepare_incident_values())
            alarm.sudo().incident_id = incident
            incident._add_footage(alarm)
            incident._log_event(
                "raised",
                self.env._(
                    "Alarm %(alarm)s raised (%(origin)s).", alarm=alarm.name, origin=alarm._source_label()
                ),
            )

    def _source_label(self):
        return dict(self._fields["source"]._description_selection(self.env)).get(self.source, "")

    @api.model
    def _raise_from_device(self, vals):
        """Entry point for device events (the IoT bridge calls it).

        ``vals``: ``device_kind`` (smoke, leak, intrusion, forced_door, other), ``device_ref``,
        a place (``estate_id`` and/or ``building_id``/``unit_id``, ``area``), optional
        ``alarm_type``, ``note``, ``date_raised``. An open alarm of the same device and type is
        not raised twice: the repeated event is noted on it instead."""
        vals = dict(vals, source="device")
        kind = vals.get("device_kind") or "other"
        vals.setdefault("alarm_type", DEVICE_ALARM_TYPES.get(kind, "other"))
        if vals.get("device_ref"):
            open_alarm = self.sudo().search(
                [
                    ("device_ref", "=", vals["device_ref"]),
                    ("alarm_type", "=", vals["alarm_type"]),
                    ("state", "in", ("raised", "acknowledged")),
                ],
                limit=1,
            )
            if open_alarm:
                open_alarm.message_post(body=self.env._("The device reported the event again."))
                return open_alarm
        return self.sudo().create(vals)

    @api.model
    def _raise_from_portal(self, partner, unit, alarm_type, note=None):
        """One-click alarm of a resident, for a unit of their current household."""
        if not unit or not current_household_units(self.env, partner, unit):
            raise UserError(self.env._("You can only raise an alarm for your own home."))
        if alarm_type not in dict(ALARM_TYPES):
            raise UserError(self.env._("Unknown alarm type."))
        alarm = self.sudo().create(
            {
                "source": "portal",
                "alarm_type": alarm_type,
                "unit_id": unit.id,
                "partner_id": partner.id,
                "note": note,
            }
        )
        return alarm

    @api.model
    def _raise_from_guard(self, alarm_type, estate, *, building=None, unit=None, area=None, note=None):
        """One-click alarm from the guard's screen."""
        return self.create(
            {
                "source": "guard",
                "alarm_type": alarm_type,
                "estate_id": estate.id,
                "building_id": building.id if building else False,
                "unit_id": unit.id if unit else False,
                "area": area,
                "note": note,
                "partner_id": self.env.user.partner_id.id,
            }
        )

    # ------------------------------------------------------------------
    # Acknowledgement and escalation
    # ------------------------------------------------------------------
    def action_acknowledge(self):
        for alarm in self:
            if alarm.state != "raised":
                raise UserError(self.env._("Alarm %s is already acknowledged.", alarm.name))
        now = fields.Datetime.now()
        self.write({"state": "acknowledged", "acknowledged_by_id": self.env.uid, "date_acknowledged": now})
        for alarm in self:
            alarm.activity_ids.filtered(
                lambda a: a.activity_type_id == self._escalation_activity_type()
            ).sudo().action_feedback(feedback=self.env._("Acknowledged by %s.", self.env.user.name))
            if alarm.incident_id:
                alarm.incident_id._log_event("acknowledged", self.env._("Alarm %s acknowledged.", alarm.name))
        return True

    def action_view_incident(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "property_security.property_security_incident_action"
        )
        action.update({"res_id": self.incident_id.id, "view_mode": "form", "views": [(False, "form")]})
        return action

    def action_view_cameras(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cameras"),
            "res_model": "maintenance.equipment",
            "view_mode": "list,form",
            "domain": [("id", "in", self.camera_ids.ids)],
        }

    def _escalation_activity_type(self):
        return self.env.ref("mail.mail_activity_data_todo")

    @api.model
    def _cron_escalate(self, now=None):
        """Escalate raised (unacknowledged) alarms whose rules' delay has passed. Idempotent:
        each level is reached once per alarm (a unique escalation record per level)."""
        now = now or fields.Datetime.now()
        Rule = self.env["property.security.escalation.rule"].sudo()
        rules = Rule.search([])
        if not rules:
            return 0
        oldest = now - timedelta(minutes=min(rules.mapped("minutes")))
        alarms = self.sudo().search(
            [("state", "=", "raised"), ("date_raised", "<=", oldest)], order="date_raised"
        )
        count = 0
        for alarm in alarms:
            elapsed = now - alarm.date_raised
            due = rules.filtered(
                lambda r, a=alarm, e=elapsed: (
                    r._applies_to(a) and r.level > a.escalation_level and e >= timedelta(minutes=r.minutes)
                )
            )
            for level in sorted(set(due.mapped("level"))):
                alarm._escalate(level, due.filtered(lambda r, lv=level: r.level == lv), now)
                count += 1
        return count

    def _escalate(self, level, rules, now):
        self.ensure_one()
        if level in self.escalation_ids.mapped("level"):
            return False
        users = self.env["res.users"]
        for rule in rules:
            users |= rule._get_recipients(self)
        self.env["property.security.alarm.escalation"].sudo().create(
            {"alarm_id": self.id, "level": level, "date": now, "user_ids": [fields.Command.set(users.ids)]}
        )
        self.sudo().escalation_level = max(self.escalation_level, level)
        summary = self.env._(
            "Alarm %(alarm)s not acknowledged: escalated to level %(level)s", alarm=self.name, level=level
        )
        for user in users:
            self.sudo().activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                summary=summary,
                user_id=user.id,
                date_deadline=fields.Date.context_today(self),
            )
        self.sudo().message_post(
            body=Markup("<p>%s</p>") % summary,
            partner_ids=users.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        if self.incident_id:
            self.incident_id._log_event("escalated", summary)
        return True


class PropertySecurityAlarmEscalation(models.Model):
    _name = "property.security.alarm.escalation"
    _description = "Alarm Escalation"
    _order = "alarm_id, level"

    alarm_id = fields.Many2one("property.security.alarm", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="alarm_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="alarm_id.estate_id", store=True, index=True)
    level = fields.Integer(required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_ids = fields.Many2many("res.users", string="Notified")

    _sql_constraints = [
        ("alarm_level_uniq", "unique(alarm_id, level)", "An alarm escalates to each level only once.")
    ]
