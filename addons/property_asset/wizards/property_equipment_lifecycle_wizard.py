from odoo import api, fields, models

LIFECYCLE_OPERATIONS = [
    ("install", "Install"),
    ("move", "Move"),
    ("retire", "Retire"),
    ("scrap", "Scrap"),
]


class PropertyEquipmentLifecycleWizard(models.TransientModel):
    _name = "property.equipment.lifecycle.wizard"
    _description = "Equipment Lifecycle Wizard"

    equipment_id = fields.Many2one("maintenance.equipment", required=True, readonly=True)
    operation = fields.Selection(LIFECYCLE_OPERATIONS, required=True, readonly=True)
    estate_id = fields.Many2one("property.estate", compute="_compute_location", store=True, readonly=False)
    building_id = fields.Many2one(
        "property.building",
        compute="_compute_location",
        store=True,
        readonly=False,
        domain="[('estate_id', '=?', estate_id)]",
    )
    unit_id = fields.Many2one("property.unit", domain="[('building_id', '=?', building_id)]")
    floor = fields.Integer(compute="_compute_location", store=True, readonly=False)
    location = fields.Char(string="Room / Area", compute="_compute_location", store=True, readonly=False)
    date = fields.Date(default=fields.Date.context_today, required=True)
    reason = fields.Text(string="Reason / Note")

    @api.depends("equipment_id")
    def _compute_location(self):
        for wizard in self:
            equipment = wizard.equipment_id
            wizard.estate_id = equipment.estate_id
            wizard.building_id = equipment.building_id
            wizard.floor = equipment.floor
            wizard.location = equipment.location

    def action_confirm(self):
        self.ensure_one()
        equipment = self.equipment_id
        location_values = {
            "estate_id": self.estate_id.id,
            "building_id": self.building_id.id,
            "unit_id": self.unit_id.id,
            "floor": self.floor,
            "location": self.location,
        }
        if self.operation == "install":
            equipment.action_asset_install(location_values, date=self.date, note=self.reason)
        elif self.operation == "move":
            equipment.action_asset_move(location_values, note=self.reason)
        elif self.operation == "retire":
            equipment.action_asset_retire(self.reason, date=self.date)
        elif self.operation == "scrap":
            equipment.action_asset_scrap(self.reason, date=self.date)
        return {"type": "ir.actions.act_window_close"}
