from odoo import api, fields, models, tools
from odoo.tools import SQL

from .property_iot_device import METER_TYPES

# what each meter type measures: quantities are compared within a unit of measure, never summed
# across (m³ of water and kWh of electricity make no total)
ENERGY_UOMS = [("kwh", "kWh"), ("m3", "m³")]
UOM_SQL = SQL("CASE d.meter_type WHEN 'electricity' THEN 'kwh' ELSE 'm3' END")


def daily_consumption_sql(tz):
    """Consumption per meter and local day, from the meters' cumulative registers.

    A meter reports its register (``volume`` in m³ for water and gas, ``energy`` in kWh for
    electricity). Consumption is the sum of the deltas between consecutive readings, counted on
    the day of the later reading; a negative delta (meter replaced or reset) counts as 0.
    ``night_consumption`` is the part read between 02:00 (excluded) and 05:00 (included) local
    time. Register values held for review (``held_reason``: a jump, a rollback) are left out:
    the consumption runs from the last good value to the next one."""
    return SQL(
        """
        SELECT x.device_id, x.day, x.consumption, x.night_consumption
          FROM (
            SELECT q.device_id, q.local_ts::date AS day,
                   sum(q.delta) AS consumption,
                   COALESCE(sum(q.delta) FILTER (
                       WHERE q.local_ts::time > TIME '02:00' AND q.local_ts::time <= TIME '05:00'), 0)
                       AS night_consumption
              FROM (
                SELECT r.device_id,
                       (r.ts AT TIME ZONE 'UTC' AT TIME ZONE %s) AS local_ts,
                       GREATEST(r.value - lag(r.value) OVER (PARTITION BY r.device_id ORDER BY r.ts), 0)
                           AS delta
                  FROM property_iot_reading r
                  JOIN property_iot_device d ON d.id = r.device_id
                 WHERE d.meter_type IS NOT NULL
                   AND r.msg_type = 'telemetry'
                   AND r.held_reason IS NULL
                   AND r.metric = CASE WHEN d.kind = 'electricity_meter' THEN 'energy' ELSE 'volume' END
              ) q
             WHERE q.delta IS NOT NULL
             GROUP BY q.device_id, q.local_ts::date
          ) x
        """,
        tz,
    )


def ensure_source_tables(env):
    """The views read the tables of devices, rules and readings, which the same module
    creates: the registry does not order models within a module, so create them first."""
    for model in ("property.iot.device", "property.iot.rule", "property.iot.reading"):
        if not tools.sql.table_exists(env.cr, env[model]._table):
            env[model]._auto_init()


class PropertyIotEnergyReportMixin(models.AbstractModel):
    """Quantities in kWh and m³ side by side: a group that holds both units of measure (or two
    meter types of one unit, water and gas) gets no total, in every view of the web client
    (pivot, graph, grouped list): ``read_group`` blanks its quantities."""

    _name = "property.iot.energy.report.mixin"
    _description = "Energy Report: No Total Across Units"

    # summed quantities, meaningless across meter types
    _energy_quantity_fields = ()
    # percentage fields: (field, current, previous), recomputed on each group from its sums
    _energy_percent_fields = ()

    meter_type = fields.Selection(METER_TYPES, readonly=True)
    uom = fields.Selection(ENERGY_UOMS, string="Unit of Measure", readonly=True)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):  # noqa: PLR0917 (Odoo's signature)
        names = {spec.split(":")[0] for spec in fields}
        percents = [p for p in self._energy_percent_fields if p[0] in names]
        if not names & {*self._energy_quantity_fields, *(p[0] for p in percents)}:
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        sums = {name for _pct, *pair in percents for name in pair}
        extra = ["energy_types_count:count_distinct(meter_type)"]
        extra += [f"energy_sum_{name}:sum({name})" for name in sorted(sums)]
        result = super().read_group(domain, [*fields, *extra], groupby, offset, limit, orderby, lazy)
        for group in result:
            mixed = (group.pop("energy_types_count", 0) or 0) > 1
            total = {name: group.pop(f"energy_sum_{name}", 0.0) or 0.0 for name in sums}
            for pct, current, previous in percents:
                group[pct] = (
                    round(100.0 * (total[current] - total[previous]) / total[previous], 1)
                    if total[previous] and not mixed
                    else False
                )
            if mixed:
                for name in self._energy_quantity_fields:
                    if name in group:
                        group[name] = False
        return result


