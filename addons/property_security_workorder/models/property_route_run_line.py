from odoo import fields, models


class PropertyRouteRunLine(models.Model):
    _inherit = "property.route.run.line"

    needs_repair = fields.Boolean(
        readonly=True, copy=False, help="The finding needs repair: a work order was requested."
    )

    def _prepare_request_values(self):
        """The work order of a patrol finding follows up the incident the finding raised."""
        values = super()._prepare_request_values()
        if self.incident_id:
            values["security_incident_id"] = self.incident_id.id
        return values

    def _create_request(self):
        requests = super()._create_request()
        self.write({"needs_repair": True})
        return requests
