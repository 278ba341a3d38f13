from odoo import fields, models

REQUEST_PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]


class PropertyRequestSla(models.Model):
    _name = "property.request.sla"
    _description = "Request SLA"
    _order = "category_id, priority desc"

    category_id = fields.Many2one("property.request.category", required=True, ondelete="cascade", index=True)
    priority = fields.Selection(REQUEST_PRIORITIES, required=True, default="1")
    response_hours = fields.Float(
        string="Response (h)", required=True, help="Working hours until a technician accepts the order."
    )
    resolution_hours = fields.Float(
        string="Resolution (h)", required=True, help="Working hours until the work is done."
    )
    warning_ratio = fields.Float(
        string="Warn at (%)",
        default=80.0,
        help="Share of the resolution time after which the request is 'at risk' and a warning goes out.",
    )
    company_id = fields.Many2one(related="category_id.company_id", store=True, index=True)

    _sql_constraints = [
        ("category_priority_uniq", "unique(category_id, priority)", "One SLA per category and priority."),
        (
            "hours_positive",
            "CHECK(response_hours > 0 AND resolution_hours > 0)",
            "SLA hours must be positive.",
        ),
        (
            "warning_ratio_range",
            "CHECK(warning_ratio > 0 AND warning_ratio < 100)",
            "Warn between 0 and 100%.",
        ),
    ]
