from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_repr, float_round

LINE_TYPES = [("charge", "Periodic Charge"), ("late_fee", "Late Fee"), ("service", "Paid Service")]
# the columns of a billing run's charge lines (PropertyBillLine._insert_charges), with their SQL types
CHARGE_COLUMNS = {
    "bill_id": "int4",
    "line_type": "varchar",
    "partner_id": "int4",
    "estate_id": "int4",
    "company_id": "int4",
    "currency_id": "int4",
    "unit_id": "int4",
    "building_id": "int4",
    "product_id": "int4",
    "fee_type": "varchar",
    "rule_id": "int4",
    "period_start": "date",
    "period_end": "date",
    "quantity": "numeric",
    "price_unit": "numeric",
    "proration": "numeric",
    "discount": "numeric",
    "amount": "numeric",
    "amount_untaxed": "numeric",
    "amount_tax": "numeric",
    "amount_total": "numeric",
    "description": "varchar",
}


class PropertyBillLine(models.Model):
    """One charge of a bill, frozen: its quantity, price, amount and how they were computed."""

    _name = "property.bill.line"
    _description = "Property Bill Line"
    _order = "bill_id, unit_id, product_id, id"
    # lines are written by code only, for the company of their bill: no per-line company check

    bill_id = fields.Many2one("property.bill", required=True, index=True, ondelete="cascade")
    line_type = fields.Selection(LINE_TYPES, required=True, default="charge")
    partner_id = fields.Many2one(related="bill_id.partner_id", store=True, index=True, string="Household")
    estate_id = fields.Many2one(related="bill_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="bill_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="bill_id.currency_id", store=True)
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
    amount_untaxed = fields.Monetary(readonly=True)
    amount_tax = fields.Monetary(readonly=True)
    amount_total = fields.Monetary(readonly=True)
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
        """Lines are frozen: their taxes and amounts are computed once, here, in batch."""
        self._prepare_frozen_values(vals_list)
        return super().create(vals_list)

    @api.model
    def _prepare_frozen_values(self, vals_list):
        """Complete ``vals_list`` in place with each line's taxes (the fee item's, unless
        given) and its untaxed, tax and total amounts."""
        company = self.env.company
        currency = company.currency_id
        products = self.env["product.product"].browse(
            {v["product_id"] for v in vals_list if v.get("product_id")}
        )
        taxes_by_product = {
            product.id: product.taxes_id.filtered(lambda t, c=company: t.company_id == c)
            for product in products
        }
        Tax = self.env["account.tax"]
        for vals in vals_list:
            if "tax_ids" in vals:
                taxes = Tax.browse(self._fields["tax_ids"].convert_to_cache(vals["tax_ids"], self))
            else:
                taxes = taxes_by_product.get(vals.get("product_id"), Tax)
                if taxes:
                    vals["tax_ids"] = [Command.set(taxes.ids)]
            untaxed, breakdown = self._tax_values(
                vals.get("amount", 0.0), taxes, currency, products.browse(vals.get("product_id"))
            )
            tax = sum(breakdown.values())
            vals.update(amount_untaxed=untaxed, amount_tax=tax, amount_total=untaxed + tax)
        return vals_list

    @api.model
    def _insert_charges(self, vals_list):
        """Create a billing run's charge lines (thousands per chunk) in one INSERT.

        SQL, because the ORM cannot keep up here: ``create`` spends about a quarter of a
        billing run's time on these lines (default values, cache conversions, dependency
        marking per record) for a table this addon owns and that nothing else extends. The
        values are those ``create`` would store: every column of ``CHARGE_COLUMNS`` is given
        by the run (the stored related fields included, from the same records), floats are
        rounded as the ORM rounds them, taxes and amounts come from ``_prepare_frozen_values``
        as in ``create``. Afterwards the ORM is told what a create tells it: the new lines'
        dependents (the bills' amounts, their ``line_ids``) are marked, and the lines' Python
        constraints are checked. Returns the new lines, in the order of ``vals_list``."""
        if not vals_list:
            return self.browse()
        self._prepare_frozen_values(vals_list)
        columns = CHARGE_COLUMNS
        # the stored related fields are given, never computed here: all of them are required
        required = {"bill_id", "partner_id", "estate_id", "company_id", "currency_id", "building_id"}
        required |= {"product_id", "fee_type"}
        if any(set(vals) - set(columns) - {"tax_ids"} or required - set(vals) for vals in vals_list):
            raise UserError(self.env._("Only the columns of a billing run's charges can be inserted."))
        # numbers as the ORM writes them: floats rounded to their digits, amounts to the currency
        scales = {
            fname: self._fields[fname].get_digits(self.env)[1]
            for fname, sql_type in columns.items()
            if sql_type == "numeric" and self._fields[fname].type == "float"
        }
        currencies = {}
        arrays = {fname: [] for fname in columns}
        for vals in vals_list:
            currency_id = vals["currency_id"]
            if currency_id not in currencies:
                currencies[currency_id] = self.env["res.currency"].browse(currency_id)
            currency = currencies[currency_id]
            for fname, sql_type in columns.items():
                value = vals.get(fname)
                if sql_type == "numeric":
                    value = float(value or 0.0)
                    if fname in scales:
                        value = float_repr(float_round(value, precision_digits=scales[fname]), scales[fname])
                    else:
                        value = float_repr(currency.round(value), currency.decimal_places)
                elif value is False:
                    value = None
                arrays[fname].append(value)
        self.flush_model()
        now = self.env.cr.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO property_bill_line (%(columns)s, create_uid, create_date, write_uid, write_date)
                SELECT %(columns)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(arrays)s) AS v(%(columns)s)
             RETURNING id
                """,
                columns=SQL(", ").join(SQL.identifier(fname) for fname in columns),
                arrays=SQL(", ").join(
                    SQL("%s::%s[]", arrays[fname], SQL(sql_type)) for fname, sql_type in columns.items()
                ),
                uid=self.env.uid,
                now=now,
            )
        )
        # unnest keeps the order of the arrays, and so does RETURNING for an INSERT … SELECT of them
        lines = self.browse([row[0] for row in self.env.cr.fetchall()])
        if len(lines) != len(vals_list):
            raise UserError(self.env._("The bill lines could not all be created."))
        taxed = [
            (line.id, tax_id)
            for line, vals in zip(lines, vals_list, strict=True)
            for tax_id in self._fields["tax_ids"].convert_to_cache(vals.get("tax_ids") or [], self)
        ]
        if taxed:
            tax_field = self._fields["tax_ids"]
            self.env.cr.execute(
                SQL(
                    "INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s::int[], %s::int[])",
                    SQL.identifier(tax_field.relation),
                    SQL.identifier(tax_field.column1),
                    SQL.identifier(tax_field.column2),
                    [line_id for line_id, _tax in taxed],
                    [tax_id for _line, tax_id in taxed],
                )
            )
        # what a create tells the ORM: the bills' line lists change, what depends on the
        # lines' values is marked (their own stored fields are given, not computed)
        self.env["property.bill"].browse(set(arrays["bill_id"])).invalidate_recordset(["line_ids"])
        fnames = [*columns, "tax_ids"]
        stored = [field for field in self._fields.values() if field.store]
        with self.env.protecting(stored, lines):
            lines.modified(fnames, create=True)
        lines._validate_fields(fnames)
        return lines

    def write(self, vals):
        if self.filtered("move_id") and set(vals) - {"move_id"}:
            raise UserError(self.env._("A posted bill line cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if self.filtered("move_id"):
            raise UserError(self.env._("A posted bill line cannot be deleted."))

    def _get_tax_breakdown(self):
        """(untaxed amount, {tax: amount}) of the line."""
        self.ensure_one()
        currency = self.currency_id or self.env.company.currency_id
        return self._tax_values(self.amount, self.tax_ids, currency, self.product_id)

    @api.model
    def _tax_values(self, amount, taxes, currency, product):
        """(untaxed amount, {tax: amount}) of an amount as priced. Percentage taxes, the only
        kind property fees use, are computed here (fast); others go through Odoo."""
        if not taxes:
            return amount, {}
        if all(t.amount_type == "percent" for t in taxes):
            included = sum(t.amount for t in taxes if t.price_include)
            base = amount / (1 + included / 100.0)
            breakdown = {t: currency.round(base * t.amount / 100.0) for t in taxes}
            untaxed = amount - sum(value for t, value in breakdown.items() if t.price_include)
            return currency.round(untaxed), breakdown
        result = taxes.compute_all(amount, currency=currency, quantity=1.0, product=product)
        breakdown = defaultdict(float)
        for tax_vals in result["taxes"]:
            breakdown[self.env["account.tax"].browse(tax_vals["id"])] += tax_vals["amount"]
        return result["total_excluded"], dict(breakdown)

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
        # the households are the receivable lines' partners: Odoo does not check their company
        if foreign := partners.filtered(lambda p: p.company_id and p.company_id != company):
            raise UserError(
                self.env._(
                    "These households belong to another company than %(company)s: %(partners)s",
                    company=company.name,
                    partners=", ".join(foreign.mapped("display_name")),
                )
            )
        receivable_accounts = {p.id: p.property_account_receivable_id for p in partners}
        # one line per receivable account in the ORM (a template); one line per bill by SQL below
        per_account = defaultdict(list)
        for bill, amount in receivable.items():
            per_account[receivable_accounts[bill.partner_id.id]].append((bill, currency.round(amount)))
        line_vals = []
        for account, bills in per_account.items():
            total = currency.round(sum(amount for _bill, amount in bills))
            line_vals.append(
                {
                    "name": ref,
                    "account_id": account.id,
                    "debit": total if total > 0 else 0.0,
                    "credit": -total if total < 0 else 0.0,
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
        # a draft entry: nothing is posted before every journal item exists
        move = (
            self.env["account.move"]
            .with_context(skip_invoice_sync=True, tracking_disable=True)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": date,
                    "ref": ref,
                    "property_estate_id": lines.bill_id.estate_id.id
                    if len(lines.bill_id.estate_id) == 1
                    else False,
                    "line_ids": [Command.create(vals) for vals in line_vals],
                }
            )
        )
        template_of = {
            line.account_id: line
            for line in move.line_ids
            if line.account_id in per_account and not line.tax_ids and not line.tax_repartition_line_id
        }
        templates = self.env["account.move.line"].concat(*(template_of[account] for account in per_account))
        self._split_receivable_lines(templates, list(per_account.values()))
        # Odoo's posting: lock dates (the entry moves to the first open date), deprecated
        # accounts, balance, tax lock date, the journal's inalterability hash over every line
        move._property_post_batch()
        # the lines are frozen from now on
        lines.write({"move_id": move.id})
        return move

    @api.model
    def _split_receivable_lines(self, templates, bills_per_template):
        """On a DRAFT entry, replace each template receivable line by one line per bill
        (partner = household, linked to the bill), copying every other column of the
        template, then delete the templates. The entry is posted afterwards, by Odoo.

        SQL, because the ORM cannot keep up here: creating journal items through the ORM costs
        about 4 ms each on the development machine (precomputes, analytic distribution,
        dynamic-line sync), 16 s per 1,000 households under load, which alone would break
        the billing benchmark's goal, while this INSERT … SELECT takes a few milliseconds.
        It is safe because it runs before posting, on a draft entry nobody else sees yet:
        the template was created by the ORM, so account, journal, company, currency, dates,
        state and display type are exactly what Odoo computes; only the amounts, partner,
        label, due date and bill differ, and a receivable line of a journal entry has no
        taxes, tags or analytic lines to keep in sync. The entry stays balanced: the lines of
        a template sum to its amount. Afterwards the ORM is told (cache invalidated, dependent
        stored fields marked, residuals recomputed by Odoo) and the new lines go through the
        checks the ORM would have run on create (company consistency, constraints, account
        and journal). Posting, hashing included, is Odoo's own ``action_post``.
        Returns the new journal items."""
        Line = self.env["account.move.line"]
        moves = templates.move_id
        if moves.filtered(lambda move: move.state != "draft"):
            raise UserError(self.env._("Journal items of a posted entry cannot be replaced."))
        template_ids, partner_ids, names, due_dates, balances, bill_ids = [], [], [], [], [], []
        estate_ids = []
        for template, bills in zip(templates, bills_per_template, strict=True):
            for bill, amount in bills:
                template_ids.append(template.id)
                partner_ids.append(bill.partner_id.id)
                names.append(bill.name)
                due_dates.append(bill.date_due)
                balances.append(amount)
                bill_ids.append(bill.id)
                estate_ids.append(bill.estate_id.id or None)
        reconcilable = all(template.account_id.reconcile for template in templates)
        self.env.flush_all()
        overridden = {
            "partner_id": SQL("v.partner_id"),
            "name": SQL("v.name"),
            "date_maturity": SQL("v.date_maturity"),
            "debit": SQL("GREATEST(v.balance, 0)"),
            "credit": SQL("GREATEST(-v.balance, 0)"),
            "balance": SQL("v.balance"),
            "amount_currency": SQL("v.balance"),
            "amount_residual": SQL("v.balance"),
            "amount_residual_currency": SQL("v.balance"),
            "reconciled": SQL("FALSE"),
            "price_subtotal": SQL("v.balance"),
            "price_total": SQL("v.balance"),
            "property_bill_id": SQL("v.bill_id"),
            "property_estate_id": SQL("v.estate_id"),
        }
        self.env.cr.execute(
            SQL(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'",
                Line._table,
            )
        )
        columns = [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO account_move_line (%(columns)s)
                SELECT %(values)s
                  FROM unnest(%(template_ids)s::int[], %(partner_ids)s::int[], %(names)s::varchar[],
                              %(due_dates)s::date[], %(balances)s::numeric[], %(bill_ids)s::int[],
                              %(estate_ids)s::int[])
                       AS v(template_id, partner_id, name, date_maturity, balance, bill_id, estate_id)
                  JOIN account_move_line t ON t.id = v.template_id
                  JOIN account_move m ON m.id = t.move_id AND m.state = 'draft'
             RETURNING id, account_id
                """,
                columns=SQL(", ").join(SQL.identifier(c) for c in columns),
                values=SQL(", ").join(overridden.get(c, SQL("t.%s", SQL.identifier(c))) for c in columns),
                template_ids=template_ids,
                partner_ids=partner_ids,
                names=names,
                due_dates=due_dates,
                balances=balances,
                bill_ids=bill_ids,
                estate_ids=estate_ids,
            )
        )
        rows = self.env.cr.fetchall()
        new_lines = Line.browse(sorted(row[0] for row in rows))
        one_per_account = Line.browse({account_id: line_id for line_id, account_id in rows}.values())
        if len(new_lines) != len(bill_ids):
            raise UserError(self.env._("Journal items of a posted entry cannot be replaced."))
        # what the ORM does when it deletes the templates and creates the lines: drop what it
        # knows about them, mark what depends on them (the entry's totals, the bills' residuals)
        templates.modified(templates._fields, before=True)
        self.env.cr.execute(
            SQL(
                "DELETE FROM account_move_line WHERE id = ANY(%s) AND parent_state = 'draft'",
                templates.ids,
            )
        )
        self.env.invalidate_all(flush=False)
        # every other column is the template's, which the ORM created, computed and checked:
        # what depends on the columns that differ (and on the new lines' existence) is marked
        changed = [*overridden, "move_id"]
        stored = [field for field in Line._fields.values() if field.store]
        with self.env.protecting(stored, new_lines):
            new_lines.modified(changed, create=True)
        # residuals and the reconciled flag: written above as Odoo computes them for a new line
        # on a reconcilable account (no partial yet: residual = balance, not reconciled); on
        # any other account, by Odoo's own compute
        if not reconcilable:
            for fname in ("amount_residual", "amount_residual_currency", "reconciled"):
                self.env.add_to_compute(Line._fields[fname], new_lines)
        # the checks an ORM create would have run on these lines' values
        new_lines._check_company(changed)
        new_lines._validate_fields(changed)
        # account, journal and currencies are the template's, the same for every line of a
        # template: checked once per account (Odoo checked the template too, on its create)
        one_per_account._check_constrains_account_id_journal_id()
        return new_lines

    @api.model
    def _get_billing_journal(self, company):
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], order="sequence, id", limit=1
        )
        if not journal:
            raise UserError(self.env._("Create a sales journal for %s first.", company.name))
        return journal
