from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

OCCUPANCY_ROLES = [
    ("owner", "Owner"),
    ("co_owner", "Co-owner"),
    ("tenant", "Tenant"),
    ("family", "Family Member"),
    ("other", "Other"),
]
OWNING_ROLES = ("owner", "co_owner")
# Fields that define who held which unit, in which role, from when: once an occupancy has
# started they are history, and changing them would rewrite it.
HISTORY_FIELDS = ("unit_id", "partner_id", "role", "date_start")


class PropertyOccupancy(models.Model):
    _name = "property.occupancy"
    _description = "Occupancy"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "unit_id, date_start desc, id desc"
    _check_company_auto = True

    unit_id = fields.Many2one("property.unit", required=True, index=True, ondelete="restrict", tracking=True)
    building_id = fields.Many2one(related="unit_id.building_id", store=True, index=True, precompute=True)
    estate_id = fields.Many2one(related="unit_id.estate_id", store=True, index=True, precompute=True)
    company_id = fields.Many2one(related="unit_id.company_id", store=True, index=True, precompute=True)
    partner_id = fields.Many2one(
        "res.partner", string="Resident", required=True, index=True, ondelete="restrict", tracking=True
    )
    role = fields.Selection(OCCUPANCY_ROLES, required=True, default="owner", tracking=True)
    share = fields.Float(
        string="Share (%)",
        digits=(5, 2),
        tracking=True,
        help="Ownership share of an owner or co-owner.",
    )
    date_start = fields.Date(string="Start", required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(
        string="End", tracking=True, help="Last day of the occupancy; empty while it lasts."
    )
    is_primary_contact = fields.Boolean(
        string="Primary Contact",
        tracking=True,
        help="The person the property company contacts first for this unit.",
    )
    is_payer = fields.Boolean(
        string="Pays the Charges",
        tracking=True,
        help="Set on a tenant who pays the unit's charges instead of the owner.",
    )
    state = fields.Selection(
        [("upcoming", "Upcoming"), ("current", "Current"), ("ended", "Ended")],
        compute="_compute_state",
        search="_search_state",
    )
    note = fields.Text()

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "An occupancy cannot end before it starts.",
        ),
        ("share_range", "CHECK(share >= 0 AND share <= 100)", "A share is between 0 and 100%."),
    ]

    @api.model
    def _get_current_domain(self, day):
        return [("date_start", "<=", day), "|", ("date_end", "=", False), ("date_end", ">=", day)]

    @api.depends("date_start", "date_end")
    @api.depends_context("date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for occupancy in self:
            if occupancy.date_start and occupancy.date_start > today:
                occupancy.state = "upcoming"
            elif occupancy.date_end and occupancy.date_end < today:
                occupancy.state = "ended"
            else:
                occupancy.state = "current"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the occupancy state."))
        values = {value} if isinstance(value, str) else set(value)
        today = fields.Date.context_today(self)
        domains = {
            "upcoming": [("date_start", ">", today)],
            "current": self._get_current_domain(today),
            "ended": [("date_end", "<", today)],
        }
        wanted = values if operator in ("=", "in") else set(domains) - values
        return expression.OR([domains[v] for v in sorted(wanted) if v in domains] or [[(0, "=", 1)]])

    @api.depends("partner_id", "unit_id", "role")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for occupancy in self:
            occupancy.display_name = f"{occupancy.unit_id.code or ''} · {occupancy.partner_id.name or ''} ({roles.get(occupancy.role, '')})"

    # ------------------------------------------------------------------
    # Constraints: checked for the whole batch at once (imports create thousands)
    # ------------------------------------------------------------------
    def _overlapping_pairs(self, condition):
        """Pairs of occupancies of the same unit, both matching ``condition`` (an SQL
        fragment on aliases a and b), whose periods overlap. One query for the batch."""
        self.flush_model(["unit_id", "role", "date_start", "date_end", "is_primary_contact"])
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id, b.id
                  FROM property_occupancy a
                  JOIN property_occupancy b
                    ON a.unit_id = b.unit_id AND a.id < b.id
                   AND daterange(a.date_start, a.date_end, '[]') && daterange(b.date_start, b.date_end, '[]')
                 WHERE a.unit_id = ANY(%s) AND %s
                """,
                list(set(self.unit_id.ids)),
                condition,
            )
        )
        return self.browse({i for pair in self.env.cr.fetchall() for i in pair})

    @api.constrains("role", "unit_id", "date_start", "date_end")
    def _check_single_owner(self):
        clash = self._overlapping_pairs(SQL("a.role = 'owner' AND b.role = 'owner'"))
        if clash:
            raise ValidationError(
                self.env._(
                    "A unit has one primary owner at a time; use co-owners for shared ownership, "
                    "or end the current owner's occupancy first (Transfer Ownership). Unit: %s",
                    ", ".join(sorted(set(clash.unit_id.mapped("code")))),
                )
            )

    @api.constrains("is_primary_contact", "unit_id", "date_start", "date_end")
    def _check_single_primary_contact(self):
        clash = self._overlapping_pairs(SQL("a.is_primary_contact AND b.is_primary_contact"))
        if clash:
            raise ValidationError(
                self.env._(
                    "A unit has one primary contact at a time. Unit: %s",
                    ", ".join(sorted(set(clash.unit_id.mapped("code")))),
                )
            )

    @api.constrains("share", "role", "unit_id", "date_start", "date_end")
    def _check_total_share(self):
        owning = self.search(
            [("unit_id", "in", self.unit_id.ids), ("role", "in", OWNING_ROLES)], order="unit_id"
        )
        by_unit = defaultdict(list)
        for occ in owning:
            by_unit[occ.unit_id].append(occ)
        for unit, occupancies in by_unit.items():
            # the total can only peak on a day when some occupancy starts
            for day in {o.date_start for o in occupancies}:
                total = sum(
                    o.share
                    for o in occupancies
                    if o.date_start <= day and (not o.date_end or o.date_end >= day)
                )
                if total > 100.0001:
                    raise ValidationError(
                        self.env._(
                            "The ownership shares of unit %(unit)s add up to %(total)s%% on %(day)s; "
                            "they cannot exceed 100%%.",
                            unit=unit.code,
                            total=round(total, 2),
                            day=day,
                        )
                    )

    # ------------------------------------------------------------------
    # History is kept, never overwritten
    # ------------------------------------------------------------------
    def write(self, vals):
        if any(f in vals for f in HISTORY_FIELDS):
            today = fields.Date.context_today(self)
            started = self.filtered(lambda o: o.date_start <= today)
            changed = [f for f in HISTORY_FIELDS if f in vals]
            for occ in started:
                if any(occ[f] != self._convert_to_record_value(f, vals[f]) for f in changed):
                    raise UserError(
                        self.env._(
                            "Occupancy %s has already started: its unit, resident, role and start date are "
                            "history. End it and create a new one instead.",
                            occ.display_name,
                        )
                    )
        return super().write(vals)

    def _convert_to_record_value(self, fname, value):
        field = self._fields[fname]
        return field.convert_to_record(field.convert_to_cache(value, self), self)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        today = fields.Date.context_today(self)
        if any(o.date_start <= today for o in self):
            raise UserError(
                self.env._(
                    "Occupancies that have started are history and cannot be deleted: end them instead."
                )
            )

    def action_end(self, date_end=None):
        """End the occupancies on ``date_end`` (default: today)."""
        date_end = date_end or fields.Date.context_today(self)
        for occupancy in self:
            if occupancy.date_end and occupancy.date_end <= date_end:
                continue
            if date_end < occupancy.date_start:
                raise UserError(
                    self.env._("Occupancy %s cannot end before it starts.", occupancy.display_name)
                )
            occupancy.date_end = date_end
        return True
