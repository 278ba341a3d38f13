from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.property_equipment_history import ASSET_STATES

RATIOS = {
    # field: (numerator, denominator): a ratio of sums, so that a category's MTBF is its total
    # operating time divided by its total failures, not an average of its equipment's MTBFs.
    "mtbf": ("operating_hours", "failure_count"),
    "mttr": ("repair_hours", "repair_count"),
}


class PropertyAssetReliabilityReport(models.Model):
    """MTBF and MTTR per equipment, grouped by category, estate... as ratios of sums.

    Same definition as ``maintenance.equipment._get_reliability_figures``: the observation
    window runs from the install date (else the effective date) to the scrap date (else now);
    operating hours = window - repair hours; MTBF = operating hours / failures (corrective
    requests with a failure date); MTTR = repair hours / repairs (those with a repair end)."""

    _name = "property.asset.reliability.report"
    _description = "Equipment Reliability Report (MTBF / MTTR)"
    _auto = False
    _order = "mtbf"

    equipment_id = fields.Many2one("maintenance.equipment", readonly=True)
    category_id = fields.Many2one("maintenance.equipment.category", readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    building_id = fields.Many2one("property.building", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    criticality = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")], readonly=True
    )
    asset_state = fields.Selection(ASSET_STATES, string="Lifecycle State", readonly=True)
    failure_count = fields.Integer(string="Failures", readonly=True)
    repair_count = fields.Integer(string="Repairs", readonly=True)
    operating_hours = fields.Float(readonly=True, digits=(16, 1))
    repair_hours = fields.Float(readonly=True, digits=(16, 1))
    mtbf = fields.Float(string="MTBF (hours)", readonly=True, digits=(16, 1), aggregator="sum")
    mttr = fields.Float(string="MTTR (hours)", readonly=True, digits=(16, 1), aggregator="sum")

    def _read_group_select(self, aggregate_spec, query):
        fname, __, func = aggregate_spec.partition(":")
        if fname in RATIOS and func in ("sum", "avg"):
            numerator, denominator = RATIOS[fname]
            return SQL(
                "COALESCE(SUM(%s) / NULLIF(SUM(%s), 0), 0)",
                self._field_to_sql(self._table, numerator, query),
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    WITH failures AS (
                        SELECT r.equipment_id,
                               COUNT(*) AS failure_count,
                               COUNT(r.repair_end_date) AS repair_count,
                               COALESCE(SUM(EXTRACT(EPOCH FROM (r.repair_end_date - r.failure_date)) / 3600.0)
                                        FILTER (WHERE r.repair_end_date IS NOT NULL), 0) AS repair_hours
                          FROM maintenance_request r
                         WHERE r.maintenance_type = 'corrective'
                           AND r.failure_date IS NOT NULL
                           AND r.equipment_id IS NOT NULL
                      GROUP BY r.equipment_id
                    ), windows AS (
                        SELECT e.id,
                               EXTRACT(EPOCH FROM (
                                   COALESCE(e.scrap_date::timestamp, NOW() AT TIME ZONE 'UTC')
                                   - COALESCE(e.install_date, e.effective_date)::timestamp
                               )) / 3600.0 AS window_hours
                          FROM maintenance_equipment e
                    )
                    SELECT e.id,
                           e.id AS equipment_id,
                           e.category_id,
                           e.estate_id,
                           e.building_id,
                           e.company_id,
                           e.criticality,
                           e.asset_state,
                           COALESCE(f.failure_count, 0)::integer AS failure_count,
                           COALESCE(f.repair_count, 0)::integer AS repair_count,
                           GREATEST(COALESCE(w.window_hours, 0) - COALESCE(f.repair_hours, 0), 0)::float
                               AS operating_hours,
                           COALESCE(f.repair_hours, 0)::float AS repair_hours,
                           (GREATEST(COALESCE(w.window_hours, 0) - COALESCE(f.repair_hours, 0), 0)
                               / NULLIF(f.failure_count, 0))::float AS mtbf,
                           (f.repair_hours / NULLIF(f.repair_count, 0))::float AS mttr
                      FROM maintenance_equipment e
                      JOIN windows w ON w.id = e.id
                 LEFT JOIN failures f ON f.equipment_id = e.id
                     WHERE e.active
                )
                """,
                SQL.identifier(self._table),
            )
        )
