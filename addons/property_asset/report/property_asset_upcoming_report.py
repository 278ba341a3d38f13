from odoo import fields, models, tools
from odoo.tools import SQL


class PropertyAssetUpcomingReport(models.Model):
    """What is coming: certificate expiries and the next due date of maintenance plans."""

    _name = "property.asset.upcoming.report"
    _description = "Upcoming Inspections and Maintenance"
    _auto = False
    _order = "date, id"

    kind = fields.Selection(
        [("inspection", "Inspection Expiry"), ("plan", "Maintenance Plan")], readonly=True
    )
    date = fields.Date(string="Due Date", readonly=True)
    equipment_id = fields.Many2one("maintenance.equipment", readonly=True)
    category_id = fields.Many2one("maintenance.equipment.category", readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    building_id = fields.Many2one("property.building", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    inspection_id = fields.Many2one("property.equipment.inspection", readonly=True)
    plan_id = fields.Many2one("maintenance.plan", string="Maintenance Plan", readonly=True)
    state = fields.Selection(
        [("valid", "Valid"), ("expiring", "Expiring"), ("expired", "Expired")],
        string="Certificate State",
        readonly=True,
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT i.id * 2 AS id,
                           'inspection' AS kind,
                           i.expiry_date AS date,
                           i.equipment_id,
                           e.category_id,
                           e.estate_id,
                           e.building_id,
                           e.company_id,
                           i.id AS inspection_id,
                           NULL::integer AS plan_id,
                           i.state
                      FROM property_equipment_inspection i
                      JOIN maintenance_equipment e ON e.id = i.equipment_id
                     WHERE NOT COALESCE(i.is_superseded, FALSE) AND e.active
                    UNION ALL
                    SELECT p.id * 2 + 1 AS id,
                           'plan' AS kind,
                           p.next_maintenance_date AS date,
                           p.equipment_id,
                           e.category_id,
                           e.estate_id,
                           e.building_id,
                           COALESCE(p.company_id, e.company_id) AS company_id,
                           NULL::integer AS inspection_id,
                           p.id AS plan_id,
                           NULL AS state
                      FROM maintenance_plan p
                      JOIN maintenance_equipment e ON e.id = p.equipment_id
                     WHERE p.active AND e.active AND p.next_maintenance_date IS NOT NULL
                )
                """,
                SQL.identifier(self._table),
            )
        )
