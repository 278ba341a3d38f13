from odoo import fields, models


class PropertyEquipmentInspectionReminder(models.Model):
    """The log of reminders sent for an inspection: one line per threshold, never twice."""

    _name = "property.equipment.inspection.reminder"
    _description = "Inspection Expiry Reminder"
    _order = "date desc, id desc"

    inspection_id = fields.Many2one(
        "property.equipment.inspection", required=True, index=True, ondelete="cascade"
    )
    days_before = fields.Integer(required=True, help="The reminder threshold, in days before expiry.")
    date = fields.Date(required=True, default=fields.Date.context_today)
    user_id = fields.Many2one("res.users", string="Reminded User")
    company_id = fields.Many2one(related="inspection_id.company_id", store=True)
    estate_id = fields.Many2one(related="inspection_id.estate_id", store=True)

    _sql_constraints = [
        (
            "inspection_threshold_uniq",
            "unique(inspection_id, days_before)",
            "This inspection has already been reminded for this threshold.",
        ),
    ]
