from odoo import fields, models

from .property_iot_failure_risk import RISK_LEVELS


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    iot_device_ids = fields.One2many("property.iot.device", "equipment_id", string="IoT Devices")
    iot_usage_counter_ids = fields.One2many(
        "property.iot.usage.counter", "equipment_id", string="Usage Counters"
    )
    iot_risk_score = fields.Float(string="Fault Risk (7 days)", readonly=True, digits=(4, 3))
    iot_risk_level = fields.Selection(RISK_LEVELS, string="Fault Risk Level", readonly=True)
    iot_risk_date = fields.Date(string="Risk Scored On", readonly=True)
