from odoo import fields, models


class PropertyRouteRunLine(models.Model):
    _inherit = "property.route.run.line"

    incident_id = fields.Many2one("property.security.incident", readonly=True, index="btree_not_null")

    def _process_finding(self):
        result = super()._process_finding()
        if self.route_type == "patrol":
            self._raise_incident()
        return result

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
