from odoo import fields, models, tools
from odoo.tools import SQL


class PropertyBillingCollectionReport(models.Model):
    """收缴率: per estate and month, what was billed and what has been collected.

    One row per estate and month, so the rate of a row is exact; totals over several rows
    are in the XLSX export, computed from the sums."""

    _name = "property.billing.collection.report"
    _description = "Collection Rate Report"
    _auto = False
    _order = "month desc, estate_id"
    _depends = {
        "property.bill": [
            "estate_id",
            "company_id",
            "period_start",
            "date",
            "state",
            "amount_total",
            "amount_residual",
        ],
    }

    month = fields.Date(readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    bill_count = fields.Integer(string="Bills", readonly=True)
    paid_count = fields.Integer(string="Paid Bills", readonly=True)
    amount_billed = fields.Monetary(readonly=True)
    amount_collected = fields.Monetary(readonly=True)
    amount_due = fields.Monetary(readonly=True)
    collection_rate = fields.Float(
        string="Collection Rate (%)", readonly=True, aggregator="avg", digits=(5, 2)
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT min(b.id) AS id,
                           date_trunc('month', COALESCE(b.period_start, b.date))::date AS month,
                           b.estate_id, b.company_id, c.currency_id,
                           count(*) AS bill_count,
                           count(*) FILTER (WHERE b.state = 'paid') AS paid_count,
                           sum(b.amount_total) AS amount_billed,
                           sum(b.amount_total - b.amount_residual) AS amount_collected,
                           sum(b.amount_residual) AS amount_due,
                           CASE WHEN sum(b.amount_total) > 0
                                THEN round((100 * sum(b.amount_total - b.amount_residual)
                                            / sum(b.amount_total))::numeric, 2)
                                ELSE 0 END AS collection_rate
                      FROM property_bill b
                      JOIN res_company c ON c.id = b.company_id
                     WHERE b.state IN ('open', 'partial', 'paid')
                     GROUP BY 2, b.estate_id, b.company_id, c.currency_id
                )
                """,
                SQL.identifier(self._table),
            )
        )
