from collections import defaultdict
from datetime import date, timedelta

from odoo import api, fields, models, tools
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
# A unit's owners live in it unless it is let: while a tenant's occupancy runs, the owners are
# landlords there (they see what an owner sees, not the tenant household's private records).
LETTING_ROLE = "tenant"
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
    # Households: who lived where, when (the residents' portal access derives from this)
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache("partner_id", "day")
    def _portal_access_data(self, partner_id, day):
        """What the resident ``partner_id`` reaches on ``day`` through their occupancies.

        - ``unit_ids``: units where they hold a current occupancy, in any role (landlords too);
        - ``home_unit_ids``: units where they live today (an owner of a let unit does not);
        - ``windows``: ``(unit_id, first_day, last_day or None)`` periods they lived in a unit,
          past and present: a household's records (requests) belong to who lived there then;
        - ``occupancy_ids`` / ``partner_ids``: their own occupancies and the current ones of
          the people they live with (a landlord: the unit's other owners only);
        - ``estate_ids`` / ``building_ids``: of ``unit_ids`` (estate notices, events).

        Cached: every portal page and every record rule of residents starts from this; any
        change to an occupancy clears the cache (``_create``, ``_write_multi``, unlink)."""
        occupancies = self.sudo().with_context(active_test=False)
        own = occupancies.search_fetch(
            [("partner_id", "=", partner_id)], ["unit_id", "role", "date_start", "date_end"]
        )
        if not own:
            return {
                "unit_ids": (),
                "home_unit_ids": (),
                "windows": (),
                "occupancy_ids": (),
                "partner_ids": (partner_id,),
                "estate_ids": (),
                "building_ids": (),
            }
        around = occupancies.search_fetch(
            [("unit_id", "in", own.unit_id.ids)], ["unit_id", "partner_id", "role", "date_start", "date_end"]
        )
        lettings = defaultdict(list)
        for occupancy in around:
            if occupancy.role == LETTING_ROLE:
                lettings[occupancy.unit_id.id].append((occupancy.date_start, occupancy.date_end))

        def lived(occupancy):
            period = (occupancy.date_start, occupancy.date_end)
            if occupancy.role not in OWNING_ROLES:
                return [period]
            return subtract_periods(period, lettings[occupancy.unit_id.id])

        def covers(start, end):
            return start <= day and (not end or end >= day)

        windows = tuple((o.unit_id.id, s, e) for o in own for s, e in lived(o))
        unit_ids = {o.unit_id.id for o in own if covers(o.date_start, o.date_end)}
        home_unit_ids = {unit_id for unit_id, s, e in windows if covers(s, e)}
        visible = set(own.ids)
        for occupancy in around:
            unit_id = occupancy.unit_id.id
            if not covers(occupancy.date_start, occupancy.date_end):
                continue
            if unit_id in home_unit_ids:
                if any(covers(s, e) for s, e in lived(occupancy)):
                    visible.add(occupancy.id)
            elif unit_id in unit_ids and occupancy.role in OWNING_ROLES:
                visible.add(occupancy.id)
        visible_records = occupancies.browse(sorted(visible))
        units = self.env["property.unit"].sudo().browse(sorted(unit_ids))
        return {
            "unit_ids": tuple(units.ids),
            "home_unit_ids": tuple(sorted(home_unit_ids)),
            "windows": windows,
            "occupancy_ids": tuple(visible_records.ids),
            "partner_ids": tuple(
                sorted(
                    set(visible_records.filtered(lambda o: covers(o.date_start, o.date_end)).partner_id.ids)
                    | {partner_id}
                )
            ),
            "estate_ids": tuple(sorted(set(units.estate_id.ids))),
            "building_ids": tuple(sorted(set(units.building_id.ids))),
        }

    @api.model
    def _portal_access(self, partner):
        """``_portal_access_data`` of ``partner`` today, after this transaction's pending writes."""
        self.flush_model(["unit_id", "partner_id", "role", "date_start", "date_end"])
        return self._portal_access_data(partner.id, fields.Date.context_today(self))

    # Clear the cache on the low-level writes: every way of changing occupancies goes through
    # them, including modules that wrap create/write/unlink (OCA auditlog patches those). The
    # registry's default cache also holds the residents' record rules (ir.rule._compute_domain).
    def _create(self, data_list):
        records = super()._create(data_list)
        self.env.registry.clear_cache()
        return records

    def _write_multi(self, vals_list):
        # cleared before the write: nothing in this transaction reads the household in between
        self.env.registry.clear_cache()
        return super()._write_multi(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_clear_household_cache(self):
        self.env.registry.clear_cache()

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


def subtract_periods(period, holes):
    """The days of ``period`` (first day, last day or None) outside every one of ``holes``."""
    start, end = period[0], period[1] or date.max
    result = [(start, end)]
    for hole_start, hole_last in sorted(holes):
        hole_end = hole_last or date.max
        kept = []
        for a, b in result:
            if hole_end < a or hole_start > b:
                kept.append((a, b))
                continue
            if hole_start > a:
                kept.append((a, hole_start - timedelta(days=1)))
            if hole_end < b:
                kept.append((hole_end + timedelta(days=1), b))
        result = kept
    return [(a, None if b == date.max else b) for a, b in result]
