from odoo import fields, models

GATE_TYPES = [("pedestrian", "Pedestrian"), ("vehicle", "Vehicle"), ("mixed", "Pedestrian and Vehicle")]


class PropertySecurityGate(models.Model):
    _name = "property.security.gate"
    _description = "Gate"
    _order = "estate_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    estate_id = fields.Many2one("property.estate", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    gate_type = fields.Selection(GATE_TYPES, required=True, default="mixed")
    camera_ids = fields.Many2many(
        "maintenance.equipment",
        "property_security_gate_camera_rel",
        "gate_id",
        "equipment_id",
        string="Cameras",
        domain="[('is_security_camera', '=', True)]",
    )
    access_log_ids = fields.One2many("property.security.access.log", "gate_id")
