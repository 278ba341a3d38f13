from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models

CAP_TYPES = [("none", "No Cap"), ("amount", "Fixed Amount"), ("percent", "% of Principal")]


class PropertyLateFeeRule(models.Model):
    """滞纳金: a daily rate on what is overdue after a grace period, up to a cap."""

    _name = "property.late.fee.rule"
    _description = "Late Fee Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    estate_ids = fields.Many2many(
        "property.estate",
        string="Estates",
        check_company=True,
        help="Leave empty for every estate of the company.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Fee Item",
        required=True,
        ondelete="restrict",
        domain="[('is_property_fee', '=', True)]",
        default=lambda self: self.env.ref("property_billing.product_fee_late", raise_if_not_found=False),
    )
    daily_rate = fields.Float(string="Daily Rate (%)", digits=(6, 4), required=True, default=0.05)
    grace_days = fields.Integer(default=0, help="Days after the due date without late fee.")
    cap_type = fields.Selection(CAP_TYPES, required=True, default="percent")
    cap_value = fields.Float(
        string="Cap",
        digits=(16, 2),
        default=100.0,
        help="The most a bill can be charged, in money or in % of its principal.",
    )

    _sql_constraints = [
        ("rate_positive", "CHECK(daily_rate >= 0)", "The daily rate cannot be negative."),
        ("grace_positive", "CHECK(grace_days >= 0)", "The grace period cannot be negative."),
    ]

    def _get_rule_for(self, estate):
        rules = self.search([("company_id", "=", estate.company_id.id)])
        return (
            rules.filtered(lambda r: estate in r.estate_ids)[:1]
            or rules.filtered(lambda r: not r.estate_ids)[:1]
        )

    @api.model
    def _cron_compute_late_fees(self, today=None):
        """Charge every overdue bill its late fee up to ``today``. A late-fee line covers the
        days since the last one (unique per bill and first day): running twice a day, or
        again after a crash, charges nothing twice."""
        today = today or fields.Date.context_today(self)
        bills = self.env["property.bill"].search(
            [("state", "in", ("open", "partial")), ("date_due", "<", today)], order="id"
        )
        Line = self.env["property.bill.line"]
        rule_cache = {}
        line_vals = []
        charged = Line._read_group(
            [("bill_id", "in", bills.ids), ("line_type", "=", "late_fee")],
            ["bill_id"],
            ["period_end:max", "amount:sum"],
        )
        charged = {bill.id: (last, total) for bill, last, total in charged}
        principal = defaultdict(float)
        for bill, total in Line._read_group(
            [("bill_id", "in", bills.ids), ("line_type", "!=", "late_fee")], ["bill_id"], ["amount_total:sum"]
        ):
            principal[bill.id] = total
        for bill in bills:
            if bill.estate_id not in rule_cache:
                rule_cache[bill.estate_id] = self._get_rule_for(bill.estate_id)
            rule = rule_cache[bill.estate_id]
            if not rule:
                continue
            vals = rule._late_fee_values(bill, today, principal[bill.id], *charged.get(bill.id, (None, 0.0)))
            if vals:
                line_vals.append(vals)
        lines = Line.create(line_vals)
        for company in lines.company_id:
            company_lines = lines.filtered(lambda line, c=company: line.company_id == c)
            company_lines.with_company(company)._post_receivables(
                today, self.env._("Late fees up to %s", today)
            )
        return lines

    def _late_fee_values(self, bill, today, principal, last_charged, already):
        self.ensure_one()
        currency = bill.currency_id
        start = (last_charged or (bill.date_due + timedelta(days=self.grace_days))) + timedelta(days=1)
        if start > today:
            return None
        base = min(principal, bill.amount_residual)
        if base <= 0:
            return None
        days = (today - start).days + 1
        amount = currency.round(base * self.daily_rate / 100.0 * days)
        cap = {
            "none": None,
            "amount": self.cap_value,
            "percent": currency.round(principal * self.cap_value / 100.0),
        }[self.cap_type]
        if cap is not None:
            amount = min(amount, currency.round(cap - already))
        if currency.compare_amounts(amount, 0) <= 0:
            return None
        return {
            "bill_id": bill.id,
            "line_type": "late_fee",
            "product_id": self.product_id.id,
            "late_fee_date_from": start,
            "period_end": today,
            "quantity": days,
            "price_unit": amount / days,
            "amount": amount,
            "tax_ids": [Command.clear()],
            "description": self.env._(
                "%(base)s × %(rate)s%% × %(days)s day(s) (%(start)s – %(end)s)",
                base=base,
                rate=format(self.daily_rate, "g"),
                days=days,
                start=start,
                end=today,
            ),
        }
