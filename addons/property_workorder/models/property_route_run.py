from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

RUN_STATES = [("planned", "Planned"), ("in_progress", "In Progress"), ("done", "Done")]
QR_PREFIX = "property-checkpoint:"


class PropertyRouteRun(models.Model):
    _name = "property.route.run"
    _description = "Route Run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    route_id = fields.Many2one("property.route", required=True, ondelete="restrict", index=True)
    route_type = fields.Selection(related="route_id.route_type", store=True)
    estate_id = fields.Many2one(related="route_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="route_id.company_id", store=True, index=True)
    date = fields.Date(required=True, index=True)
    employee_id = fields.Many2one("hr.employee", string="Done By", check_company=True)
    state = fields.Selection(RUN_STATES, default="planned", required=True, tracking=True, index=True)
    line_ids = fields.One2many("property.route.run.line", "run_id", string="Checkpoints")
    missed_count = fields.Integer(compute="_compute_counts", store=True)
    scanned_count = fields.Integer(compute="_compute_counts", store=True)
    finding_count = fields.Integer(compute="_compute_counts", store=True)
    close_date = fields.Datetime(readonly=True)

    _sql_constraints = [("route_date_uniq", "unique(route_id, date)", "A route runs once per day.")]

    @api.depends("route_id.name", "date")
    def _compute_name(self):
        for run in self:
            run.name = f"{run.route_id.name or ''} {run.date or ''}".strip()

    @api.depends("line_ids.state", "line_ids.has_issue")
    def _compute_counts(self):
        for run in self:
            run.missed_count = len(run.line_ids.filtered(lambda line: line.state == "missed"))
            run.scanned_count = len(run.line_ids.filtered(lambda line: line.state == "scanned"))
            run.finding_count = len(run.line_ids.filtered("has_issue"))

    def action_scan(self, token):
        """Scan a checkpoint's QR code (the token, or the whole QR payload). Checkpoints are
        scanned in order: a scan that skips a pending checkpoint is refused, naming it."""
        self.ensure_one()
        if self.state == "done":
            raise UserError(self.env._("Run %s is closed.", self.name))
        token = (token or "").removeprefix(QR_PREFIX)
        line = self.line_ids.filtered(lambda item: item.checkpoint_id.token == token)
        if not line:
            raise UserError(self.env._("This QR code is not a checkpoint of route %s.", self.route_id.name))
        if line.state == "scanned":
            raise UserError(self.env._("Checkpoint %s has already been scanned.", line.checkpoint_id.name))
        earlier = self.line_ids.filtered(
            lambda item: item.state == "pending" and (item.sequence, item.id) < (line.sequence, line.id)
        )
        if earlier:
            raise UserError(
                self.env._(
                    "Out of order: scan checkpoint %(expected)s before %(scanned)s.",
                    expected=earlier.sorted(lambda item: (item.sequence, item.id))[0].checkpoint_id.name,
                    scanned=line.checkpoint_id.name,
                )
            )
        line.write({"state": "scanned", "scan_date": fields.Datetime.now()})
        vals = {"state": "in_progress"} if self.state == "planned" else {}
        if not self.employee_id and self.env.user.employee_id:
            vals["employee_id"] = self.env.user.employee_id.id
        if vals:
            self.write(vals)
        return line

    def action_close(self):
        """Close the run: checkpoints not scanned are missed, and reported in the chatter."""
        for run in self:
            if run.state == "done":
                raise UserError(self.env._("Run %s is already closed.", run.name))
            missed = run.line_ids.filtered(lambda line: line.state == "pending")
            missed.write({"state": "missed"})
            run.write({"state": "done", "close_date": fields.Datetime.now()})
            if missed:
                items = Markup("").join(
                    Markup("<li>%s</li>") % escape(line.checkpoint_id.name) for line in missed
                )
                run.message_post(
                    body=Markup("%s<ul>%s</ul>") % (self.env._("Missed checkpoints:"), items),
                    partner_ids=run.route_id.team_id.leader_id.partner_id.ids,
                )
        return True
