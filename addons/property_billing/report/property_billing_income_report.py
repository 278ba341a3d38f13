from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.product_template import FEE_TYPES
from ..models.property_bill_line import LINE_TYPES


class PropertyBillingIncomeReport(models.Model):
    """Income billed per month, estate, building and fee item: a view over posted bill lines
    (a view, so that pivots over millions of lines stay one query)."""

    _name = "property.billing.income.report"
    _description = "Billing Income Report"
    _auto = False
    _order = "month desc, estate_id, product_id"
    _depends = {
        "property.bill": ["estate_id", "company_id", "partner_id", "date"],
        "property.bill.line": [
            "bill_id",
            "period_start",
            "building_id",
            "product_id",
            "fee_type",
            "line_type",
            "amount_untaxed",
            "amount_tax",
            "amount_total",
            "move_id",
        ],
    }

    month = fields.Date(readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    building_id = fields.Many2one("property.building", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", string="Fee Item", readonly=True)
    fee_type = fields.Selection(FEE_TYPES, readonly=True)
    line_type = fields.Selection(LINE_TYPES, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Household", readonly=True)
    amount_untaxed = fields.Monetary(string="Income (Untaxed)", readonly=True)
    amount_tax = fields.Monetary(string="Tax", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT l.id,
                           date_trunc('month', COALESCE(l.period_start, b.date))::date AS month,
                           b.estate_id, l.building_id, b.company_id, c.currency_id,
                           l.product_id, l.fee_type, l.line_type, b.partner_id,
                           l.amount_untaxed, l.amount_tax, l.amount_total
                      FROM property_bill_line l
                      JOIN property_bill b ON b.id = l.bill_id
                      JOIN res_company c ON c.id = b.company_id
                     WHERE l.move_id IS NOT NULL
                )
                """,
                SQL.identifier(self._table),
            )
        )
