from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .property_billing_rule import METER_TYPES


class PropertyMeter(models.Model):
    _name = "property.meter"
    _description = "Utility Meter"
    _inherit = ["mail.thread"]
    _order = "unit_id, meter_type, id"
    _check_company_auto = True

    name = fields.Char(string="Serial Number", required=True, tracking=True)
    unit_id = fields.Many2one("property.unit", required=True, index=True, ondelete="restrict", tracking=True)
    building_id = fields.Many2one(related="unit_id.building_id", store=True, index=True)
    estate_id = fields.Many2one(related="unit_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="unit_id.company_id", store=True, index=True)
    meter_type = fields.Selection(METER_TYPES, required=True, default="water", tracking=True)
    multiplier = fields.Float(
        default=1.0,
        digits=(16, 4),
        tracking=True,
        help="Consumption = reading difference × multiplier (CT ratio).",
    )
    rollover_value = fields.Float(
        string="Rollover At",
        digits=(16, 3),
        tracking=True,
        help="The reading at which the counter restarts from zero, e.g. 100000 for a five-digit meter. "
        "Zero if the counter never rolls over.",
    )
    active = fields.Boolean(default=True, tracking=True)
    install_date = fields.Date()
    replaced_by_id = fields.Many2one("property.meter", ondelete="set null", check_company=True, tracking=True)
    reading_ids = fields.One2many("property.meter.reading", "meter_id", string="Readings")
    last_reading_value = fields.Float(compute="_compute_last_reading", digits=(16, 3))
    last_reading_date = fields.Date(compute="_compute_last_reading")

    _sql_constraints = [
        ("name_type_uniq", "unique(name, meter_type, company_id)", "A meter serial number must be unique."),
        ("multiplier_positive", "CHECK(multiplier > 0)", "The multiplier must be positive."),
        ("rollover_positive", "CHECK(rollover_value >= 0)", "The rollover value cannot be negative."),
    ]

    @api.depends("reading_ids.value", "reading_ids.date", "reading_ids.state")
    def _compute_last_reading(self):
        for meter in self:
            last = meter.reading_ids.filtered(lambda r: r.state != "rejected").sorted(
                lambda r: (r.date, r.id), reverse=True
            )[:1]
            meter.last_reading_value = last.value
            meter.last_reading_date = last.date

    def action_replace(self, date, final_value, new_serial, start_value=0.0):
        """Replace the meter: its final reading, a new meter on the same unit starting at
        ``start_value``. Consumption then continues on the new meter."""
        self.ensure_one()
        if not self.active:
            raise UserError(self.env._("Meter %s is already replaced.", self.name))
        Reading = self.env["property.meter.reading"]
        Reading.create({"meter_id": self.id, "date": date, "value": final_value, "is_final": True})
        new_meter = self.copy(
            {"name": new_serial, "install_date": date, "replaced_by_id": False, "active": True}
        )
        Reading.create(
            {"meter_id": new_meter.id, "date": date, "value": start_value, "is_replacement_start": True}
        )
        self.write({"active": False, "replaced_by_id": new_meter.id})
        return new_meter

    @api.model
    def _load_demo_meters(self):
        """Demo: water and electricity meters on the first residential units of 翠湖花园,
        with three monthly readings each (the last one implausible on one meter)."""
        estate = self.env.ref("property_base.estate_ch_demo", raise_if_not_found=False)
        if not estate:
            return False
        units = self.env["property.unit"].search(
            [("estate_id", "=", estate.id), ("unit_type", "=", "residential")], order="id", limit=20
        )
        meters = self.create(
            [
                {
                    "name": f"{prefix}{unit.code}",
                    "unit_id": unit.id,
                    "meter_type": meter_type,
                    "rollover_value": rollover,
                }
                for unit in units
                for prefix, meter_type, rollover in (
                    ("SB-", "water", 10000.0),
                    ("DB-", "electricity", 100000.0),
                )
            ]
        )
        first = fields.Date.context_today(self).replace(day=1) - relativedelta(months=3)
        vals_list = []
        for i, meter in enumerate(meters):
            monthly = (8 + i % 7) if meter.meter_type == "water" else (150 + 13 * (i % 9))
            value = 100.0 + 37 * i
            for month in range(3):
                vals_list.append(
                    {
                        "meter_id": meter.id,
                        "date": first + relativedelta(months=month) - timedelta(days=1),
                        "value": value,
                        "source": "manual",
                    }
                )
                value += monthly
        self.env["property.meter.reading"]._import_readings(vals_list)
        return True
