from odoo import api, fields, models


class PropertyEstate(models.Model):
    _name = "property.estate"
    _description = "Estate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, translate=False)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Short code that starts every unit code of this estate, e.g. A in A-3-0502.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    street = fields.Char()
    street2 = fields.Char()
    city = fields.Char()
    state_id = fields.Many2one(
        "res.country.state",
        string="Province",
        domain="[('country_id', '=?', country_id)]",
        ondelete="restrict",
    )
    zip = fields.Char(string="ZIP")
    country_id = fields.Many2one("res.country", ondelete="restrict")
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    manager_id = fields.Many2one(
        "res.users",
        string="Estate Manager",
        tracking=True,
        domain="[('share', '=', False)]",
        check_company=True,
    )
    user_ids = fields.Many2many(
        "res.users",
        "property_estate_res_users_rel",
        "estate_id",
        "user_id",
        string="Assigned Staff",
        domain="[('share', '=', False)]",
        help="Staff who work on this estate. Staff below manager level see only the estates "
        "they are assigned to.",
    )
    total_area = fields.Float(string="Total Area (m²)", digits=(16, 2), tracking=True)
    description = fields.Html()
    building_ids = fields.One2many("property.building", "estate_id", string="Buildings")
    building_count = fields.Integer(compute="_compute_counts")
    unit_count = fields.Integer(compute="_compute_counts")
    occupied_unit_count = fields.Integer(compute="_compute_counts")
    occupancy_rate = fields.Float(compute="_compute_counts", digits=(5, 1), string="Occupancy (%)")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "An estate code must be unique per company."),
        ("total_area_positive", "CHECK(total_area >= 0)", "The total area cannot be negative."),
    ]

    @api.depends("building_ids")
    def _compute_counts(self):
        buildings = dict(
            self.env["property.building"]._read_group(
                [("estate_id", "in", self.ids)], ["estate_id"], ["__count"]
            )
        )
        units = {}
        for estate, is_occupied, count in self.env["property.unit"]._read_group(
            [("estate_id", "in", self.ids)], ["estate_id", "is_occupied"], ["__count"]
        ):
            total, occupied = units.get(estate, (0, 0))
            units[estate] = (total + count, occupied + (count if is_occupied else 0))
        for estate in self:
            total, occupied = units.get(estate, (0, 0))
            estate.building_count = buildings.get(estate, 0)
            estate.unit_count = total
            estate.occupied_unit_count = occupied
            estate.occupancy_rate = 100.0 * occupied / total if total else 0.0

    def write(self, vals):
        res = super().write(vals)
        if "user_ids" in vals:
            # record rules read the user's estates: their cache must follow
            self.env.registry.clear_cache()
        return res

    def action_view_buildings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_base.property_building_action")
        action["domain"] = [("estate_id", "=", self.id)]
        action["context"] = {"default_estate_id": self.id}
        return action

    def action_view_units(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_base.property_unit_action")
        action["domain"] = [("estate_id", "=", self.id)]
        action["context"] = {"search_default_group_building": 1}
        return action

    @api.model
    def _load_demo_data(self):
        """Demo data: the generated company, its staff assigned, one resident on the portal."""
        from ..tools import demo_generator

        company = self.env.company
        cny = self.env.ref("base.CNY")
        has_moves = "account.move.line" in self.env and self.env["account.move.line"].sudo().search_count(
            [("company_id", "=", company.id)], limit=1
        )
        if company.currency_id != cny and not has_moves:
            cny.active = True
            company.currency_id = cny
        estates = demo_generator.load(self.env, demo_generator.generate(), xmlid_prefix="property_base.")
        staff = [
            self.env.ref(f"property_base.user_{login}_demo", raise_if_not_found=False)
            for login in ("manager", "frontdesk", "technician", "accountant", "guard")
        ]
        estates.write({"user_ids": [fields.Command.link(u.id) for u in staff if u]})
        manager = self.env.ref("property_base.user_manager_demo", raise_if_not_found=False)
        if manager:
            estates.write({"manager_id": manager.id})
        resident = self.env.ref("property_base.user_resident_demo", raise_if_not_found=False)
        if resident:
            unit = self.env["property.unit"].search(
                [
                    ("estate_id", "=", estates[0].id),
                    ("status", "=", "vacant"),
                    ("unit_type", "=", "residential"),
                ],
                limit=1,
            )
            self.env["property.occupancy"].create(
                {
                    "unit_id": unit.id,
                    "partner_id": resident.partner_id.id,
                    "role": "owner",
                    "share": 100.0,
                    "date_start": unit.handover_date,
                    "is_primary_contact": True,
                }
            )
            unit.status = "occupied"
            self.env["ir.model.data"]._update_xmlids(
                [{"xml_id": "property_base.unit_resident_demo", "record": unit, "noupdate": True}]
            )
        return True
