from odoo import api, fields, models


class PropertySecurityFootage(models.Model):
    """A window of recorded video of one camera, kept on an incident."""

    _name = "property.security.footage"
    _description = "Incident Footage Window"
    _order = "incident_id, date_from, id"

    incident_id = fields.Many2one("property.security.incident", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="incident_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="incident_id.estate_id", store=True, index=True)
    camera_id = fields.Many2one(
        "maintenance.equipment",
        required=True,
        ondelete="restrict",
        domain="[('is_security_camera', '=', True)]",
    )
    date_from = fields.Datetime(string="From", required=True)
    date_to = fields.Datetime(string="To", required=True)
    url = fields.Char(
        string="Footage Link", compute="_compute_url", store=True, readonly=False, compute_sudo=True
    )

    _sql_constraints = [
        ("window_ordered", "CHECK(date_to > date_from)", "A footage window ends after it starts.")
    ]

    @api.depends("camera_id.camera_stream_url", "camera_id.camera_playback_template", "date_from", "date_to")
    def _compute_url(self):
        for footage in self:
            if footage.camera_id and footage.date_from and footage.date_to:
                footage.url = footage.camera_id._camera_footage_url(footage.date_from, footage.date_to)
            else:
                footage.url = False
