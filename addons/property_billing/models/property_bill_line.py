from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

LINE_TYPES = [("charge", "Periodic Charge"), ("late_fee", "Late Fee"), ("service", "Paid Service")]


class PropertyBillLine(models.Model):
    """One charge of a bill, frozen: its quantity, price, amount and how they were computed."""

    _name = "property.bill.line"
    _description = "Property Bill Line"
    _order = "bill_id, unit_id, product_id, id"
    _check_company_auto = True

    bill_id = fields.Many2one("property.bill", required=True, index=True, ondelete="cascade")
    line_type = fields.Selection(LINE_TYPES, required=True, default="charge")
    partner_id = fields.Many2one(related="bill_id.partner_id", store=True, index=True, string="Household")
    estate_id = fields.Many2one(related="bill_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="bill_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="bill_id.currency_id")
    unit_id = fields.Many2one("property.unit", index=True, ondelete="restrict", check_company=True)
    building_id = fields.Many2one(related="unit_id.building_id", store=True, index=True)
    product_id = fields.Many2one("product.product", string="Fee Item", required=True, ondelete="restrict")
    fee_type = fields.Selection(related="product_id.property_fee_type", store=True)
    rule_id = fields.Many2one("property.billing.rule", ondelete="set null", index="btree_not_null")
    period_start = fields.Date(index=True)
    period_end = fields.Date()
    late_fee_date_from = fields.Date(
        help="First overdue day a late-fee line charges: a bill is never charged twice for a day."
    )
    quantity = fields.Float(digits=(16, 3))
    price_unit = fields.Float(string="Unit Price", digits=(16, 6))
    proration = fields.Float(digits=(5, 4), default=1.0)
    discount = fields.Float(string="Discount (%)", digits=(5, 2))
    amount = fields.Monetary(
        required=True, help="The amount charged, as priced (taxes included if the price includes them)."
    )
    tax_ids = fields.Many2many("account.tax", string="Taxes", check_company=True)
    amount_untaxed = fields.Monetary(compute="_compute_tax_amounts", store=True)
    amount_tax = fields.Monetary(compute="_compute_tax_amounts", store=True)
    amount_total = fields.Monetary(compute="_compute_tax_amounts", store=True)
    description = fields.Char(help="How the amount was computed.")
    reading_ids = fields.One2many("property.meter.reading", "bill_line_id", string="Meter Readings")
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True, index="btree_not_null", copy=False
    )

    _sql_constraints = [
        (
            "unit_period_fee_uniq",
            "unique(unit_id, period_start, product_id)",
            "A unit is charged a fee item once per period.",
        ),
        (
            "late_fee_uniq",
            "unique(bill_id, late_fee_date_from)",
            "A late fee is charged once per bill and day.",
        ),
    ]

    @api.depends("product_id", "unit_id", "period_start", "period_end")
    def _compute_display_name(self):
        for line in self:
            parts = [line.product_id.name or "", line.unit_id.code or ""]
            if line.period_start:
                parts.append(f"{line.period_start}~{line.period_end or ''}")
            line.display_name = " · ".join(p for p in parts if p)

    @api.model_create_multi
    def create(self, vals_list):
        products = self.env["product.product"].browse(
            {v["product_id"] for v in vals_list if v.get("product_id")}
        )
        taxes_by_product = {}
        for product in products:
            company = self.env.company
            taxes_by_product[product.id] = product.taxes_id.filtered(lambda t, c=company: t.company_id == c)
        for vals in vals_list:
            if "tax_ids" not in vals and taxes_by_product.get(vals.get("product_id")):
                vals["tax_ids"] = [Command.set(taxes_by_product[vals["product_id"]].ids)]
        return super().create(vals_list)

    def write(self, vals):
        if self.filtered("move_id") and set(vals) - {"move_id"}:
            raise UserError(self.env._("A posted bill line cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if self.filtered("move_id"):
            raise UserError(self.env._("A posted bill line cannot be deleted."))

    def _get_tax_breakdown(self):
        """(untaxed amount, {tax: amount}) of the line. Percentage taxes, the only kind
        property fees use, are computed here (fast, per line); others go through Odoo."""
        self.ensure_one()
        currency = self.currency_id or self.env.company.currency_id
        taxes = self.tax_ids
        if not taxes:
            return self.amount, {}
        if all(t.amount_type == "percent" for t in taxes):
            included = sum(t.amount for t in taxes if t.price_include)
            base = self.amount / (1 + included / 100.0)
            breakdown = {t: currency.round(base * t.amount / 100.0) for t in taxes}
            untaxed = self.amount - sum(amount for t, amount in breakdown.items() if t.price_include)
            return currency.round(untaxed), breakdown
        result = taxes.compute_all(self.amount, currency=currency, quantity=1.0, product=self.product_id)
        breakdown = defaultdict(float)
        for tax_vals in result["taxes"]:
            breakdown[self.env["account.tax"].browse(tax_vals["id"])] += tax_vals["amount"]
        return result["total_excluded"], dict(breakdown)

    @api.depends("amount", "tax_ids")
    def _compute_tax_amounts(self):
        for line in self:
            untaxed, breakdown = line._get_tax_breakdown()
            line.amount_untaxed = untaxed
            line.amount_tax = sum(breakdown.values())
            line.amount_total = untaxed + line.amount_tax

    def _post_receivables(self, date, ref):
        """Post these lines in one journal entry: one receivable line per bill (partner =
        household, linked to the bill), income and tax lines summed per account.

        A journal entry, not a customer invoice: an invoice has one partner, and thousands of
        invoices are what makes Odoo's standard path slow (see readme/DESCRIPTION.md)."""
        lines = self.filtered(lambda line: not line.move_id)
        if not lines:
            return self.env["account.move"]
        company = lines.company_id[:1] or self.env.company
        if len(lines.company_id) > 1:
            raise UserError(self.env._("Bill lines of several companies cannot be posted together."))
        journal = self._get_billing_journal(company)
        currency = company.currency_id
        receivable = defaultdict(float)
        income = defaultdict(float)
        tax_amounts = defaultdict(float)
        account_cache = {}
        for line in lines:
            product = line.product_id
            if product.id not in account_cache:
                account_cache[product.id] = (
                    product.with_company(company)._get_product_accounts()["income"]
                    or journal.default_account_id
                )
            untaxed, breakdown = line._get_tax_breakdown()
            receivable[line.bill_id] += untaxed + sum(breakdown.values())
            income[(account_cache[product.id], line.tax_ids)] += untaxed
            for tax, amount in breakdown.items():
                tax_amounts[tax] += amount
        partners = lines.bill_id.partner_id.with_company(company)
        receivable_accounts = {p.id: p.property_account_receivable_id for p in partners}
        line_vals = []
        for bill, amount in receivable.items():
            account = receivable_accounts[bill.partner_id.id]
            line_vals.append(
                {
                    "name": bill.name,
                    "partner_id": bill.partner_id.id,
                    "account_id": account.id,
                    "debit": currency.round(amount) if amount > 0 else 0.0,
                    "credit": -currency.round(amount) if amount < 0 else 0.0,
                    "date_maturity": bill.date_due,
                    "property_bill_id": bill.id,
                }
            )
        for (account, taxes), amount in income.items():
            if not account:
                raise UserError(self.env._("Set an income account on the fee items or on the sales journal."))
            line_vals.append(
                {
                    "name": ref,
                    "account_id": account.id,
                    "credit": currency.round(amount) if amount > 0 else 0.0,
                    "debit": -currency.round(amount) if amount < 0 else 0.0,
                    "tax_ids": [Command.set(taxes.ids)],
                }
            )
        for tax, amount in tax_amounts.items():
            repartition = tax.invoice_repartition_line_ids.filtered(lambda r: r.repartition_type == "tax")
            remaining = currency.round(amount)
            for i, rep in enumerate(repartition):
                part = (
                    remaining
                    if i == len(repartition) - 1
                    else currency.round(amount * rep.factor_percent / 100)
                )
                remaining -= part
                line_vals.append(
                    {
                        "name": tax.name,
                        "account_id": (rep.account_id or account_cache[lines[0].product_id.id]).id,
                        "credit": part if part > 0 else 0.0,
                        "debit": -part if part < 0 else 0.0,
                        "tax_repartition_line_id": rep.id,
                    }
                )
        move = (
            self.env["account.move"]
            .with_context(skip_invoice_sync=True, tracking_disable=True)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": date,
                    "ref": ref,
                    "line_ids": [Command.create(vals) for vals in line_vals],
                }
            )
        )
        move.with_context(skip_invoice_sync=True).action_post()
        # the lines are frozen from now on
        lines.write({"move_id": move.id})
        return move

    @api.model
    def _get_billing_journal(self, company):
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], order="sequence, id", limit=1
        )
        if not journal:
            raise UserError(self.env._("Create a sales journal for %s first.", company.name))
        return journal
