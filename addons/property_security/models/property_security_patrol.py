import re
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .tools import new_token, qr_png

RUN_STATES = [("planned", "Planned"), ("in_progress", "In Progress"), ("closed", "Closed")]
LINE_STATES = [("pending", "Pending"), ("done", "On Time"), ("late", "Late"), ("missed", "Missed")]
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _parse_times(text):
    times = []
    for raw in (text or "").replace("，", ",").split(","):
        chunk = raw.strip()
        if not chunk:
            continue
        match = TIME_RE.match(chunk)
        if not match:
            raise ValueError(chunk)
        times.append(time(int(match.group(1)), int(match.group(2))))
    return sorted(set(times))


class PropertySecurityPatrolRoute(models.Model):
    _name = "property.security.patrol.route"
    _description = "Patrol Route"
    _inherit = ["mail.thread"]
    _order = "estate_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    estate_id = fields.Many2one("property.estate", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    checkpoint_ids = fields.One2many(
        "property.security.patrol.checkpoint", "route_id", string="Checkpoints", copy=True
    )
    schedule_times = fields.Char(
        string="Start Times",
        default="08:00,20:00",
        help="Local start times of the daily runs, comma-separated, e.g. 08:00,14:00,22:00.",
    )
    tz = fields.Selection("_tz_get", string="Time Zone", required=True, default="Asia/Shanghai")
    guard_id = fields.Many2one("res.users", string="Default Guard", domain="[('share', '=', False)]")
    run_ids = fields.One2many("property.security.patrol.run", "route_id", string="Runs")
    duration_minutes = fields.Integer(compute="_compute_duration_minutes", string="Duration (min)")

    @api.model
    def _tz_get(self):
        return [
            (tz, tz)
            for tz in sorted(pytz.all_timezones, key=lambda tz: tz if not tz.startswith("Etc/") else "_")
        ]

    @api.constrains("schedule_times")
    def _check_schedule_times(self):
        for route in self:
            try:
                _parse_times(route.schedule_times)
            except ValueError as error:
                raise ValidationError(
                    self.env._("Start times are HH:MM separated by commas; %s is not.", error.args[0])
                ) from error

    @api.depends("checkpoint_ids.expected_offset", "checkpoint_ids.tolerance")
    def _compute_duration_minutes(self):
        for route in self:
            route.duration_minutes = max(
                (c.expected_offset + c.tolerance for c in route.checkpoint_ids), default=0
            )

    def _planned_datetimes(self, day):
        """The UTC start datetimes of this route's runs on local ``day``."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "Asia/Shanghai")
        return [
            tz.localize(datetime.combine(day, start)).astimezone(pytz.UTC).replace(tzinfo=None)
            for start in _parse_times(self.schedule_times)
        ]

    def _generate_runs(self, day):
        Run = self.env["property.security.patrol.run"]
        vals_list = []
        for route in self.filtered("checkpoint_ids"):
            planned = route._planned_datetimes(day)
            existing = set(
                Run.search([("route_id", "=", route.id), ("date_planned", "in", planned)]).mapped(
                    "date_planned"
                )
            )
            vals_list += [route._prepare_run_values(start) for start in planned if start not in existing]
        return Run.create(vals_list)

    def _prepare_run_values(self, planned):
        self.ensure_one()
        return {
            "route_id": self.id,
            "date_planned": planned,
            "guard_id": self.guard_id.id,
            "line_ids": [
                fields.Command.create(
                    {
                        "checkpoint_id": checkpoint.id,
                        "sequence": checkpoint.sequence,
                        "date_expected": planned + timedelta(minutes=checkpoint.expected_offset),
                        "tolerance": checkpoint.tolerance,
                    }
                )
                for checkpoint in self.checkpoint_ids
            ],
        }

    @api.model
    def _cron_generate_runs(self):
        """Runs of today and tomorrow (local), for every active route. Idempotent."""
        routes = self.search([])
        runs = self.env["property.security.patrol.run"]
        for route in routes:
            today = _local_today(route.tz)
            for day in (today, today + timedelta(days=1)):
                runs |= route._generate_runs(day)
        return runs


def _local_today(tz_name):
    now = pytz.UTC.localize(fields.Datetime.now())
    return now.astimezone(pytz.timezone(tz_name or "Asia/Shanghai")).date()


class PropertySecurityPatrolCheckpoint(models.Model):
    _name = "property.security.patrol.checkpoint"
    _description = "Patrol Checkpoint"
    _order = "route_id, sequence, id"

    route_id = fields.Many2one(
        "property.security.patrol.route", required=True, index=True, ondelete="cascade"
    )
    estate_id = fields.Many2one(related="route_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="route_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    building_id = fields.Many2one("property.building", domain="[('estate_id', '=?', estate_id)]")
    token = fields.Char(
        required=True, copy=False, default=lambda self: new_token(), readonly=True, index=True
    )
    qr_image = fields.Binary(string="QR Code", compute="_compute_qr_image", attachment=False)
    expected_offset = fields.Integer(
        string="Expected After (min)", default=0, help="Minutes after the start of the run."
    )
    tolerance = fields.Integer(string="Tolerance (min)", default=10)

    _sql_constraints = [
        ("token_uniq", "unique(token)", "A checkpoint QR token is unique."),
        (
            "offset_positive",
            "CHECK(expected_offset >= 0 AND tolerance >= 0)",
            "Offsets and tolerances are positive.",
        ),
    ]

    @api.depends("token")
    def _compute_qr_image(self):
        for checkpoint in self:
            checkpoint.qr_image = qr_png(checkpoint.token)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for vals in vals_list:
            vals["token"] = new_token()
        return vals_list


class PropertySecurityPatrolRun(models.Model):
    _name = "property.security.patrol.run"
    _description = "Patrol Run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_planned desc, id desc"
    _check_company_auto = True

    route_id = fields.Many2one(
        "property.security.patrol.route", required=True, index=True, ondelete="restrict"
    )
    estate_id = fields.Many2one(related="route_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="route_id.company_id", store=True, index=True)
    guard_id = fields.Many2one("res.users", domain="[('share', '=', False)]", tracking=True)
    date_planned = fields.Datetime(string="Planned Start", required=True, index=True)
    date_started = fields.Datetime(string="Started", readonly=True)
    date_closed = fields.Datetime(string="Closed", readonly=True)
    state = fields.Selection(
        RUN_STATES, required=True, default="planned", readonly=True, tracking=True, index=True
    )
    line_ids = fields.One2many("property.security.patrol.run.line", "run_id", string="Checkpoints")
    checkpoint_count = fields.Integer(compute="_compute_counts", store=True)
    done_count = fields.Integer(string="On Time", compute="_compute_counts", store=True)
    late_count = fields.Integer(string="Late", compute="_compute_counts", store=True)
    missed_count = fields.Integer(string="Missed", compute="_compute_counts", store=True)
    completion_rate = fields.Float(
        string="Completion (%)",
        compute="_compute_counts",
        store=True,
        aggregator="avg",
        digits=(5, 1),
        help="Checkpoints scanned (on time or late) out of all checkpoints.",
    )
    incident_ids = fields.One2many(
        "property.security.incident", compute="_compute_incident_ids", string="Incidents"
    )

    _sql_constraints = [
        ("route_planned_uniq", "unique(route_id, date_planned)", "This run is already planned.")
    ]

    @api.depends("route_id", "date_planned")
    def _compute_display_name(self):
        for run in self:
            run.display_name = f"{run.route_id.name or ''} · {run.date_planned or ''}"

    @api.depends("line_ids.state")
    def _compute_counts(self):
        for run in self:
            states = run.line_ids.mapped("state")
            run.checkpoint_count = len(states)
            run.done_count = states.count("done")
            run.late_count = states.count("late")
            run.missed_count = states.count("missed")
            run.completion_rate = 100.0 * (run.done_count + run.late_count) / len(states) if states else 0.0

    @api.depends("line_ids.incident_id")
    def _compute_incident_ids(self):
        for run in self:
            run.incident_ids = run.line_ids.incident_id

    def action_start(self):
        for run in self:
            if run.state != "planned":
                raise UserError(self.env._("Run %s has already started.", run.display_name))
        self.write({"state": "in_progress", "date_started": fields.Datetime.now()})
        self.filtered(lambda r: not r.guard_id).write({"guard_id": self.env.uid})
        return True

    def _scan(self, token, finding=None, at=None):
        """The guard scanned the checkpoint with QR ``token``. Checkpoints are taken in order:
        pending earlier ones are missed. Within expected ± tolerance it is on time, after that
        late; before the window it is refused. A finding raises an incident."""
        self.ensure_one()
        at = at or fields.Datetime.now()
        if self.state == "planned":
            self.action_start()
        if self.state != "in_progress":
            raise UserError(self.env._("Run %s is closed.", self.display_name))
        line = self.line_ids.filtered(lambda ln: ln.checkpoint_id.token == token)
        if not line:
            raise UserError(self.env._("This QR code is not a checkpoint of route %s.", self.route_id.name))
        if line.state != "pending":
            raise UserError(self.env._("Checkpoint %s was already recorded.", line.checkpoint_id.name))
        if at < line.date_expected - timedelta(minutes=line.tolerance):
            raise UserError(
                self.env._(
                    "Too early for checkpoint %s: follow the schedule of the route.", line.checkpoint_id.name
                )
            )
        skipped = self.line_ids.filtered(
            lambda ln: ln.state == "pending" and ln.sequence_key() < line.sequence_key()
        )
        skipped.write({"state": "missed"})
        on_time = at <= line.date_expected + timedelta(minutes=line.tolerance)
        line.write({"state": "done" if on_time else "late", "date_scanned": at, "finding": finding or False})
        if finding:
            line._raise_incident()
        if not self.line_ids.filtered(lambda ln: ln.state == "pending"):
            self.action_close()
        return line

    def action_close(self, at=None):
        """Close the runs: checkpoints never scanned are missed; the report is posted."""
        at = at or fields.Datetime.now()
        for run in self.filtered(lambda r: r.state != "closed"):
            run.line_ids.filtered(lambda ln: ln.state == "pending").write({"state": "missed"})
            run.write({"state": "closed", "date_closed": at})
            missed = run.line_ids.filtered(lambda ln: ln.state == "missed")
            late = run.line_ids.filtered(lambda ln: ln.state == "late")
            body = self.env._(
                "Patrol closed: %(done)s of %(total)s checkpoints scanned, late: %(late)s, missed: %(missed)s.",
                done=run.done_count + run.late_count,
                total=run.checkpoint_count,
                late=", ".join(late.checkpoint_id.mapped("name")) or "0",
                missed=", ".join(missed.checkpoint_id.mapped("name")) or "0",
            )
            leader = run.estate_id.security_team_leader_id
            run.message_post(
                body=body,
                partner_ids=leader.partner_id.ids if missed and leader else [],
                subtype_xmlid="mail.mt_comment",
            )
        return True

    @api.model
    def _cron_close_overdue(self):
        """Close runs whose last checkpoint window has passed. Idempotent."""
        now = fields.Datetime.now()
        runs = self.search([("state", "in", ("planned", "in_progress"))])
        overdue = runs.filtered(
            lambda r: (
                r.line_ids
                and now > max(ln.date_expected + timedelta(minutes=ln.tolerance) for ln in r.line_ids)
            )
        )
        overdue.action_close(now)
        return overdue


class PropertySecurityPatrolRunLine(models.Model):
    _name = "property.security.patrol.run.line"
    _description = "Patrol Run Checkpoint"
    _order = "run_id, sequence, id"

    run_id = fields.Many2one("property.security.patrol.run", required=True, index=True, ondelete="cascade")
    estate_id = fields.Many2one(related="run_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    checkpoint_id = fields.Many2one("property.security.patrol.checkpoint", required=True, ondelete="restrict")
    sequence = fields.Integer(default=10)
    date_expected = fields.Datetime(string="Expected", required=True)
    tolerance = fields.Integer(string="Tolerance (min)")
    date_scanned = fields.Datetime(string="Scanned", readonly=True)
    state = fields.Selection(LINE_STATES, required=True, default="pending", readonly=True)
    delay_minutes = fields.Float(compute="_compute_delay_minutes", store=True, digits=(16, 1))
    finding = fields.Text()
    incident_id = fields.Many2one("property.security.incident", readonly=True)

    def sequence_key(self):
        return (self.sequence, self.id)

    @api.depends("date_scanned", "date_expected")
    def _compute_delay_minutes(self):
        for line in self:
            if line.date_scanned and line.date_expected:
                line.delay_minutes = (line.date_scanned - line.date_expected).total_seconds() / 60.0
            else:
                line.delay_minutes = 0.0

    def _raise_incident(self):
        """A patrol finding becomes an incident (a patrol-sourced alarm) at the checkpoint."""
        self.ensure_one()
        checkpoint = self.checkpoint_id
        alarm = (
            self.env["property.security.alarm"]
            .sudo()
            .create(
                {
                    "source": "patrol",
                    "alarm_type": "other",
                    "estate_id": self.estate_id.id,
                    "building_id": checkpoint.building_id.id,
                    "area": checkpoint.name,
                    "note": self.finding,
                    "date_raised": self.date_scanned or fields.Datetime.now(),
                    "partner_id": self.env.user.partner_id.id,
                    # the guard found it on the spot: nothing to escalate
                    "state": "acknowledged",
                    "acknowledged_by_id": self.env.uid,
                    "date_acknowledged": self.date_scanned or fields.Datetime.now(),
                }
            )
        )
        alarm.incident_id.patrol_line_id = self
        self.incident_id = alarm.incident_id
        return alarm.incident_id
