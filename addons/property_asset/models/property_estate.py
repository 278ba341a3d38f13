from odoo import fields, models


class PropertyEstate(models.Model):
    _inherit = "property.estate"

    spare_location_id = fields.Many2one(
        "stock.location",
        string="Spare Parts Location",
        domain="[('usage', '=', 'internal'), ('company_id', 'in', [company_id, False])]",
        check_company=True,
        help="Internal stock location holding this estate's spare parts and received equipment. "
        "Created on first use under the company's main warehouse.",
    )
    equipment_ids = fields.One2many("maintenance.equipment", "estate_id")
    equipment_count = fields.Integer(compute="_compute_equipment_count")

    def _compute_equipment_count(self):
        counts = dict(
            self.env["maintenance.equipment"]._read_group(
                [("estate_id", "in", self.ids)], ["estate_id"], ["__count"]
            )
        )
        for estate in self:
            estate.equipment_count = counts.get(estate, 0)

    def _get_spare_part_location(self):
        """The estate's spare-parts location, created under the main warehouse stock if missing."""
        self.ensure_one()
        if self.spare_location_id:
            return self.spare_location_id
        warehouse = (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], order="sequence, id", limit=1)
        )
        parent = warehouse.lot_stock_id or self.env.ref("stock.stock_location_stock")
        location = (
            self.env["stock.location"]
            .sudo()
            .create(
                {
                    "name": self.env._("%s Spare Parts", self.name),
                    "usage": "internal",
                    "location_id": parent.id,
                    "company_id": self.company_id.id,
                }
            )
        )
        self.sudo().spare_location_id = location
        return location

    def action_view_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_asset.maintenance_equipment_action")
        action["domain"] = [("estate_id", "=", self.id)]
        action["context"] = {"default_estate_id": self.id}
        return action
