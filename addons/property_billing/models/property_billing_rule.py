import calendar
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.property_base.models.property_unit import UNIT_TYPES

RULE_KINDS = [
    ("fixed", "Fixed Amount per Unit"),
    ("area", "Per m² of Area"),
    ("floor_band", "Per m² by Floor Band"),
    ("metered", "Tiered by Meter Consumption"),
    ("share", "Common-Area Share by Area Ratio"),
]
RULE_PERIODS = [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")]
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
METER_TYPES = [("water", "Water"), ("electricity", "Electricity"), ("gas", "Gas")]
AREA_BASES = [("gross", "Gross Area (建筑面积)"), ("inner", "Inner Area (套内面积)")]


def month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class PropertyBillingRule(models.Model):
    """How one fee item is charged to the units of an estate.

    Prices are per month (物业费 2.5 元/m²/月); a quarterly or yearly rule charges its months
    at once, in the run whose month starts its period. A rule only feeds bill lines: a bill
    line keeps its own quantity, price, amount and explanation, so editing a rule never
    changes an issued bill."""

    _name = "property.billing.rule"
    _description = "Billing Rule"
    _inherit = ["mail.thread"]
    _order = "estate_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    building_ids = fields.Many2many(
        "property.building",
        string="Buildings",
        domain="[('estate_id', '=', estate_id)]",
        help="Leave empty to apply the rule to every building of the estate.",
    )
    unit_type = fields.Selection(UNIT_TYPES, help="Leave empty to apply the rule to every unit type.")
    product_id = fields.Many2one(
        "product.product",
        string="Fee Item",
        required=True,
        ondelete="restrict",
        domain="[('is_property_fee', '=', True)]",
        tracking=True,
    )
    fee_type = fields.Selection(related="product_id.property_fee_type")
    date_from = fields.Date(string="Valid From", required=True, tracking=True)
    date_to = fields.Date(string="Valid To", tracking=True)
    period = fields.Selection(RULE_PERIODS, required=True, default="monthly", tracking=True)
    kind = fields.Selection(RULE_KINDS, required=True, default="area", tracking=True)
    area_basis = fields.Selection(AREA_BASES, default="gross", required=True)
    price = fields.Float(
        string="Rate",
        digits="Product Price",
        tracking=True,
        help="Per month: per unit for a fixed amount, per m² for area rules (also the rate of floors "
        "outside every floor band).",
    )
    band_ids = fields.One2many("property.billing.rule.band", "rule_id", string="Floor Bands", copy=True)
    elevator_only = fields.Boolean(
        string="Bands Only with Elevators",
        help="Floor bands apply only in buildings with elevators; other buildings pay the base rate.",
    )
    meter_type = fields.Selection(METER_TYPES)
    tier_ids = fields.One2many("property.billing.rule.tier", "rule_id", string="Tiers", copy=True)
    share_amount = fields.Monetary(
        string="Shared Amount per Month",
        help="Common-area cost split across all units of the rule by their area.",
    )
    prorate = fields.Boolean(
        string="Prorate by Days",
        default=True,
        help="Charge by days when the payer moves in or out mid-period.",
    )
    vacancy_discount = fields.Float(
        string="Vacancy Discount (%)", digits=(5, 2), help="Discount for units whose status is vacant (空置)."
    )

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_to IS NULL OR date_to >= date_from)",
            "A rule cannot end before it starts.",
        ),
        (
            "discount_range",
            "CHECK(vacancy_discount >= 0 AND vacancy_discount <= 100)",
            "The vacancy discount is between 0 and 100%.",
        ),
    ]

    @api.constrains("kind", "meter_type", "tier_ids", "band_ids")
    def _check_kind(self):
        for rule in self:
            if rule.kind == "metered" and (not rule.meter_type or not rule.tier_ids):
                raise ValidationError(
                    self.env._("Metered rule %s needs a meter type and at least one tier.", rule.name)
                )
            if rule.kind == "floor_band" and not rule.band_ids:
                raise ValidationError(self.env._("Floor-band rule %s needs at least one band.", rule.name))
            open_tiers = rule.tier_ids.filtered(lambda t: not t.up_to)
            if len(open_tiers) > 1:
                raise ValidationError(self.env._("Only the last tier of %s can be open-ended.", rule.name))

    # ------------------------------------------------------------------
    # The engine
    # ------------------------------------------------------------------
    @api.model
    def _get_span(self, period, date_from):
        """The span a rule of ``period`` charges in the monthly run starting on
        ``date_from``, or None when that month does not start one of its periods."""
        months = PERIOD_MONTHS[period]
        if (date_from.month - 1) % months:
            return None
        return date_from, date_from + relativedelta(months=months) - timedelta(days=1)

    @api.model
    def _get_applicable_rules(self, units, date_from):
        """Per unit id, the rules that apply to it, one per fee item (the most specific wins)."""
        rules = self.search(
            [
                ("estate_id", "in", units.estate_id.ids),
                ("date_from", "<=", date_from + relativedelta(months=12)),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", date_from),
            ]
        )
        candidates = []
        for rule in rules:
            span = self._get_span(rule.period, date_from)
            if not span or rule.date_from > span[1] or (rule.date_to and rule.date_to < span[0]):
                continue
            specificity = (bool(rule.building_ids), bool(rule.unit_type))
            candidates.append((rule, span, specificity, set(rule.building_ids.ids)))
        candidates.sort(key=lambda c: (not c[2][0], not c[2][1], c[0].sequence, c[0].id))
        result = defaultdict(list)
        for unit in units:
            taken = set()
            for rule, span, _spec, building_ids in candidates:
                if rule.estate_id != unit.estate_id or rule.product_id.id in taken:
                    continue
                if building_ids and unit.building_id.id not in building_ids:
                    continue
                if rule.unit_type and rule.unit_type != unit.unit_type:
                    continue
                taken.add(rule.product_id.id)
                result[unit.id].append((rule, span))
        return result

    @api.model
    def _get_payer_coverage(self, units, date_from, date_to):
        """Per unit id, the occupancies (owner, or tenant paying) that overlap the dates."""
        occupancies = self.env["property.occupancy"].search_fetch(
            [
                ("unit_id", "in", units.ids),
                ("date_start", "<=", date_to),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", date_from),
                "|",
                ("role", "=", "owner"),
                "&",
                ("role", "=", "tenant"),
                ("is_payer", "=", True),
            ],
            ["unit_id", "partner_id", "role", "date_start", "date_end"],
            order="id",
        )
        by_unit = defaultdict(list)
        for occ in occupancies:
            by_unit[occ.unit_id.id].append(
                (occ.date_start, occ.date_end or date_to, occ.role, occ.partner_id.id)
            )
        return by_unit

    @api.model
    def _payer_for_span(self, intervals, span):
        """(payer partner id, days covered by a payer) in the span: the payer is the one of
        the last covered day, a paying tenant before the owner."""
        start, end = span
        covered = set()
        for o_start, o_end, _role, _partner in intervals:
            lo, hi = max(start, o_start), min(end, o_end)
            day = lo
            while day <= hi:
                covered.add(day)
                day += timedelta(days=1)
        if not covered:
            return None, 0
        last = max(covered)
        at_last = [i for i in intervals if i[0] <= last <= i[1]]
        tenants = [i for i in at_last if i[2] == "tenant"]
        payer = (tenants or at_last)[0][3]
        return payer, len(covered)

    @api.model
    def _compute_charges(self, units, date_from):
        """The charges of ``units`` for the month starting on ``date_from``, as a list of
        dicts ready for bill lines (plus ``partner_id``). Nothing is written. The lines are
        explained in the company's language, whoever runs the billing (a queue job)."""
        model = self.with_context(lang=self.env.company._property_lang())
        units = units.with_env(model.env).with_context(active_test=False)
        date_to = month_end(date_from)
        rules_by_unit = model._get_applicable_rules(units, date_from)
        coverage = model._get_payer_coverage(units, date_from, date_from + relativedelta(months=12))
        metered = model._get_metered_consumption(units, rules_by_unit, date_to)
        share_areas = {}
        currency = model.env.company.currency_id
        charges = []
        for unit in units:
            for rule, span in rules_by_unit.get(unit.id, ()):
                partner_id, days = model._payer_for_span(coverage.get(unit.id, ()), span)
                if not partner_id:
                    continue
                if rule.kind == "metered":
                    values = rule._metered_values(unit, metered.get((unit.id, rule.meter_type)))
                    if not values:
                        continue
                else:
                    span_days = (span[1] - span[0]).days + 1
                    proration = days / span_days if rule.prorate else 1.0
                    values = rule._area_values(unit, share_areas)
                    values["proration"] = proration
                    values["discount"] = rule.vacancy_discount if unit.status == "vacant" else 0.0
                    values["amount"] = currency.round(
                        values["quantity"] * values["price_unit"] * proration * (1 - values["discount"] / 100)
                    )
                    notes = []
                    if proration < 1:
                        notes.append(
                            model.env._("prorated %(days)s/%(total)s days", days=days, total=span_days)
                        )
                    if values["discount"]:
                        notes.append(model.env._("vacancy discount %s%%", format(values["discount"], "g")))
                    if notes:
                        values["description"] += " (" + ", ".join(notes) + ")"
                if not currency.compare_amounts(values["amount"], 0) and not values.get("reading_ids"):
                    continue
                charges.append(
                    {
                        "unit_id": unit.id,
                        "partner_id": partner_id,
                        "product_id": rule.product_id.id,
                        "rule_id": rule.id,
                        "period_start": span[0],
                        "period_end": span[1],
                        "date_to": date_to,
                        **values,
                    }
                )
        return charges

    def _area_values(self, unit, share_areas):
        """Quantity, unit price and explanation of a non-metered rule for one unit."""
        self.ensure_one()
        months = PERIOD_MONTHS[self.period]
        area = unit.inner_area if self.area_basis == "inner" else unit.gross_area
        basis = self.env._("inner area") if self.area_basis == "inner" else self.env._("gross area")
        if self.kind == "fixed":
            return {
                "quantity": months,
                "price_unit": self.price,
                "description": self.env._("%(months)s month(s) × %(price)s", months=months, price=self.price),
            }
        if self.kind == "area":
            return {
                "quantity": area * months,
                "price_unit": self.price,
                "description": self.env._(
                    "%(area)s m² (%(basis)s) × %(months)s month(s) × %(price)s/m²",
                    area=format(area, "g"),
                    basis=basis,
                    months=months,
                    price=self.price,
                ),
            }
        if self.kind == "floor_band":
            rate, band_label = self.price, self.env._("base rate")
            if not self.elevator_only or unit.building_id.has_elevator:
                band = self.band_ids.filtered(lambda b: b.floor_from <= unit.floor <= b.floor_to)[:1]
                if band:
                    rate = band.rate
                    band_label = self.env._("floors %(f)s–%(t)s", f=band.floor_from, t=band.floor_to)
            return {
                "quantity": area * months,
                "price_unit": rate,
                "description": self.env._(
                    "%(area)s m² × %(months)s month(s) × %(rate)s/m² (floor %(floor)s, %(band)s)",
                    area=format(area, "g"),
                    months=months,
                    rate=rate,
                    floor=unit.floor,
                    band=band_label,
                ),
            }
        # common-area share: the monthly amount split by area over every unit of the rule
        if self.id not in share_areas:
            domain = [("estate_id", "=", self.estate_id.id)]
            if self.building_ids:
                domain.append(("building_id", "in", self.building_ids.ids))
            if self.unit_type:
                domain.append(("unit_type", "=", self.unit_type))
            field = "inner_area" if self.area_basis == "inner" else "gross_area"
            share_areas[self.id] = self.env["property.unit"]._read_group(domain, [], [f"{field}:sum"])[0][0]
        total = share_areas[self.id] or 1.0
        return {
            "quantity": area,
            "price_unit": self.share_amount * months / total,
            "description": self.env._(
                "%(amount)s × %(months)s month(s) × %(area)s m² / %(total)s m²",
                amount=self.share_amount,
                months=months,
                area=format(area, "g"),
                total=format(total, "g"),
            ),
        }

    @api.model
    def _get_metered_consumption(self, units, rules_by_unit, date_to):
        """Per (unit id, meter type): valid readings up to ``date_to`` not billed yet (a reading
        approved late is billed in the next run), and their consumption."""
        meter_types = {
            r.meter_type for pairs in rules_by_unit.values() for r, _s in pairs if r.kind == "metered"
        }
        if not meter_types:
            return {}
        readings = self.env["property.meter.reading"].search_fetch(
            [
                ("unit_id", "in", units.ids),
                ("meter_type", "in", list(meter_types)),
                ("state", "=", "valid"),
                ("bill_line_id", "=", False),
                ("date", "<=", date_to),
            ],
            ["unit_id", "meter_type", "consumption", "date"],
            order="date, id",
        )
        result = defaultdict(lambda: {"consumption": 0.0, "reading_ids": []})
        for reading in readings:
            entry = result[(reading.unit_id.id, reading.meter_type)]
            entry["consumption"] += reading.consumption
            entry["reading_ids"].append(reading.id)
        return result

    def _metered_values(self, unit, consumption):
        """Tiered price of a consumption: each tier's quantity at its price."""
        self.ensure_one()
        if not consumption or not consumption["reading_ids"]:
            return None
        quantity = consumption["consumption"]
        currency = self.company_id.currency_id or self.env.company.currency_id
        amount, lower, parts = 0.0, 0.0, []
        for tier in self.tier_ids.sorted(lambda t: (not t.up_to, t.up_to)):
            upper = tier.up_to or float("inf")
            in_tier = max(0.0, min(quantity, upper) - lower)
            if in_tier > 0:
                amount += in_tier * tier.price
                parts.append(f"{in_tier:g} × {tier.price:g}")
            lower = upper
            if quantity <= upper:
                break
        amount = currency.round(amount)
        return {
            "quantity": quantity,
            "price_unit": amount / quantity if quantity else 0.0,
            "proration": 1.0,
            "discount": 0.0,
            "amount": amount,
            "reading_ids": consumption["reading_ids"],
            "description": self.env._(
                "%(qty)s consumed: %(tiers)s", qty=format(quantity, "g"), tiers=" + ".join(parts) or "0"
            ),
        }


class PropertyBillingRuleBand(models.Model):
    _name = "property.billing.rule.band"
    _description = "Billing Rule Floor Band"
    _order = "rule_id, floor_from"

    rule_id = fields.Many2one("property.billing.rule", required=True, ondelete="cascade", index=True)
    floor_from = fields.Integer(required=True, default=1)
    floor_to = fields.Integer(required=True, default=99)
    rate = fields.Float(string="Rate per m²", digits="Product Price", required=True)

    _sql_constraints = [
        ("floors_ordered", "CHECK(floor_to >= floor_from)", "A floor band cannot end below its start."),
    ]


class PropertyBillingRuleTier(models.Model):
    _name = "property.billing.rule.tier"
    _description = "Billing Rule Price Tier"
    _order = "rule_id, up_to"

    rule_id = fields.Many2one("property.billing.rule", required=True, ondelete="cascade", index=True)
    up_to = fields.Float(digits=(16, 3), help="Upper bound of consumption of this tier; 0 for no limit.")
    price = fields.Float(digits="Product Price", required=True)
