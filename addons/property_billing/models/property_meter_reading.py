import statistics
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

READING_SOURCES = [("manual", "Manual Entry"), ("import", "Excel Import"), ("iot", "IoT")]
READING_STATES = [("valid", "Valid"), ("to_review", "To Review"), ("rejected", "Rejected")]
# A consumption above this many times the usual one (median of the last readings) is implausible.
IMPLAUSIBLE_FACTOR = 10.0
USUAL_SAMPLE = 6
ROLLOVER_NEAR = 0.9


class PropertyMeterReading(models.Model):
    _name = "property.meter.reading"
    _description = "Meter Reading"
    _order = "date desc, id desc"
    _check_company_auto = True

    meter_id = fields.Many2one("property.meter", required=True, index=True, ondelete="cascade")
    unit_id = fields.Many2one(related="meter_id.unit_id", store=True, index=True)
    estate_id = fields.Many2one(related="meter_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="meter_id.company_id", store=True, index=True)
    meter_type = fields.Selection(related="meter_id.meter_type", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    value = fields.Float(required=True, digits=(16, 3))
    source = fields.Selection(READING_SOURCES, required=True, default="manual")
    is_replacement_start = fields.Boolean(
        string="Replacement Start",
        help="First reading of a new meter that replaced an old one: no consumption.",
    )
    is_final = fields.Boolean(string="Final Reading", help="Last reading of a meter before it was replaced.")
    previous_value = fields.Float(readonly=True, digits=(16, 3))
    consumption = fields.Float(readonly=True, digits=(16, 3))
    is_rollover = fields.Boolean(string="Rollover", readonly=True)
    state = fields.Selection(READING_STATES, required=True, default="valid", readonly=True, index=True)
    review_reason = fields.Char(readonly=True)
    bill_line_id = fields.Many2one(
        "property.bill.line", readonly=True, index=True, ondelete="set null", copy=False
    )

    _sql_constraints = [
        ("meter_date_uniq", "unique(meter_id, date)", "A meter has one reading per day."),
        ("value_positive", "CHECK(value >= 0)", "A reading cannot be negative."),
    ]

    @api.depends("meter_id", "date", "value")
    def _compute_display_name(self):
        for reading in self:
            reading.display_name = f"{reading.meter_id.name or ''} {reading.date or ''}: {reading.value:g}"

    @api.model_create_multi
    def create(self, vals_list):
        readings = super().create(vals_list)
        readings._compute_consumption()
        readings.filtered("is_final").meter_id.filtered("active").write({"active": False})
        return readings

    def write(self, vals):
        if self.filtered("bill_line_id") and {"value", "date", "meter_id"} & set(vals):
            raise UserError(self.env._("A billed reading cannot be changed."))
        res = super().write(vals)
        if {"value", "date"} & set(vals):
            self._compute_consumption()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed(self):
        if self.filtered("bill_line_id"):
            raise UserError(self.env._("A billed reading cannot be deleted."))

    @api.model
    def _get_consumption_history_domain(self):
        """The readings that can be the previous reading of another one (extension point)."""
        return [("state", "!=", "rejected")]

    def _compute_consumption(self):
        """Consumption since the previous reading of the same meter, with rollover, and the
        review state. One query for the whole batch (imports bring thousands)."""
        if not self:
            return
        history = self.search_fetch(
            [
                ("meter_id", "in", self.meter_id.ids),
                ("date", ">=", min(self.mapped("date")) - timedelta(days=400)),
                ("date", "<=", max(self.mapped("date"))),
                *self._get_consumption_history_domain(),
            ],
            ["meter_id", "date", "value", "consumption", "state"],
            order="date, id",
        )
        by_meter = defaultdict(list)
        for reading in history:
            by_meter[reading.meter_id].append(reading)
        for reading in self.sorted(lambda r: (r.date, r.id)):
            meter = reading.meter_id
            earlier = [r for r in by_meter[meter] if (r.date, r.id) < (reading.date, reading.id)]
            vals = {"previous_value": 0.0, "consumption": 0.0, "is_rollover": False}
            state, reason = "valid", False
            previous = earlier[-1] if earlier else None
            if previous and not reading.is_replacement_start:
                delta = reading.value - previous.value
                vals["previous_value"] = previous.value
                rollover = meter.rollover_value
                if delta < 0 and rollover and previous.value >= ROLLOVER_NEAR * rollover:
                    delta = rollover - previous.value + reading.value
                    vals["is_rollover"] = True
                consumption = delta * meter.multiplier
                vals["consumption"] = consumption
                usual_sample = [
                    r.consumption for r in earlier[-USUAL_SAMPLE:] if r.state == "valid" and r.consumption > 0
                ]
                usual = statistics.median(usual_sample) if len(usual_sample) >= 3 else 0.0
                if consumption < 0:
                    state, reason = "to_review", self.env._("Negative consumption")
                elif usual > 0 and consumption > IMPLAUSIBLE_FACTOR * usual:
                    state = "to_review"
                    reason = self.env._(
                        "Consumption %(c)s is more than %(f)s times the usual %(u)s",
                        c=format(consumption, "g"),
                        f=format(IMPLAUSIBLE_FACTOR, "g"),
                        u=format(usual, "g"),
                    )
            if reading.state != "rejected":
                vals.update(state=state, review_reason=reason)
            super(PropertyMeterReading, reading).write(vals)

    def action_approve(self):
        for reading in self:
            if reading.consumption < 0:
                raise UserError(
                    self.env._(
                        "Reading %s has a negative consumption: correct its value.", reading.display_name
                    )
                )
        self.write({"state": "valid"})
        return True

    def action_reject(self):
        if self.filtered("bill_line_id"):
            raise UserError(self.env._("A billed reading cannot be rejected."))
        self.write({"state": "rejected"})
        return True

    @api.model
    def _import_readings(self, vals_list):
        """Create readings from other sources (Excel, IoT): each dict has ``date``, ``value``
        and either ``meter_id`` or ``meter_name`` (serial number), optionally ``source``.
        A reading already recorded for the meter and day is skipped, so a repeated import
        is harmless. Returns the created readings."""
        names = {v["meter_name"] for v in vals_list if not v.get("meter_id") and v.get("meter_name")}
        meters = {}
        if names:
            for meter in self.env["property.meter"].search_fetch([("name", "in", list(names))], ["name"]):
                meters[meter.name] = meter.id
        to_create, unknown = [], []
        for vals in vals_list:
            meter_id = vals.get("meter_id") or meters.get(vals.get("meter_name"))
            if not meter_id:
                unknown.append(vals.get("meter_name"))
                continue
            to_create.append(
                {
                    "meter_id": meter_id,
                    "date": fields.Date.to_date(vals["date"]),
                    "value": float(vals["value"]),
                    "source": vals.get("source", "import"),
                }
            )
        if unknown:
            raise UserError(self.env._("Unknown meters: %s", ", ".join(sorted(map(str, set(unknown))))))
        existing = {
            (r.meter_id.id, r.date)
            for r in self.search_fetch(
                [
                    ("meter_id", "in", list({v["meter_id"] for v in to_create})),
                    ("date", "in", list({v["date"] for v in to_create})),
                ],
                ["meter_id", "date"],
            )
        }
        seen, fresh = set(), []
        for vals in to_create:
            key = (vals["meter_id"], vals["date"])
            if key not in existing and key not in seen:
                seen.add(key)
                fresh.append(vals)
        return self.create(fresh)
