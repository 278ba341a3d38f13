from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models

from .property_unit import UNIT_STATUS_COLOURS

BUILDING_USE_TYPES = [
    ("residential", "Residential"),
    ("commercial", "Commercial"),
    ("office", "Office"),
    ("mixed", "Mixed Use"),
    ("parking", "Parking"),
]


class PropertyBuilding(models.Model):
    _name = "property.building"
    _description = "Building"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "estate_id, sequence, code, id"
    _check_company_auto = True
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(required=True, tracking=True, help="Code inside the estate, e.g. 3 in A-3-0502.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    estate_id = fields.Many2one(
        "property.estate",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True, precompute=True)
    floors_above = fields.Integer(string="Floors Above Ground", default=1, tracking=True)
    floors_below = fields.Integer(string="Floors Below Ground", default=0, tracking=True)
    elevator_count = fields.Integer(string="Elevators", default=0, tracking=True)
    has_elevator = fields.Boolean(compute="_compute_has_elevator", store=True)
    use_type = fields.Selection(BUILDING_USE_TYPES, required=True, default="residential", tracking=True)
    completion_date = fields.Date()
    unit_ids = fields.One2many("property.unit", "building_id", string="Units")
    unit_count = fields.Integer(compute="_compute_unit_stats")
    occupancy_rate = fields.Float(compute="_compute_unit_stats", digits=(5, 1), string="Occupancy (%)")
    floor_grid = fields.Html(compute="_compute_floor_grid", sanitize=False)

    _sql_constraints = [
        ("code_estate_uniq", "unique(estate_id, code)", "A building code must be unique in its estate."),
        (
            "floors_above_positive",
            "CHECK(floors_above >= 1)",
            "A building has at least one floor above ground.",
        ),
        ("floors_below_positive", "CHECK(floors_below >= 0)", "Floors below ground cannot be negative."),
        ("elevators_positive", "CHECK(elevator_count >= 0)", "The number of elevators cannot be negative."),
    ]

    @api.depends("elevator_count")
    def _compute_has_elevator(self):
        for building in self:
            building.has_elevator = building.elevator_count > 0

    @api.depends("estate_id.code", "code", "name")
    def _compute_display_name(self):
        for building in self:
            prefix = f"{building.estate_id.code}-{building.code}" if building.estate_id else building.code
            building.display_name = f"[{prefix}] {building.name}" if building.name else prefix

    @api.depends("unit_ids.status")
    def _compute_unit_stats(self):
        stats = defaultdict(lambda: [0, 0])
        for building, is_occupied, count in self.env["property.unit"]._read_group(
            [("building_id", "in", self.ids)], ["building_id", "is_occupied"], ["__count"]
        ):
            stats[building.id][0] += count
            if is_occupied:
                stats[building.id][1] += count
        for building in self:
            total, occupied = stats[building.id]
            building.unit_count = total
            building.occupancy_rate = 100.0 * occupied / total if total else 0.0

    @api.depends("unit_ids.status", "unit_ids.floor", "unit_ids.number")
    def _compute_floor_grid(self):
        """A floor-by-unit table: one row per floor (top floor first), one cell per unit,
        coloured by status, each cell linking to its unit."""
        status_labels = dict(self.env["property.unit"]._fields["status"]._description_selection(self.env))
        for building in self:
            units = building.unit_ids.sorted(lambda u: (-u.floor, u.number))
            if not units:
                building.floor_grid = Markup('<p class="text-muted">%s</p>') % self.env._(
                    "No units in this building yet."
                )
                continue
            by_floor = defaultdict(list)
            for unit in units:
                by_floor[unit.floor].append(unit)
            rows = []
            for floor in sorted(by_floor, reverse=True):
                cells = Markup("").join(
                    Markup(
                        '<td style="background-color:%(colour)s" title="%(title)s">'
                        '<a href="/odoo/action-property_base.property_unit_action/%(id)s">%(number)s</a>'
                        "</td>"
                    )
                    % {
                        "colour": UNIT_STATUS_COLOURS.get(unit.status, "#fff"),
                        "title": f"{unit.code} · {status_labels.get(unit.status, '')} · {unit.gross_area:g} m²",
                        "id": unit.id,
                        "number": unit.number,
                    }
                    for unit in by_floor[floor]
                )
                rows.append(
                    Markup('<tr><th class="text-nowrap" style="width:4em">%s</th>%s</tr>') % (floor, cells)
                )
            legend = Markup("").join(
                Markup('<span class="px-2 me-1" style="background-color:%s">%s</span>')
                % (UNIT_STATUS_COLOURS.get(key, "#fff"), escape(label))
                for key, label in status_labels.items()
            )
            building.floor_grid = Markup(
                '<div class="o_property_floor_grid"><div class="mb-2">%s</div>'
                '<table class="table table-sm table-bordered text-center"><tbody>%s</tbody></table></div>'
            ) % (legend, Markup("").join(rows))

    def action_view_units(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_base.property_unit_action")
        action["domain"] = [("building_id", "=", self.id)]
        action["context"] = {"default_building_id": self.id, "search_default_group_floor": 1}
        return action
