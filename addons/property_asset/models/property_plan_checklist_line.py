from odoo import fields, models


class PropertyPlanChecklistLine(models.Model):
    """A check to do on every request of a maintenance plan."""

    _name = "property.plan.checklist.line"
    _description = "Maintenance Plan Checklist Line"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one("maintenance.plan", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True, translate=True)
    description = fields.Text(string="How to Check")
    company_id = fields.Many2one(related="plan_id.company_id", store=True)

    def _prepare_request_line_values(self):
        return [
            {
                "sequence": line.sequence,
                "name": line.name,
                "description": line.description,
                "plan_line_id": line.id,
            }
            for line in self
        ]