class PropertyIotEnergyDaily(models.Model):
    """Consumption per meter and day (SQL view); group by unit, building or estate."""

    _name = "property.iot.energy.daily"
    _inherit = ["property.iot.energy.report.mixin"]
    _description = "Daily Energy and Water Consumption"
    _energy_quantity_fields = ("consumption", "night_consumption")
    _auto = False
    _order = "day desc, device_id"

    day = fields.Date(readonly=True)
    device_id = fields.Many2one("property.iot.device", string="Meter", readonly=True)
    unit_id = fields.Many2one("property.unit", readonly=True)
    building_id = fields.Many2one("property.building", readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    consumption = fields.Float(readonly=True, digits=(16, 3))
    night_consumption = fields.Float(readonly=True, digits=(16, 3), help="Consumed between 02:00 and 05:00.")
    is_abnormal = fields.Boolean(
        string="Abnormal Night Use",
        readonly=True,
        help="Night consumption above the threshold of the meter's night-consumption rule.",
    )

    def init(self):
        tz = self.env["ir.config_parameter"].sudo().get_param("property_iot.timezone", "Asia/Shanghai")
        ensure_source_tables(self.env)
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS
                   SELECT row_number() OVER (ORDER BY c.device_id, c.day) AS id,
                          c.day, c.device_id, d.meter_type, %s AS uom,
                          d.unit_id, d.building_id, d.estate_id,
                          d.company_id, c.consumption, c.night_consumption,
                          c.night_consumption > COALESCE((
                              SELECT min(ru.threshold) FROM property_iot_rule ru
                               WHERE ru.active AND ru.rule_type = 'night_consumption'
                                 AND ru.company_id = d.company_id
                                 AND (ru.device_id = d.id OR (ru.device_id IS NULL AND ru.device_kind = d.kind))
                          ), 'Infinity'::float8) AS is_abnormal
                     FROM (%s) c
                     JOIN property_iot_device d ON d.id = c.device_id""",
                SQL.identifier(self._table),
                UOM_SQL,
                daily_consumption_sql(tz),
            )
        )


class PropertyIotEnergyMonthly(models.Model):
    """Consumption per meter and month, with the previous month and the same month of the
    previous year side by side (month-on-month and year-on-year comparison)."""

    _name = "property.iot.energy.monthly"
    _inherit = ["property.iot.energy.report.mixin"]
    _description = "Monthly Energy and Water Consumption"
    _energy_quantity_fields = (
        "consumption",
        "consumption_prev_month",
        "consumption_prev_year",
        "change_mom",
        "change_yoy",
    )
    _energy_percent_fields = (
        ("change_mom_pct", "consumption", "consumption_prev_month"),
        ("change_yoy_pct", "consumption", "consumption_prev_year"),
    )
    _auto = False
    _order = "month desc, device_id"

    month = fields.Date(readonly=True, help="First day of the month.")
    device_id = fields.Many2one("property.iot.device", string="Meter", readonly=True)
    unit_id = fields.Many2one("property.unit", readonly=True)
    building_id = fields.Many2one("property.building", readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    consumption = fields.Float(readonly=True, digits=(16, 3))
    consumption_prev_month = fields.Float(string="Previous Month", readonly=True, digits=(16, 3))
    consumption_prev_year = fields.Float(string="Same Month Last Year", readonly=True, digits=(16, 3))
    change_mom = fields.Float(string="Change vs Previous Month", readonly=True, digits=(16, 3))
    change_yoy = fields.Float(string="Change vs Last Year", readonly=True, digits=(16, 3))
    # in % of the earlier figure; on a group, recomputed from the group's sums (read_group)
    change_mom_pct = fields.Float(
        string="MoM (%)",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
        help="Month-on-month change, in % of the previous month; empty without a previous month.",
    )
    change_yoy_pct = fields.Float(
        string="YoY (%)",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
        help="Year-on-year change, in % of the same month last year; empty without it.",
    )

    def init(self):
        tz = self.env["ir.config_parameter"].sudo().get_param("property_iot.timezone", "Asia/Shanghai")
        ensure_source_tables(self.env)
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS
                   WITH m AS (
                       SELECT c.device_id, date_trunc('month', c.day)::date AS month,
                              sum(c.consumption) AS consumption
                         FROM (%s) c
                        GROUP BY c.device_id, date_trunc('month', c.day)
                   )
                   SELECT row_number() OVER (ORDER BY m.device_id, m.month) AS id,
                          m.month, m.device_id, d.meter_type, %s AS uom,
                          d.unit_id, d.building_id, d.estate_id,
                          d.company_id, m.consumption,
                          COALESCE(pm.consumption, 0) AS consumption_prev_month,
                          COALESCE(py.consumption, 0) AS consumption_prev_year,
                          m.consumption - COALESCE(pm.consumption, 0) AS change_mom,
                          m.consumption - COALESCE(py.consumption, 0) AS change_yoy,
                          CASE WHEN pm.consumption > 0
                               THEN round((100 * (m.consumption - pm.consumption) / pm.consumption)::numeric, 1)
                          END AS change_mom_pct,
                          CASE WHEN py.consumption > 0
                               THEN round((100 * (m.consumption - py.consumption) / py.consumption)::numeric, 1)
                          END AS change_yoy_pct
                     FROM m
                     JOIN property_iot_device d ON d.id = m.device_id
                     LEFT JOIN m pm ON pm.device_id = m.device_id
                                   AND pm.month = (m.month - INTERVAL '1 month')::date
                     LEFT JOIN m py ON py.device_id = m.device_id
                                   AND py.month = (m.month - INTERVAL '1 year')::date""",
                SQL.identifier(self._table),
                daily_consumption_sql(tz),
                UOM_SQL,
            )
        )
