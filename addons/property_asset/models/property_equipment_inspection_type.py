from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .maintenance_equipment_category import ASSET_CATEGORY_CODES


class PropertyEquipmentInspectionType(models.Model):
    _name = "property.equipment.inspection.type"
    _description = "Statutory Inspection Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category_code = fields.Selection(
        ASSET_CATEGORY_CODES, string="Asset Kind", help="The kind of equipment this inspection applies to."
    )
    validity_months = fields.Integer(
        default=12, help="How long a certificate of this type is valid, used to propose its expiry date."
    )
    reminder_days = fields.Char(
        default="60,30,7",
        required=True,
        help="Comma-separated days before expiry on which the responsible person gets a reminder, "
        "e.g. 60,30,7. The largest one also marks the certificate as expiring.",
    )
    authority = fields.Char(help="Who inspects, e.g. the special equipment inspection institute.")

    _sql_constraints = [("code_uniq", "unique(code)", "The code of an inspection type must be unique.")]

    def _get_reminder_days(self):
        """The reminder thresholds in days, largest first."""
        self.ensure_one()
        days = {
            int(part) for part in (self.reminder_days or "").replace("，", ",").split(",") if part.strip()
        }
        return sorted(days, reverse=True)

    @api.constrains("reminder_days")
    def _check_reminder_days(self):
        for itype in self:
            try:
                days = itype._get_reminder_days()
            except ValueError as err:
                raise ValidationError(
                    self.env._("Reminder days must be whole numbers separated by commas, e.g. 60,30,7.")
                ) from err
            if any(d < 0 for d in days):
                raise ValidationError(self.env._("Reminder days cannot be negative."))
