from datetime import timedelta

from odoo import api, fields, models

ROUTE_TYPES = [("inspection", "Inspection"), ("cleaning", "Cleaning"), ("greening", "Greening")]
OBSERVATION_DAYS = 30


class PropertyRoute(models.Model):
    _name = "property.route"
    _description = "Field Work Route"
    _inherit = ["mail.thread"]
    _order = "estate_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    route_type = fields.Selection(ROUTE_TYPES, required=True, default="inspection", tracking=True)
    estate_id = fields.Many2one("property.estate", required=True, index=True, tracking=True)
    building_id = fields.Many2one(
        "property.building",
        domain="[('estate_id', '=', estate_id)]",
        check_company=True,
        help="Area the route covers, if it is one building.",
    )
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    team_id = fields.Many2one("property.service.team", check_company=True)
    employee_id = fields.Many2one("hr.employee", string="Assigned To", check_company=True)
    interval_days = fields.Integer(string="Every (days)", default=1, required=True, tracking=True)
    next_date = fields.Date(string="Next Run", default=fields.Date.context_today, required=True)
    foot_traffic = fields.Integer(
        string="Foot Traffic (per day)", help="Observed people per day in the area."
    )
    is_frequency_auto = fields.Boolean(
        string="Adjust Frequency Automatically",
        help="Cleaning routes: the cleaning frequency rules set the interval every week.",
    )
    frequency_note = fields.Char(readonly=True)
    checkpoint_ids = fields.One2many("property.route.checkpoint", "route_id", string="Checkpoints", copy=True)
    run_ids = fields.One2many("property.route.run", "route_id", string="Runs")
    checkpoint_count = fields.Integer(compute="_compute_checkpoint_count")

    _sql_constraints = [
        ("interval_positive", "CHECK(interval_days >= 1)", "A route runs at most once a day.")
    ]

    @api.depends("checkpoint_ids")
    def _compute_checkpoint_count(self):
        for route in self:
            route.checkpoint_count = len(route.checkpoint_ids)

    def _generate_runs(self, day):
        """Create the run of ``day`` for each route due that day. Idempotent per route+date."""
        due = self.filtered(lambda r: r.active and r.next_date <= day and r.checkpoint_ids)
        existing = {
            (run.route_id.id, run.date)
            for run in self.env["property.route.run"].search(
                [("route_id", "in", due.ids), ("date", "=", day)]
            )
        }
        vals_list = [route._prepare_run_values(day) for route in due if (route.id, day) not in existing]
        runs = self.env["property.route.run"].create(vals_list)
        for route in due:
            route.next_date = day + timedelta(days=route.interval_days)
        return runs

    def _prepare_run_values(self, day):
        self.ensure_one()
        return {
            "route_id": self.id,
            "date": day,
            "employee_id": self.employee_id.id,
            "line_ids": [
                fields.Command.create({"checkpoint_id": cp.id, "sequence": cp.sequence})
                for cp in self.checkpoint_ids
            ],
        }

    @api.model
    def _cron_generate_runs(self):
        today = fields.Date.context_today(self)
        self.search([("next_date", "<=", today)])._generate_runs(today)
        return True

    def action_generate_run(self):
        return self._generate_runs(fields.Date.context_today(self)) and True

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
