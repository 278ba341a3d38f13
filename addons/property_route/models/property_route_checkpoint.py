import base64
import io
import uuid

import qrcode

from odoo import api, fields, models

QR_PREFIX = "property-checkpoint:"


def new_token(*_args):
    return uuid.uuid4().hex


class PropertyRouteCheckpoint(models.Model):
    _name = "property.route.checkpoint"
    _description = "Route Checkpoint"
    _order = "route_id, sequence, id"

    route_id = fields.Many2one("property.route", required=True, ondelete="cascade", index=True)
    route_type = fields.Selection(related="route_id.route_type", store=True, index=True)
    company_id = fields.Many2one(related="route_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="route_id.estate_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    building_id = fields.Many2one("property.building", domain="[('estate_id', '=?', estate_id)]")
    instructions = fields.Text(help="What to check or do at this point.")
    token = fields.Char(required=True, copy=False, default=new_token, index=True, readonly=True)
    qr_image = fields.Binary(string="QR Code", compute="_compute_qr_image", attachment=False)
    expected_offset = fields.Integer(
        string="Expected After (min)",
        default=0,
        help="Minutes after the start of the run (routes with start times).",
    )
    tolerance = fields.Integer(string="Tolerance (min)", default=10)

    _sql_constraints = [
        ("token_uniq", "unique(token)", "A checkpoint token must be unique."),
        (
            "offset_positive",
            "CHECK(expected_offset >= 0 AND tolerance >= 0)",
            "Offsets and tolerances are positive.",
        ),
    ]

    @api.depends("token")
    def _compute_qr_image(self):
        for checkpoint in self:
            if not checkpoint.token:
                checkpoint.qr_image = False
                continue
            image = qrcode.make(checkpoint._get_qr_payload(), box_size=6, border=2)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            checkpoint.qr_image = base64.b64encode(buffer.getvalue())

    def _get_qr_payload(self):
        """What the QR code encodes: the phone scans it and sends it back to
        property.route.run._scan (the bare token is accepted too)."""
        self.ensure_one()
        return f"{QR_PREFIX}{self.token}"

    def action_regenerate_token(self):
        for checkpoint in self:
            checkpoint.token = new_token()
        return True
