from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    security_face_token = fields.Char(
        string="Face Credential",
        copy=False,
        groups="property_base.group_property_security",
        help="Reference of the resident's template on the external face device; kept only with "
        "their face-recognition consent.",
    )
    security_plate_ids = fields.One2many(
        "property.security.vehicle.plate", "partner_id", string="Vehicle Plates"
    )

    def _security_has_face_consent(self):
        self.ensure_one()
        return bool(
            self.env["property.consent"]
            .sudo()
            .search_count(
                [("partner_id", "=", self.id), ("purpose", "=", "face_recognition"), ("state", "=", "given")]
            )
        )

    @api.constrains("security_face_token")
    def _check_security_face_consent(self):
        for partner in self.sudo().filtered("security_face_token"):
            if not partner._security_has_face_consent():
                raise ValidationError(
                    self.env._("A face credential is kept only with the resident's face-recognition consent.")
                )

    def _security_forget_face(self):
        """Consent withdrawn: the face credentials go."""
        self.sudo().write({"security_face_token": False})
        self.env["property.security.visitor"].sudo().search(
            [("visitor_partner_id", "in", self.ids), ("face_token", "!=", False)]
        ).write({"face_token": False})
