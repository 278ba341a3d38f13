from odoo import api, fields, models
from odoo.exceptions import ValidationError

UNIT_TYPES = [
    ("residential", "Residential"),
    ("commercial", "Commercial"),
    ("office", "Office"),
    ("parking", "Parking Space"),
    ("storage", "Storage Room"),
]
UNIT_STATUSES = [
    ("vacant", "Vacant"),
    ("occupied", "Occupied"),
    ("renovating", "Renovating"),
    ("let", "Let"),
]
OCCUPIED_STATUSES = ("occupied", "let")
UNIT_STATUS_COLOURS = {
    "vacant": "#e9ecef",
    "occupied": "#b7e4c7",
    "renovating": "#ffe8a1",
    "let": "#a5d8ff",
}


class PropertyUnit(models.Model):
    _name = "property.unit"
    _description = "Unit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "estate_id, building_id, floor desc, number, id"
    _rec_name = "code"
    _rec_names_search = ["code", "number"]
    _check_company_auto = True

    building_id = fields.Many2one(
        "property.building",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    estate_id = fields.Many2one(related="building_id.estate_id", store=True, index=True, precompute=True)
    company_id = fields.Many2one(related="building_id.company_id", store=True, index=True, precompute=True)
    floor = fields.Integer(required=True, default=1, tracking=True, help="Negative for basements.")
    number = fields.Char(required=True, tracking=True, help="Unit number in its building, e.g. 0502.")
    code = fields.Char(
        compute="_compute_code",
        store=True,
        index=True,
        help="Full code: estate code - building code - unit number, e.g. A-3-0502.",
    )
    active = fields.Boolean(default=True, tracking=True)
    unit_type = fields.Selection(UNIT_TYPES, required=True, default="residential", tracking=True)
    gross_area = fields.Float(string="Gross Area (m²)", digits=(16, 2), tracking=True)
    inner_area = fields.Float(string="Inner Area (m²)", digits=(16, 2), tracking=True)
    status = fields.Selection(UNIT_STATUSES, required=True, default="vacant", tracking=True)
    is_occupied = fields.Boolean(compute="_compute_is_occupied", store=True)
    occupancy_rate = fields.Float(
        compute="_compute_is_occupied",
        store=True,
        aggregator="avg",
        digits=(5, 1),
        string="Occupancy (%)",
        help="100 for an occupied or let unit, 0 otherwise: its average over units is the occupancy rate.",
    )
    handover_date = fields.Date(tracking=True)
    note = fields.Html()
    occupancy_ids = fields.One2many("property.occupancy", "unit_id", string="Occupancies")
    current_occupancy_ids = fields.One2many(
        "property.occupancy", compute="_compute_current_occupancies", string="Current Occupants"
    )
    occupancy_count = fields.Integer(compute="_compute_current_occupancies")
    owner_id = fields.Many2one(
        "res.partner",
        compute="_compute_current_occupancies",
        search="_search_owner_id",
        help="The current primary owner.",
    )

    _sql_constraints = [
        (
            "number_building_uniq",
            "unique(building_id, number)",
            "A unit number must be unique in its building.",
        ),
        ("gross_area_positive", "CHECK(gross_area >= 0)", "The gross area cannot be negative."),
        ("inner_area_positive", "CHECK(inner_area >= 0)", "The inner area cannot be negative."),
        (
            "inner_le_gross",
            "CHECK(inner_area <= gross_area)",
            "The inner area (套内面积) cannot exceed the gross area (建筑面积).",
        ),
    ]

    @api.depends("building_id.code", "building_id.estate_id.code", "number")
    def _compute_code(self):
        for unit in self:
            building = unit.building_id
            unit.code = "-".join(p for p in (building.estate_id.code, building.code, unit.number) if p)

    @api.depends("status")
    def _compute_is_occupied(self):
        for unit in self:
            unit.is_occupied = unit.status in OCCUPIED_STATUSES
            unit.occupancy_rate = 100.0 if unit.is_occupied else 0.0

    @api.depends("occupancy_ids.date_start", "occupancy_ids.date_end", "occupancy_ids.role")
    @api.depends_context("date")
    def _compute_current_occupancies(self):
        today = fields.Date.context_today(self)
        current = self.env["property.occupancy"].search(
            [("unit_id", "in", self.ids)] + self.env["property.occupancy"]._get_current_domain(today)
        )
        for unit in self:
            mine = current.filtered(lambda o, unit=unit: o.unit_id == unit)
            unit.current_occupancy_ids = mine
            unit.occupancy_count = len(mine)
            owners = mine.filtered(lambda o: o.role == "owner")
            unit.owner_id = owners[:1].partner_id

    def _search_owner_id(self, operator, value):
        today = fields.Date.context_today(self)
        occupancies = self.env["property.occupancy"]._search(
            [("role", "=", "owner"), ("partner_id", operator, value)]
            + self.env["property.occupancy"]._get_current_domain(today)
        )
        return [("occupancy_ids", "in", occupancies)]

    @api.constrains("floor", "building_id")
    def _check_floor(self):
        for unit in self:
            building = unit.building_id
            if unit.floor == 0 or not (-building.floors_below <= unit.floor <= building.floors_above):
                raise ValidationError(
                    self.env._(
                        "Unit %(unit)s is on floor %(floor)s, but building %(building)s has floors "
                        "%(low)s to %(high)s (no floor 0).",
                        unit=unit.code,
                        floor=unit.floor,
                        building=building.display_name,
                        low=-building.floors_below or 1,
                        high=building.floors_above,
                    )
                )

    def action_view_occupancies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_base.property_occupancy_action")
        action["domain"] = [("unit_id", "=", self.id)]
        action["context"] = {"default_unit_id": self.id, "search_default_filter_current": 1}
        return action

    def action_transfer_ownership(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfer Ownership"),
            "res_model": "property.ownership.transfer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_unit_id": self.id},
        }
