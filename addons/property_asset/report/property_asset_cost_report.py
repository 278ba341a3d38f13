from odoo import fields, models, tools
from odoo.tools import SQL


class PropertyAssetCostReport(models.Model):
    """Maintenance cost (spare parts + labour) per request, to pivot by equipment, category,
    estate and month. A view: the costs are stored on the requests already."""

    _name = "property.asset.cost.report"
    _description = "Maintenance Cost Report"
    _auto = False
    _order = "date desc"

    request_id = fields.Many2one("maintenance.request", readonly=True)
    equipment_id = fields.Many2one("maintenance.equipment", readonly=True)
    category_id = fields.Many2one("maintenance.equipment.category", readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    building_id = fields.Many2one("property.building", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(readonly=True)
    maintenance_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")], readonly=True
    )
    duration = fields.Float(string="Labour Hours", readonly=True)
    parts_cost = fields.Monetary(readonly=True)
    labour_cost = fields.Monetary(readonly=True)
    total_cost = fields.Monetary(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT r.id,
                           r.id AS request_id,
                           r.equipment_id,
                           e.category_id,
                           e.estate_id,
                           e.building_id,
                           r.company_id,
                           c.currency_id,
                           r.request_date AS date,
                           r.maintenance_type,
                           COALESCE(r.duration, 0) AS duration,
                           COALESCE(r.parts_cost, 0) AS parts_cost,
                           COALESCE(r.labour_cost, 0) AS labour_cost,
                           COALESCE(r.total_cost, 0) AS total_cost
                      FROM maintenance_request r
                      JOIN maintenance_equipment e ON e.id = r.equipment_id
                      JOIN res_company c ON c.id = r.company_id
                     WHERE NOT COALESCE(r.archive, FALSE)
                )
                """,
                SQL.identifier(self._table),
            )
        )
