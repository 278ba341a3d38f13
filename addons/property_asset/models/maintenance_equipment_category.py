from odoo import fields, models

ASSET_CATEGORY_CODES = [
    ("elevator", "Elevator"),
    ("water_pump", "Water Pump"),
    ("switchgear", "Switchgear"),
    ("fire_system", "Fire System"),
    ("hvac", "HVAC"),
    ("generator", "Generator"),
    ("gate_barrier", "Gate and Barrier"),
    ("camera", "Camera"),
    ("access_reader", "Access-Control Reader"),
    ("other", "Other"),
]


class MaintenanceEquipmentCategory(models.Model):
    _inherit = "maintenance.equipment.category"

    property_code = fields.Selection(
        ASSET_CATEGORY_CODES,
        string="Asset Kind",
        index=True,
        help="What kind of building equipment this category holds; statutory inspections and reports use it.",
    )
