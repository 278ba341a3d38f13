from odoo import fields, models


class PropertyRequestCategory(models.Model):
    _name = "property.request.category"
    _description = "Request Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical code, used as the classifier's label (plumbing, electrical, …).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    is_complaint = fields.Boolean(
        string="Complaint Category",
        help="Requests opened automatically after a low rating use the first complaint category.",
    )
    response_hours = fields.Float(
        string="Default Response (h)",
        default=2.0,
        help="Used when no SLA line matches the request's priority.",
    )
    resolution_hours = fields.Float(string="Default Resolution (h)", default=24.0)
    sla_ids = fields.One2many("property.request.sla", "category_id", string="SLA by Priority")
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by all companies.")

    _sql_constraints = [
        ("code_uniq", "unique(code, company_id)", "A category code must be unique."),
    ]
