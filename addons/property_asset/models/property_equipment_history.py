from odoo import fields, models

ASSET_STATES = [
    ("draft", "Planned"),
    ("ordered", "Ordered"),
    ("in_stock", "In Stock"),
    ("in_use", "In Use"),
    ("retired", "Retired"),
    ("scrapped", "Scrapped"),
]


class PropertyEquipmentHistory(models.Model):
    """One step of an equipment's life: purchase, receipt, installation, move, retirement, scrap."""

    _name = "property.equipment.history"
    _description = "Equipment Lifecycle History"
    _order = "date desc, id desc"

    equipment_id = fields.Many2one("maintenance.equipment", required=True, index=True, ondelete="cascade")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    operation = fields.Selection(
        [
            ("register", "Registration"),
            ("purchase", "Purchase"),
            ("receive", "Receipt"),
            ("install", "Installation"),
            ("move", "Move"),
            ("retire", "Retirement"),
            ("scrap", "Scrap"),
        ],
        required=True,
    )
    from_state = fields.Selection(ASSET_STATES)
    to_state = fields.Selection(ASSET_STATES, required=True)
    estate_id = fields.Many2one("property.estate", index=True)
    building_id = fields.Many2one("property.building")
    unit_id = fields.Many2one("property.unit")
    floor = fields.Integer()
    location = fields.Char(string="Room / Area")
    from_location = fields.Char(string="Previous Location")
    user_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user)
    note = fields.Text()
    purchase_order_id = fields.Many2one("purchase.order")
    scrap_id = fields.Many2one("stock.scrap")
    company_id = fields.Many2one(related="equipment_id.company_id", store=True, index=True)
