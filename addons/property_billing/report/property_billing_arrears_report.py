from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

AGING_BUCKETS = [
    ("not_due", "Not Due"),
    ("0_30", "1–30 Days"),
    ("31_60", "31–60 Days"),
    ("61_90", "61–90 Days"),
    ("91_180", "91–180 Days"),
    ("181_plus", "Over 180 Days"),
]


def aging_bucket(days_overdue):
    if days_overdue <= 0:
        return "not_due"
    for key, limit in (("0_30", 30), ("31_60", 60), ("61_90", 90), ("91_180", 180)):
        if days_overdue <= limit:
            return key
    return "181_plus"


class PropertyBillingArrearsReport(models.Model):
    """What households still owe, per bill, with its age (today in the database)."""

    _name = "property.billing.arrears.report"
    _description = "Arrears Report"
    _auto = False
    _order = "date_due, id"
    _depends = {
        "property.bill": [
            "partner_id",
            "estate_id",
            "building_id",
            "company_id",
            "period_start",
            "date",
            "date_due",
            "state",
            "amount_total",
            "amount_residual",
        ],
    }

    bill_id = fields.Many2one("property.bill", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Household", readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    building_id = fields.Many2one("property.building", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    period_start = fields.Date(readonly=True)
    date_due = fields.Date(readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    aging = fields.Selection(AGING_BUCKETS, readonly=True)
    amount_total = fields.Monetary(readonly=True)
    amount_residual = fields.Monetary(string="Amount Due", readonly=True)
    unit_names = fields.Char(string="Units", compute="_compute_unit_names")

    @api.depends("bill_id")
    def _compute_unit_names(self):
        lines = self.env["property.bill.line"]._read_group(
            [("bill_id", "in", self.bill_id.ids), ("unit_id", "!=", False)],
            ["bill_id"],
            ["unit_id:recordset"],
        )
        units = {bill.id: unit_ids for bill, unit_ids in lines}
        for rec in self:
            rec.unit_names = ", ".join(
                units.get(rec.bill_id.id, self.env["property.unit"]).sorted("code").mapped("code")
            )

    def action_export_xlsx(self):
        """The list's XLSX button: the ticked rows, or every row of the current filter when
        none is ticked (``active_domain``, which the list sends with the button)."""
        records = self or self.search(self.env.context.get("active_domain") or [])
        if not records:
            raise UserError(self.env._("The current filter holds no arrears to export."))
        return self.env.ref("property_billing.report_arrears_xlsx").report_action(records)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT b.id, b.id AS bill_id, b.partner_id, b.estate_id, b.building_id, b.company_id,
                           c.currency_id, b.period_start, b.date_due,
                           GREATEST(CURRENT_DATE - b.date_due, 0) AS days_overdue,
                           CASE WHEN CURRENT_DATE <= b.date_due THEN 'not_due'
                                WHEN CURRENT_DATE - b.date_due <= 30 THEN '0_30'
                                WHEN CURRENT_DATE - b.date_due <= 60 THEN '31_60'
                                WHEN CURRENT_DATE - b.date_due <= 90 THEN '61_90'
                                WHEN CURRENT_DATE - b.date_due <= 180 THEN '91_180'
                                ELSE '181_plus' END AS aging,
                           b.amount_total, b.amount_residual
                      FROM property_bill b
                      JOIN res_company c ON c.id = b.company_id
                     WHERE b.state IN ('open', 'partial') AND b.amount_residual > 0
                )
                """,
                SQL.identifier(self._table),
            )
        )
