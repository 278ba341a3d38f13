from odoo import api, fields, models


class PropertyRouteRun(models.Model):
    _inherit = "property.route.run"

    incident_ids = fields.One2many(
        "property.security.incident", compute="_compute_incident_ids", string="Incidents"
    )

    @api.depends("line_ids.incident_id")
    def _compute_incident_ids(self):
        for run in self:
            run.incident_ids = run.line_ids.incident_id

    def _get_close_partner_ids(self):
        partner_ids = super()._get_close_partner_ids()
        if self.route_type == "patrol":
            partner_ids += self.estate_id.security_team_leader_id.partner_id.ids
        return partner_ids
