from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models

# white → red, by share of the busiest unit
HEAT_COLOURS = ["#ffffff", "#fff3bf", "#ffd8a8", "#ffa8a8", "#fa5252", "#c92a2a"]


def _heat_colour(count, peak):
    if not count or not peak:
        return HEAT_COLOURS[0]
    return HEAT_COLOURS[min(len(HEAT_COLOURS) - 1, 1 + int((len(HEAT_COLOURS) - 2) * count / peak))]


class PropertyRequestHeatmapWizard(models.TransientModel):
    _name = "property.request.heatmap.wizard"
    _description = "Complaint Heatmap"

    estate_id = fields.Many2one("property.estate", required=True)
    building_id = fields.Many2one("property.building", domain="[('estate_id', '=', estate_id)]")
    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=90)
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    category_ids = fields.Many2many(
        "property.request.category", string="Categories", help="Empty: all categories."
    )
    unit_grid = fields.Html(compute="_compute_grids", sanitize=False, string="Units")
    building_table = fields.Html(compute="_compute_grids", sanitize=False, string="Buildings")

    def _get_domain(self):
        self.ensure_one()
        domain = [
            ("estate_id", "=", self.estate_id.id),
            ("request_date", ">=", fields.Datetime.to_datetime(self.date_from)),
            ("request_date", "<", fields.Datetime.to_datetime(self.date_to) + timedelta(days=1)),
            ("state", "!=", "cancelled"),
        ]
        if self.category_ids:
            domain.append(("category_id", "in", self.category_ids.ids))
        return domain

    @api.depends("estate_id", "building_id", "date_from", "date_to", "category_ids")
    def _compute_grids(self):
        Request = self.env["property.request"]
        for wizard in self:
            if not wizard.estate_id or not wizard.date_from or not wizard.date_to:
                wizard.unit_grid = wizard.building_table = False
                continue
            domain = wizard._get_domain()
            wizard.building_table = wizard._render_building_table(
                Request._read_group(domain, ["building_id"], ["__count"])
            )
            if not wizard.building_id:
                wizard.unit_grid = Markup('<p class="text-muted">%s</p>') % self.env._(
                    "Choose a building to see its units."
                )
                continue
            counts = dict(
                Request._read_group(
                    domain + [("building_id", "=", wizard.building_id.id)], ["unit_id"], ["__count"]
                )
            )
            wizard.unit_grid = wizard._render_unit_grid(counts)

    def _render_unit_grid(self, counts):
        units = self.building_id.unit_ids.sorted(lambda u: (-u.floor, u.number))
        peak = max([counts.get(u, 0) for u in units] or [0])
        by_floor = defaultdict(list)
        for unit in units:
            by_floor[unit.floor].append(unit)
        rows = []
        for floor in sorted(by_floor, reverse=True):
            cells = Markup("").join(
                Markup('<td style="background-color:%s" title="%s">%s<br/><b>%s</b></td>')
                % (_heat_colour(counts.get(unit, 0), peak), unit.code, unit.number, counts.get(unit, 0))
                for unit in by_floor[floor]
            )
            rows.append(Markup("<tr><th>%s</th>%s</tr>") % (floor, cells))
        common = counts.get(self.env["property.unit"], 0)
        footer = Markup('<p class="text-muted">%s</p>') % self.env._(
            "Common areas of the building: %s requests.", common
        )
        return Markup(
            '<div class="o_property_heatmap"><table class="table table-sm table-bordered text-center">'
            "<tbody>%s</tbody></table>%s</div>"
        ) % (Markup("").join(rows), footer)

    def _render_building_table(self, groups):
        if not groups:
            return Markup('<p class="text-muted">%s</p>') % self.env._("No requests in this period.")
        peak = max(count for _b, count in groups)
        rows = Markup("").join(
            Markup('<tr><td>%s</td><td style="background-color:%s">%s</td></tr>')
            % (escape(building.display_name or self.env._("Estate-wide")), _heat_colour(count, peak), count)
            for building, count in sorted(groups, key=lambda g: -g[1])
        )
        return Markup(
            '<table class="table table-sm table-bordered"><thead><tr><th>%s</th><th>%s</th></tr></thead>'
            "<tbody>%s</tbody></table>"
        ) % (self.env._("Building"), self.env._("Requests"), rows)
