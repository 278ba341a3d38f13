from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.property_request import REQUEST_STATES


class PropertyRequestReport(models.Model):
    """One row per request, with the figures of the timeliness ranking. Averages over a
    group (team, technician, month…) give its response time, resolution time, SLA hit rate
    and rating; averages skip empty values (unfinished or unrated requests)."""

    _name = "property.request.report"
    _description = "Service Timeliness Report"
    _auto = False
    _order = "request_date desc"
    _rec_name = "request_id"

    request_id = fields.Many2one("property.request", readonly=True)
    request_date = fields.Datetime(string="Reported On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    building_id = fields.Many2one("property.building", readonly=True)
    category_id = fields.Many2one("property.request.category", readonly=True)
    team_id = fields.Many2one("property.service.team", readonly=True)
    technician_id = fields.Many2one("hr.employee", readonly=True)
    state = fields.Selection(REQUEST_STATES, readonly=True)
    priority = fields.Selection(
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")], readonly=True
    )
    is_complaint = fields.Boolean(readonly=True)
    request_count = fields.Integer(string="Requests", readonly=True, aggregator="sum")
    response_hours = fields.Float(string="Response Time (h)", readonly=True, aggregator="avg")
    resolution_hours = fields.Float(string="Resolution Time (h)", readonly=True, aggregator="avg")
    sla_hit_rate = fields.Float(string="SLA Hit Rate (%)", readonly=True, aggregator="avg")
    rating = fields.Float(readonly=True, aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT r.id AS id,
                           r.id AS request_id,
                           r.request_date,
                           r.company_id,
                           r.estate_id,
                           r.building_id,
                           r.category_id,
                           r.team_id,
                           r.technician_id,
                           r.state,
                           r.priority,
                           COALESCE(c.is_complaint, FALSE) AS is_complaint,
                           1 AS request_count,
                           CASE WHEN r.accepted_date IS NOT NULL THEN r.response_hours END AS response_hours,
                           CASE WHEN r.done_date IS NOT NULL THEN r.resolution_hours END AS resolution_hours,
                           CASE WHEN r.done_date IS NOT NULL AND r.resolution_deadline IS NOT NULL
                                THEN CASE WHEN r.is_resolved_late THEN 0.0 ELSE 100.0 END END AS sla_hit_rate,
                           CASE WHEN r.rating IS NOT NULL THEN r.rating::float END AS rating
                      FROM property_request r
                 LEFT JOIN property_request_category c ON c.id = r.category_id
                     WHERE r.state != 'cancelled'
                )
                """,
                SQL.identifier(self._table),
            )
        )
