import base64
import io
import uuid

from odoo import api, fields, models


def _new_token(*_args):
    return uuid.uuid4().hex


class PropertyRouteCheckpoint(models.Model):
    _name = "property.route.checkpoint"
    _description = "Route Checkpoint"
    _order = "route_id, sequence, id"

    route_id = fields.Many2one("property.route", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="route_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="route_id.estate_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    building_id = fields.Many2one("property.building", domain="[('estate_id', '=', parent.estate_id)]")
    instructions = fields.Text(help="What to check or do at this point.")
    token = fields.Char(required=True, copy=False, default=_new_token, index=True, readonly=True)
    qr_image = fields.Binary(string="QR Code", compute="_compute_qr_image")

    _sql_constraints = [("token_uniq", "unique(token)", "A checkpoint token must be unique.")]

    @api.depends("token")
    def _compute_qr_image(self):
        import qrcode

        for checkpoint in self:
            if not checkpoint.token:
                checkpoint.qr_image = False
                continue
            image = qrcode.make(checkpoint._get_qr_payload(), box_size=6, border=2)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            checkpoint.qr_image = base64.b64encode(buffer.getvalue())

    def _get_qr_payload(self):
        """What the QR code encodes: the app scans it and sends the token back to
        property.route.run.action_scan."""
        self.ensure_one()
        return f"property-checkpoint:{self.token}"

    def action_regenerate_token(self):
        for checkpoint in self:
            checkpoint.token = _new_token()
        return True
