from odoo import api, fields, models

LINE_STATES = [("pending", "Pending"), ("done", "On Time"), ("late", "Late"), ("missed", "Missed")]


class PropertyRouteRunLine(models.Model):
    _name = "property.route.run.line"
    _description = "Route Run Checkpoint"
    _order = "run_id, sequence, id"

    run_id = fields.Many2one("property.route.run", required=True, ondelete="cascade", index=True)
    route_type = fields.Selection(related="run_id.route_type", store=True, index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="run_id.estate_id", store=True, index=True)
    checkpoint_id = fields.Many2one("property.route.checkpoint", required=True, ondelete="restrict")
    sequence = fields.Integer(default=10)
    state = fields.Selection(LINE_STATES, default="pending", required=True, readonly=True)
    date_expected = fields.Datetime(string="Expected")
    tolerance = fields.Integer(string="Tolerance (min)")
    date_scanned = fields.Datetime(string="Scanned", readonly=True)
    delay_minutes = fields.Float(compute="_compute_delay_minutes", store=True, digits=(16, 1))
    photo_ids = fields.Many2many(
        "ir.attachment", "property_route_run_line_photo_rel", "line_id", "attachment_id", string="Photos"
    )
    finding = fields.Text()
    has_issue = fields.Boolean(string="Issue Found")

    @api.depends("run_id.name", "checkpoint_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.run_id.name or ''} · {line.checkpoint_id.name or ''}"

    @api.depends("date_scanned", "date_expected")
    def _compute_delay_minutes(self):
        for line in self:
            if line.date_scanned and line.date_expected:
                line.delay_minutes = (line.date_scanned - line.date_expected).total_seconds() / 60.0
            else:
                line.delay_minutes = 0.0

    def _process_finding(self):
        """A finding was recorded at the scan: what it leads to depends on the route's kind."""
        self.ensure_one()
