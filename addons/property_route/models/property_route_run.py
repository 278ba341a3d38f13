from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from .property_route_checkpoint import QR_PREFIX

RUN_STATES = [("planned", "Planned"), ("in_progress", "In Progress"), ("closed", "Closed")]


class PropertyRouteRun(models.Model):
    """One walk of a route: its checkpoints in order, each on time, late or missed."""

    _name = "property.route.run"
    _description = "Route Run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_planned desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    route_id = fields.Many2one("property.route", required=True, ondelete="restrict", index=True)
    route_type = fields.Selection(related="route_id.route_type", store=True, index=True)
    estate_id = fields.Many2one(related="route_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="route_id.company_id", store=True, index=True)
    date = fields.Date(required=True, index=True, help="Local day of the run.")
    date_planned = fields.Datetime(string="Planned Start", required=True, index=True)
    date_started = fields.Datetime(string="Started", readonly=True)
    date_closed = fields.Datetime(string="Closed", readonly=True)
    user_id = fields.Many2one("res.users", string="Done By", domain="[('share', '=', False)]", tracking=True)
    state = fields.Selection(
        RUN_STATES, required=True, default="planned", readonly=True, tracking=True, index=True
    )
    line_ids = fields.One2many("property.route.run.line", "run_id", string="Checkpoints")
    checkpoint_count = fields.Integer(compute="_compute_counts", store=True)
    done_count = fields.Integer(string="On Time", compute="_compute_counts", store=True)
    late_count = fields.Integer(string="Late", compute="_compute_counts", store=True)
    missed_count = fields.Integer(string="Missed", compute="_compute_counts", store=True)
    scanned_count = fields.Integer(string="Scanned Checkpoints", compute="_compute_counts", store=True)
    finding_count = fields.Integer(string="Findings", compute="_compute_counts", store=True)
    completion_rate = fields.Float(
        string="Completion (%)",
        compute="_compute_counts",
        store=True,
        aggregator="avg",
        digits=(5, 1),
        help="Checkpoints scanned (on time or late) out of all checkpoints.",
    )

    _sql_constraints = [
        ("route_planned_uniq", "unique(route_id, date_planned)", "This run is already planned.")
    ]

    @api.depends("route_id.name", "route_id.tz", "route_id.schedule_times", "date", "date_planned")
    def _compute_name(self):
        for run in self:
            when = str(run.date or "")
            if run.route_id.schedule_times and run.date_planned:
                tz = pytz.timezone(run.route_id.tz or "Asia/Shanghai")
                when = pytz.UTC.localize(run.date_planned).astimezone(tz).strftime("%Y-%m-%d %H:%M")
            run.name = f"{run.route_id.name or ''} {when}".strip()

    @api.depends("line_ids.state", "line_ids.has_issue")
    def _compute_counts(self):
        for run in self:
            states = run.line_ids.mapped("state")
            run.checkpoint_count = len(states)
            run.done_count = states.count("done")
            run.late_count = states.count("late")
            run.missed_count = states.count("missed")
            run.scanned_count = run.done_count + run.late_count
            run.finding_count = len(run.line_ids.filtered("has_issue"))
            run.completion_rate = 100.0 * run.scanned_count / len(states) if states else 0.0

    def action_start(self):
        for run in self:
            if run.state != "planned":
                raise UserError(self.env._("Run %s has already started.", run.display_name))
        self.write({"state": "in_progress", "date_started": fields.Datetime.now()})
        self.filtered(lambda r: not r.user_id).write({"user_id": self.env.uid})
        return True

    def action_scan(self, token):
        """Scan a checkpoint's QR code now (the token, or the whole QR payload)."""
        self.ensure_one()
        return self._scan(token)

    def _scan(self, token, finding=None, at=None):
        """The checkpoint with QR ``token`` was scanned at ``at``. Checkpoints are taken in
        order: on strict routes a scan that skips a pending checkpoint is refused, naming it;
        otherwise the skipped ones are missed. With an expected time, a scan before the window
        is refused, within expected ± tolerance it is on time, after that late. A finding is
        recorded on the line (``_process_finding``). The run closes after its last checkpoint."""
        self.ensure_one()
        at = at or fields.Datetime.now()
        if self.state == "closed":
            raise UserError(self.env._("Run %s is closed.", self.display_name))
        token = (token or "").strip().removeprefix(QR_PREFIX)
        line = self.line_ids.filtered(lambda item: token and item.checkpoint_id.token == token)
        if not line:
            raise UserError(self.env._("This QR code is not a checkpoint of route %s.", self.route_id.name))
        if line.state != "pending":
            raise UserError(self.env._("Checkpoint %s was already recorded.", line.checkpoint_id.name))
        if line.date_expected and at < line.date_expected - timedelta(minutes=line.tolerance):
            raise UserError(
                self.env._(
                    "Too early for checkpoint %s: follow the schedule of the route.", line.checkpoint_id.name
                )
            )
        skipped = self.line_ids.filtered(
            lambda item: item.state == "pending" and (item.sequence, item.id) < (line.sequence, line.id)
        )
        if skipped and self.route_id.is_strict_order:
            raise UserError(
                self.env._(
                    "Out of order: scan checkpoint %(expected)s before %(scanned)s.",
                    expected=skipped.sorted(lambda item: (item.sequence, item.id))[0].checkpoint_id.name,
                    scanned=line.checkpoint_id.name,
                )
            )
        if self.state == "planned":
            self.action_start()
        skipped.write({"state": "missed"})
        on_time = not line.date_expected or at <= line.date_expected + timedelta(minutes=line.tolerance)
        line.write(
            {
                "state": "done" if on_time else "late",
                "date_scanned": at,
                "finding": finding or line.finding,
                "has_issue": bool(finding) or line.has_issue,
            }
        )
        if finding:
            line._process_finding()
        if not self.line_ids.filtered(lambda item: item.state == "pending"):
            self.action_close(at)
        return line

    def _get_close_partner_ids(self):
        """Who is told when the run closed with missed checkpoints."""
        self.ensure_one()
        return []

    def action_close(self, at=None):
        """Close the runs: checkpoints never scanned are missed; the report is posted in the
        chatter, to ``_get_close_partner_ids`` when checkpoints were missed."""
        at = at or fields.Datetime.now()
        for run in self:
            if run.state == "closed":
                raise UserError(self.env._("Run %s is already closed.", run.display_name))
        for run in self:
            run.line_ids.filtered(lambda ln: ln.state == "pending").write({"state": "missed"})
            run.write({"state": "closed", "date_closed": at})
            missed = run.line_ids.filtered(lambda ln: ln.state == "missed")
            late = run.line_ids.filtered(lambda ln: ln.state == "late")
            body = self.env._(
                "Run closed: %(done)s of %(total)s checkpoints scanned, late: %(late)s, missed: %(missed)s.",
                done=run.scanned_count,
                total=run.checkpoint_count,
                late=", ".join(late.checkpoint_id.mapped("name")) or "0",
                missed=", ".join(missed.checkpoint_id.mapped("name")) or "0",
            )
            run.message_post(
                body=body,
                partner_ids=run._get_close_partner_ids() if missed else [],
                subtype_xmlid="mail.mt_comment",
            )
        return True

    @api.model
    def _cron_close_overdue(self):
        """Close the runs whose last checkpoint window has passed (timed runs). Idempotent."""
        now = fields.Datetime.now()
        runs = self.search([("state", "in", ("planned", "in_progress"))])
        overdue = runs.filtered(
            lambda r: (
                r.line_ids
                and all(r.line_ids.mapped("date_expected"))
                and now > max(ln.date_expected + timedelta(minutes=ln.tolerance) for ln in r.line_ids)
            )
        )
        overdue.action_close(now)
        return overdue
