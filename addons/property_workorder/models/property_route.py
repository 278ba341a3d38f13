from datetime import timedelta

from odoo import api, fields, models

OBSERVATION_DAYS = 30
FIELD_WORK_ROUTE_TYPES = [("inspection", "Inspection"), ("cleaning", "Cleaning"), ("greening", "Greening")]


class PropertyRoute(models.Model):
    """Field work on the route engine: inspection, cleaning and greening routes, walked by the
    service teams; their findings become work orders."""

    _inherit = "property.route"

    route_type = fields.Selection(
        selection_add=FIELD_WORK_ROUTE_TYPES,
        default="inspection",
        ondelete={key: "cascade" for key, _label in FIELD_WORK_ROUTE_TYPES},
    )
    team_id = fields.Many2one("property.service.team", check_company=True)
    employee_id = fields.Many2one("hr.employee", check_company=True)
    foot_traffic = fields.Integer(
        string="Foot Traffic (per day)", help="Observed people per day in the area."
    )
    is_frequency_auto = fields.Boolean(
        string="Adjust Frequency Automatically",
        help="Cleaning routes: the cleaning frequency rules set the interval every week.",
    )
    frequency_note = fields.Char(readonly=True)

    @api.model
    def _get_route_type_groups(self):
        groups = super()._get_route_type_groups()
        for route_type, _label in FIELD_WORK_ROUTE_TYPES:
            groups[route_type] = [
                "property_base.group_property_technician",
                "property_base.group_property_front_desk",
            ]
        return groups

    @api.model
    def _get_strict_order_route_types(self):
        return super()._get_strict_order_route_types() | {key for key, _label in FIELD_WORK_ROUTE_TYPES}

    @api.onchange("employee_id")
    def _onchange_employee_id(self):
        if self.employee_id.user_id:
            self.user_id = self.employee_id.user_id

    def _prepare_run_values(self, day, planned):
        values = super()._prepare_run_values(day, planned)
        values["employee_id"] = self.employee_id.id
        if not values.get("user_id"):
            values["user_id"] = self.employee_id.user_id.id
        return values

    # ------------------------------------------------------------------
    # Cleaning frequency from observed load
    # ------------------------------------------------------------------
    def _measure_cleaning_load(self):
        """{route: {'request_volume': n, 'foot_traffic': n}} over the last OBSERVATION_DAYS days."""
        since = fields.Datetime.now() - timedelta(days=OBSERVATION_DAYS)
        domain = [
            ("category_id.code", "=", "cleaning"),
            ("request_date", ">=", since),
            ("estate_id", "in", self.estate_id.ids),
        ]
        counts = {
            (estate.id, building.id): count
            for estate, building, count in self.env["property.request"]
            .sudo()
            ._read_group(domain, ["estate_id", "building_id"], ["__count"])
        }
        result = {}
        for route in self:
            if route.building_id:
                volume = counts.get((route.estate_id.id, route.building_id.id), 0)
            else:
                volume = sum(c for (estate_id, _b), c in counts.items() if estate_id == route.estate_id.id)
            result[route] = {"request_volume": volume, "foot_traffic": route.foot_traffic}
        return result

    def action_apply_cleaning_rules(self):
        routes = self.filtered(lambda r: r.route_type == "cleaning")
        rules = self.env["property.cleaning.rule"].search([])
        for route, values in routes._measure_cleaning_load().items():
            interval = rules.filtered(
                lambda r, route=route: not r.company_id or r.company_id == route.company_id
            )._pick_interval(values)
            if interval is None:
                continue
            note = self.env._(
                "%(requests)s cleaning requests in 30 days, %(traffic)s people a day: every %(days)s day(s).",
                requests=values["request_volume"],
                traffic=values["foot_traffic"],
                days=interval,
            )
            route.write({"interval_days": interval, "frequency_note": note})
        return True

    @api.model
    def _cron_apply_cleaning_rules(self):
        self.search(
            [("route_type", "=", "cleaning"), ("is_frequency_auto", "=", True)]
        ).action_apply_cleaning_rules()
        return True
