import re
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
DEFAULT_TZ = "Asia/Shanghai"


def parse_times(text):
    """'08:00, 20:00' -> [time(8, 0), time(20, 0)] (sorted, unique); ValueError(chunk) if bad."""
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


def local_today(tz_name):
    now = pytz.UTC.localize(fields.Datetime.now())
    return now.astimezone(pytz.timezone(tz_name or DEFAULT_TZ)).date()


class PropertyRoute(models.Model):
    """A route of ordered QR checkpoints walked on a schedule. Its ``route_type`` says who walks
    it: feature addons add their kinds (``selection_add``), the groups that see them
    (``_get_route_type_groups``) and what a finding leads to."""

    _name = "property.route"
    _description = "Route"
    _inherit = ["mail.thread"]
    _order = "estate_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    route_type = fields.Selection([], string="Kind", required=True, tracking=True, index=True)
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True, tracking=True, ondelete="restrict"
    )
    building_id = fields.Many2one(
        "property.building",
        domain="[('estate_id', '=', estate_id)]",
        check_company=True,
        help="Area the route covers, if it is one building.",
    )
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Assigned To", domain="[('share', '=', False)]", tracking=True
    )
    checkpoint_ids = fields.One2many("property.route.checkpoint", "route_id", string="Checkpoints", copy=True)
    run_ids = fields.One2many("property.route.run", "route_id", string="Runs")
    checkpoint_count = fields.Integer(compute="_compute_checkpoint_count")
    interval_days = fields.Integer(string="Every (days)", default=1, required=True, tracking=True)
    next_date = fields.Date(string="Next Run", default=fields.Date.context_today, required=True)
    schedule_times = fields.Char(
        string="Start Times",
        help="Local start times of the runs of a day, comma-separated, e.g. 08:00,14:00,22:00. "
        "With start times, each checkpoint is expected at its time and a late scan is late; "
        "without, one run a day and no time windows.",
    )
    tz = fields.Selection("_tz_get", string="Time Zone", required=True, default=DEFAULT_TZ)
    is_strict_order = fields.Boolean(
        string="Strict Order",
        compute="_compute_is_strict_order",
        store=True,
        readonly=False,
        help="A scan that skips a pending checkpoint is refused. Otherwise the skipped "
        "checkpoints are missed.",
    )
    duration_minutes = fields.Integer(compute="_compute_duration_minutes", string="Duration (min)")

    _sql_constraints = [
        ("interval_positive", "CHECK(interval_days >= 1)", "A route runs at most once a day.")
    ]

    @api.model
    def _tz_get(self):
        return [
            (tz, tz)
            for tz in sorted(pytz.all_timezones, key=lambda tz: tz if not tz.startswith("Etc/") else "_")
        ]

    @api.model
    def _get_route_type_groups(self):
        """{route_type: xmlids of the groups whose members walk (and see) routes of that kind}."""
        return {}

    @api.model
    def _get_strict_order_route_types(self):
        """Kinds whose checkpoints must be scanned in order (a skip is refused)."""
        return set()

    @api.depends("route_type")
    def _compute_is_strict_order(self):
        strict = self._get_strict_order_route_types()
        for route in self:
            route.is_strict_order = route.route_type in strict

    @api.depends("checkpoint_ids")
    def _compute_checkpoint_count(self):
        for route in self:
            route.checkpoint_count = len(route.checkpoint_ids)

    @api.depends("checkpoint_ids.expected_offset", "checkpoint_ids.tolerance")
    def _compute_duration_minutes(self):
        for route in self:
            route.duration_minutes = max(
                (c.expected_offset + c.tolerance for c in route.checkpoint_ids), default=0
            )

    @api.constrains("schedule_times")
    def _check_schedule_times(self):
        for route in self:
            try:
                parse_times(route.schedule_times)
            except ValueError as error:
                raise ValidationError(
                    self.env._("Start times are HH:MM separated by commas; %s is not.", error.args[0])
                ) from error

    # ------------------------------------------------------------------
    # Runs
    # ------------------------------------------------------------------
    def _planned_datetimes(self, day):
        """The UTC start datetimes of this route's runs on local ``day``: one per start time,
        or the start of the day when the route has none."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or DEFAULT_TZ)
        starts = parse_times(self.schedule_times) or [time(0, 0)]
        return [
            tz.localize(datetime.combine(day, start)).astimezone(pytz.UTC).replace(tzinfo=None)
            for start in starts
        ]

    def _generate_runs(self, day):
        """Create the runs of local ``day`` for each route due that day (active, with
        checkpoints, ``next_date`` reached); the next date moves on by the interval.
        Idempotent per route and start."""
        Run = self.env["property.route.run"]
        due = self.filtered(lambda r: r.active and r.checkpoint_ids and r.next_date <= day)
        existing = set(
            Run.search([("route_id", "in", due.ids), ("date", "=", day)]).mapped(
                lambda run: (run.route_id.id, run.date_planned)
            )
        )
        vals_list = [
            route._prepare_run_values(day, start)
            for route in due
            for start in route._planned_datetimes(day)
            if (route.id, start) not in existing
        ]
        runs = Run.create(vals_list)
        for route in due:
            route.next_date = day + timedelta(days=route.interval_days)
        return runs

    def _prepare_run_values(self, day, planned):
        self.ensure_one()
        timed = bool(parse_times(self.schedule_times))
        return {
            "route_id": self.id,
            "date": day,
            "date_planned": planned,
            "user_id": self.user_id.id,
            "line_ids": [
                fields.Command.create(
                    {
                        "checkpoint_id": checkpoint.id,
                        "sequence": checkpoint.sequence,
                        "date_expected": timed and planned + timedelta(minutes=checkpoint.expected_offset),
                        "tolerance": checkpoint.tolerance,
                    }
                )
                for checkpoint in self.checkpoint_ids
            ],
        }

    @api.model
    def _cron_generate_runs(self):
        """The runs of today and tomorrow (each route's local days). Idempotent."""
        runs = self.env["property.route.run"]
        for route in self.search([]):
            today = local_today(route.tz)
            for day in (today, today + timedelta(days=1)):
                runs |= route._generate_runs(day)
        return runs

    def action_generate_run(self):
        runs = self.env["property.route.run"]
        for route in self:
            runs |= route._generate_runs(local_today(route.tz))
        return bool(runs)
