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
    estate_id = fields.Many2one("property.estate")
    building_id = fields.Many2one("property.building", domain="[('estate_id', '=?', estate_id)]")
    unit_id = fields.Many2one("property.unit", domain="[('building_id', '=?', building_id)]")
    floor = fields.Integer()
    location = fields.Char(string="Room / Area")
    date = fields.Date(default=fields.Date.context_today, required=True)
    reason = fields.Text(string="Reason / Note")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        equipment = self.env["maintenance.equipment"].browse(res.get("equipment_id"))
        if equipment:
            for fname in ("estate_id", "building_id", "unit_id"):
                res.setdefault(fname, equipment[fname].id)
            res.setdefault("floor", equipment.floor)
            res.setdefault("location", equipment.location)
        return res

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
