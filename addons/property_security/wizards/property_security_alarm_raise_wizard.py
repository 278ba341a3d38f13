from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.property_security_alarm import ALARM_TYPES


class PropertySecurityAlarmRaiseWizard(models.TransientModel):
    """The guard's one-click screen: pick the place, press the big button of the alarm type."""

    _name = "property.security.alarm.raise.wizard"
    _description = "Raise an Alarm"

    estate_id = fields.Many2one(
        "property.estate", required=True, default=lambda self: self.env.user.property_estate_ids[:1]
    )
    building_id = fields.Many2one("property.building", domain="[('estate_id', '=', estate_id)]")
    unit_id = fields.Many2one(
        "property.unit", domain="[('building_id', '=?', building_id), ('estate_id', '=', estate_id)]"
    )
    area = fields.Char()
    note = fields.Text()

    @api.onchange("unit_id")
    def _onchange_unit_id(self):
        if self.unit_id:
            self.building_id = self.unit_id.building_id

    def action_raise(self):
        self.ensure_one()
        alarm_type = self.env.context.get("alarm_type")
        if alarm_type not in dict(ALARM_TYPES):
            raise UserError(self.env._("Choose the type of alarm."))
        alarm = self.env["property.security.alarm"]._raise_from_guard(
            alarm_type,
            self.estate_id,
            building=self.building_id,
            unit=self.unit_id,
            area=self.area,
            note=self.note,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "property.security.incident",
            "res_id": alarm.incident_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
