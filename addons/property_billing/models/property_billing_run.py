import logging
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, formatLang

from odoo.addons.queue_job.job import identity_exact

from .property_billing_rule import month_end

_logger = logging.getLogger(__name__)

RUN_STATES = [
    ("draft", "Draft"),
    ("previewed", "Previewed"),
    ("running", "Running"),
    ("done", "Done"),
    ("failed", "Failed"),
]
CHUNK_SIZE = 1000


class PropertyBillingRun(models.Model):
    """Bills one month of an estate (or some of its buildings).

    Generating splits the units that have no bill line for the month yet into chunks, one
    queue job per chunk. A chunk creates its bills and lines and posts their receivables in
    one journal entry, in one transaction. Unique keys (unit + period + fee item) make every
    re-run and every retried chunk add nothing twice; resuming enqueues the chunks not done."""

    _name = "property.billing.run"
    _description = "Billing Run"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    building_ids = fields.Many2many(
        "property.building",
        string="Buildings",
        domain="[('estate_id', '=', estate_id)]",
        help="Leave empty to bill the whole estate.",
    )
    date_from = fields.Date(
        string="Month", required=True, tracking=True, help="First day of the month billed."
    )
    date_to = fields.Date(compute="_compute_date_to", store=True)
    date_due = fields.Date(string="Due Date", required=True, tracking=True)
    state = fields.Selection(
        RUN_STATES, required=True, default="draft", readonly=True, tracking=True, copy=False
    )
    chunk_size = fields.Integer(default=CHUNK_SIZE)
    chunk_ids = fields.One2many(
        "property.billing.run.chunk", "run_id", string="Chunks", readonly=True, copy=False
    )
    preview_ids = fields.One2many("property.billing.run.preview", "run_id", readonly=True, copy=False)
    bill_ids = fields.One2many("property.bill", "run_id", string="Bills", readonly=True)
    bill_count = fields.Integer(compute="_compute_counts")
    unit_total = fields.Integer(compute="_compute_progress", string="Units to Bill")
    unit_done = fields.Integer(compute="_compute_progress", string="Units Billed")
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")
    amount_total = fields.Monetary(compute="_compute_counts", string="Amount Billed")
    error = fields.Text(readonly=True, copy=False)
    # what the run did, for the accountant reading its form afterwards
    unit_scope_count = fields.Integer(
        string="Units in Scope",
        readonly=True,
        copy=False,
        help="Units of the estate (or buildings) when generated.",
    )
    unit_prebilled_count = fields.Integer(
        string="Already Billed Before",
        readonly=True,
        copy=False,
        help="Units in scope that already had bill lines for the month when the run was generated.",
    )
    unit_billed_count = fields.Integer(compute="_compute_result", string="Units Charged")
    skip_no_rule_count = fields.Integer(compute="_compute_result", string="Skipped: No Billing Rule")
    skip_no_payer_count = fields.Integer(
        compute="_compute_result", string="Skipped: No Owner or Paying Tenant"
    )
    skip_nothing_count = fields.Integer(
        compute="_compute_result",
        string="Skipped: Nothing to Charge",
        help="Rules apply and a payer exists, but every charge is zero (e.g. no new meter reading).",
    )
    line_count = fields.Integer(compute="_compute_result", string="Bill Lines")
    move_count = fields.Integer(compute="_compute_result", string="Journal Entries")
    move_posted_count = fields.Integer(compute="_compute_result", string="Posted Entries")
    summary = fields.Char(compute="_compute_result")

    _sql_constraints = [
        ("chunk_size_positive", "CHECK(chunk_size > 0)", "The chunk size must be positive."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("property.billing.run") or "/"
        return super().create(vals_list)

    @api.depends("date_from")
    def _compute_date_to(self):
        for run in self:
            run.date_to = month_end(run.date_from) if run.date_from else False

    @api.constrains("date_from")
    def _check_date_from(self):
        for run in self:
            if run.date_from.day != 1:
                raise ValidationError(self.env._("A billing run starts on the first day of a month."))

    @api.onchange("date_from")
    def _onchange_date_from(self):
        if self.date_from:
            self.date_from = self.date_from.replace(day=1)
            if not self.date_due:
                self.date_due = month_end(self.date_from)

    @api.depends("chunk_ids.state", "chunk_ids.unit_count")
    def _compute_progress(self):
        for run in self:
            run.unit_total = sum(run.chunk_ids.mapped("unit_count"))
            run.unit_done = sum(run.chunk_ids.filtered(lambda c: c.state == "done").mapped("unit_count"))
            run.progress = 100.0 * run.unit_done / run.unit_total if run.unit_total else 0.0

    @api.depends("bill_ids.amount_total")
    def _compute_counts(self):
        data = {
            run.id: (count, total)
            for run, count, total in self.env["property.bill"]._read_group(
                [("run_id", "in", self.ids)], ["run_id"], ["__count", "amount_total:sum"]
            )
        }
        for run in self:
            run.bill_count, run.amount_total = data.get(run.id, (0, 0.0))

    @api.depends(
        "bill_count",
        "amount_total",
        "unit_prebilled_count",
        "chunk_ids.state",
        "chunk_ids.unit_count",
        "chunk_ids.line_count",
        "chunk_ids.skip_no_rule_count",
        "chunk_ids.skip_no_payer_count",
        "chunk_ids.skip_nothing_count",
        "chunk_ids.move_id.state",
    )
    def _compute_result(self):
        for run in self:
            done = run.chunk_ids.filtered(lambda c: c.state == "done")
            run.skip_no_rule_count = sum(done.mapped("skip_no_rule_count"))
            run.skip_no_payer_count = sum(done.mapped("skip_no_payer_count"))
            run.skip_nothing_count = sum(done.mapped("skip_nothing_count"))
            run.unit_billed_count = sum(done.mapped("unit_count")) - (
                run.skip_no_rule_count + run.skip_no_payer_count + run.skip_nothing_count
            )
            run.line_count = sum(done.mapped("line_count"))
            moves = done.move_id
            run.move_count = len(moves)
            run.move_posted_count = len(moves.filtered(lambda m: m.state == "posted"))
            skipped = run.skip_no_rule_count + run.skip_no_payer_count + run.skip_nothing_count
            run.summary = self.env._(
                "%(bills)s bills created for %(units)s units, total %(amount)s; %(posted)s of %(moves)s "
                "journal entries posted; %(skipped)s units skipped (no billing rule: %(no_rule)s, "
                "no owner or paying tenant: %(no_payer)s, nothing to charge: %(nothing)s); "
                "%(prebilled)s units were already billed for the month.",
                bills=run.bill_count,
                units=run.unit_billed_count,
                amount=formatLang(self.env, run.amount_total, currency_obj=run.currency_id),
                posted=run.move_posted_count,
                moves=run.move_count,
                skipped=skipped,
                no_rule=run.skip_no_rule_count,
                no_payer=run.skip_no_payer_count,
                nothing=run.skip_nothing_count,
                prebilled=run.unit_prebilled_count,
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if self.filtered(lambda r: r.state not in ("draft", "previewed")):
            raise UserError(self.env._("A run that has generated bills cannot be deleted."))

    # ------------------------------------------------------------------
    # Scope and work
    # ------------------------------------------------------------------
    def _get_unit_domain(self):
        self.ensure_one()
        domain = [("estate_id", "=", self.estate_id.id)]
        if self.building_ids:
            domain.append(("building_id", "in", self.building_ids.ids))
        return domain

    def _get_remaining_units(self):
        """Units in scope without any bill line starting this month: the work left."""
        self.ensure_one()
        billed = self.env["property.bill.line"]._search(
            [("period_start", "=", self.date_from), ("line_type", "=", "charge")]
        )
        return self.env["property.unit"].search(
            [*self._get_unit_domain(), ("id", "not in", billed.subselect("unit_id"))], order="id"
        )

    def action_preview(self):
        """Compute every charge of the run without writing a bill: totals per fee item."""
        self.ensure_one()
        if self.state not in ("draft", "previewed"):
            raise UserError(self.env._("Only a draft run can be previewed."))
        units = self.env["property.unit"].search(self._get_unit_domain(), order="id")
        charges = self.env["property.billing.rule"]._compute_charges(units, self.date_from)
        existing = self._existing_keys(units, charges)
        totals = defaultdict(lambda: {"line_count": 0, "new_count": 0, "amount": 0.0, "units": set()})
        for charge in charges:
            entry = totals[charge["product_id"]]
            entry["line_count"] += 1
            entry["amount"] += charge["amount"]
            entry["units"].add(charge["partner_id"])
            if (charge["unit_id"], charge["period_start"], charge["product_id"]) not in existing:
                entry["new_count"] += 1
        self.preview_ids.unlink()
        self.write(
            {
                "state": "previewed",
                "preview_ids": [
                    Command.create(
                        {
                            "product_id": product_id,
                            "line_count": entry["line_count"],
                            "new_count": entry["new_count"],
                            "household_count": len(entry["units"]),
                            "amount": entry["amount"],
                        }
                    )
                    for product_id, entry in sorted(totals.items())
                ],
            }
        )
        return True

    @api.model
    def _existing_keys(self, units, charges):
        if not charges:
            return set()
        lines = self.env["property.bill.line"].search_fetch(
            [
                ("unit_id", "in", units.ids),
                ("period_start", "in", list({c["period_start"] for c in charges})),
                ("product_id", "in", list({c["product_id"] for c in charges})),
            ],
            ["unit_id", "period_start", "product_id"],
        )
        return {(line.unit_id.id, line.period_start, line.product_id.id) for line in lines}

    def action_generate(self):
        """Split the remaining work into chunks and enqueue one job per chunk."""
        self.ensure_one()
        if self.state not in ("draft", "previewed", "failed", "running"):
            raise UserError(self.env._("This run is already done."))
        self._prepare_chunks()
        self.write({"state": "running", "error": False})
        self._enqueue_chunks()
        self._check_done()
        return True

    def action_resume(self):
        """After an interruption: enqueue the chunks not done again (a job already waiting
        for a chunk is not duplicated)."""
        self.ensure_one()
        if self.state not in ("running", "failed"):
            raise UserError(self.env._("Only a running or failed run can be resumed."))
        self.write({"state": "running", "error": False})
        self._enqueue_chunks()
        self._check_done()
        return True

    def _prepare_chunks(self):
        """Chunks of the units without bill lines for the month, households kept together
        (a household's units go to the same chunk, so two jobs never create its bill)."""
        self.ensure_one()
        if self.chunk_ids.filtered(lambda c: c.state == "pending"):
            return
        units = self._get_remaining_units()
        if not self.chunk_ids:
            scope = self.env["property.unit"].search_count(self._get_unit_domain())
            self.write({"unit_scope_count": scope, "unit_prebilled_count": scope - len(units)})
        Rule = self.env["property.billing.rule"]
        coverage = Rule._get_payer_coverage(units, self.date_from, self.date_to)
        by_payer = defaultdict(list)
        for unit in units:
            payer, _days = Rule._payer_for_span(coverage.get(unit.id, ()), (self.date_from, self.date_to))
            by_payer[payer or 0].append(unit.id)
        chunks, current = [], []
        for payer in sorted(by_payer):
            current.extend(by_payer[payer])
            if len(current) >= self.chunk_size:
                chunks.append(current)
                current = []
        if current:
            chunks.append(current)
        sequence = len(self.chunk_ids)
        self.env["property.billing.run.chunk"].create(
            [
                {"run_id": self.id, "sequence": sequence + i, "unit_ids": [Command.set(unit_ids)]}
                for i, unit_ids in enumerate(chunks)
            ]
        )

    def _enqueue_chunks(self):
        for chunk in self.chunk_ids.filtered(lambda c: c.state == "pending"):
            job = chunk.with_delay(
                identity_key=identity_exact,
                description=self.env._(
                    "Billing run %(run)s, chunk %(chunk)s", run=self.name, chunk=chunk.sequence
                ),
            )._process()
            if job and job.uuid:
                chunk.job_uuid = job.uuid

    def action_refresh(self):
        """Done when every chunk is; failed when the job of a pending chunk failed (its
        error is shown; Resume enqueues it again)."""
        for run in self.filtered(lambda r: r.state == "running"):
            pending = run.chunk_ids.filtered(lambda c: c.state == "pending" and c.job_uuid)
            failed = (
                self.env["queue.job"]
                .sudo()
                .search([("uuid", "in", pending.mapped("job_uuid")), ("state", "=", "failed")], limit=1)
            )
            if failed:
                run.write({"state": "failed", "error": failed.exc_message or failed.exc_info or failed.name})
        self._check_done()
        return True

    def _check_done(self):
        for run in self.filtered(lambda r: r.state == "running"):
            if not run.chunk_ids.filtered(lambda c: c.state == "pending"):
                run.state = "done"

    def _run_now(self):
        """Generate synchronously, chunk after chunk (tests, benchmarks, shell)."""
        self.ensure_one()
        self._prepare_chunks()
        self.write({"state": "running", "error": False})
        for chunk in self.chunk_ids.filtered(lambda c: c.state == "pending"):
            chunk._process()
        self._check_done()
        return True

    def action_view_bills(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_billing.property_bill_action")
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action


class PropertyBillingRunChunk(models.Model):
    _name = "property.billing.run.chunk"
    _description = "Billing Run Chunk"
    _order = "run_id, sequence, id"

    run_id = fields.Many2one("property.billing.run", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    sequence = fields.Integer()
    unit_ids = fields.Many2many("property.unit", string="Units")
    unit_count = fields.Integer(compute="_compute_unit_count", store=True)
    state = fields.Selection([("pending", "Pending"), ("done", "Done")], default="pending", required=True)
    job_uuid = fields.Char(readonly=True, copy=False)
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    line_count = fields.Integer(readonly=True)
    skip_no_rule_count = fields.Integer(readonly=True)
    skip_no_payer_count = fields.Integer(readonly=True)
    skip_nothing_count = fields.Integer(readonly=True)

    @api.depends("unit_ids")
    def _compute_unit_count(self):
        for chunk in self:
            chunk.unit_count = len(chunk.unit_ids)

    def _process(self):
        """Bill the chunk's units: lines not billed yet, bills per household, one posted
        journal entry, prepayments applied. Safe to run again."""
        self.ensure_one()
        if self.state == "done":
            return False
        # thousands of new bills: no chatter messages
        return self.with_context(tracking_disable=True)._process_chunk()

    def _process_chunk(self):
        run = self.run_id
        Line = self.env["property.bill.line"]
        # the chunk's active units in one query (reading ``unit_ids`` filters the archived
        # ones record by record, a query per few units); read further with inactive records
        # (e.g. an archived building) visible
        Unit = self.env["property.unit"]
        unit_ids = self.with_context(active_test=False).unit_ids.ids
        units = Unit.search([("id", "in", unit_ids)]).with_context(active_test=False)
        charges = self.env["property.billing.rule"]._compute_charges(units, run.date_from)
        existing = run._existing_keys(units, charges)
        charges = [c for c in charges if (c["unit_id"], c["period_start"], c["product_id"]) not in existing]
        bills = self._get_or_create_bills(charges)
        line_vals, readings = [], []
        # the stored related fields of the lines are known here: given, they are not recomputed
        units_by_id = {unit.id: unit for unit in units}
        fee_types = {
            p.id: p.property_fee_type
            for p in self.env["product.product"].browse({c["product_id"] for c in charges})
        }
        for charge in charges:
            bill = bills[charge["partner_id"]]
            readings.append(charge.pop("reading_ids", None))
            line_vals.append(
                {
                    "bill_id": bill.id,
                    "line_type": "charge",
                    "estate_id": run.estate_id.id,
                    "company_id": run.company_id.id,
                    "currency_id": run.company_id.currency_id.id,
                    "building_id": units_by_id[charge["unit_id"]].building_id.id,
                    "fee_type": fee_types[charge["product_id"]],
                    **{k: v for k, v in charge.items() if k != "date_to"},
                }
            )
        lines = Line._insert_charges(line_vals)
        self._link_readings(lines, readings)
        move = lines._post_receivables(run.date_from, run.name)
        bill_records = self.env["property.bill"].browse([b.id for b in bills.values()])
        bill_records._apply_outstanding_credits()
        self.write(
            {
                "state": "done",
                "move_id": move.id,
                "line_count": len(lines),
                **self._skip_counts(units, charges, existing),
            }
        )
        run._check_done()
        _logger.info("Billing run %s chunk %s: %s lines", run.name, self.sequence, len(lines))
        return True

    def _skip_counts(self, units, charges, existing):
        """Why units of the chunk got no bill line: no rule applies, no payer (owner or paying
        tenant) in the period, or every charge is zero."""
        charged = {c["unit_id"] for c in charges} | {unit_id for unit_id, _p, _f in existing}
        idle = units.filtered(lambda u: u.id not in charged)
        counts = {"skip_no_rule_count": 0, "skip_no_payer_count": 0, "skip_nothing_count": 0}
        if not idle:
            return counts
        run = self.run_id
        Rule = self.env["property.billing.rule"]
        rules = Rule._get_applicable_rules(idle, run.date_from)
        coverage = Rule._get_payer_coverage(idle, run.date_from, run.date_to)
        for unit in idle:
            if not rules.get(unit.id):
                counts["skip_no_rule_count"] += 1
            elif not coverage.get(unit.id):
                counts["skip_no_payer_count"] += 1
            else:
                counts["skip_nothing_count"] += 1
        return counts

    def _get_or_create_bills(self, charges):
        run = self.run_id
        partner_ids = list({c["partner_id"] for c in charges})
        Bill = self.env["property.bill"]
        existing = Bill.search(
            [
                ("partner_id", "in", partner_ids),
                ("estate_id", "=", run.estate_id.id),
                ("period_start", "=", run.date_from),
                ("bill_type", "=", "regular"),
            ]
        )
        bills = {bill.partner_id.id: bill for bill in existing}
        first_unit = {}
        for charge in charges:
            first_unit.setdefault(charge["partner_id"], charge["unit_id"])
        units = self.env["property.unit"].browse(first_unit.values())
        building_of = {unit.id: unit.building_id.id for unit in units}
        new_partners = [p for p in partner_ids if p not in bills]
        names = self.env["ir.sequence"]._property_next_by_code_multi("property.bill", len(new_partners))
        created = Bill.create(
            [
                {
                    "name": names.pop(0),
                    "partner_id": partner_id,
                    "estate_id": run.estate_id.id,
                    # the related company given (the same value): in the bills' INSERT, and not
                    # in the later UPDATE of their amounts, which would then convert each
                    # amount through a new record per bill to find its currency
                    "company_id": run.company_id.id,
                    "building_id": building_of[first_unit[partner_id]],
                    "run_id": run.id,
                    "period_start": run.date_from,
                    "period_end": run.date_to,
                    "date": run.date_from,
                    "date_due": run.date_due,
                }
                for partner_id in new_partners
            ]
        )
        bills.update({bill.partner_id.id: bill for bill in created})
        return bills

    def _link_readings(self, lines, readings):
        """Mark the readings billed by their line, so no consumption is billed twice."""
        Reading = self.env["property.meter.reading"]
        by_line = [(line.id, ids) for line, ids in zip(lines, readings, strict=True) if ids]
        if not by_line:
            return
        # a write per line would be one UPDATE per line: group the ids, one UPDATE per chunk
        reading_ids = [rid for _lid, ids in by_line for rid in ids]
        line_of = {rid: lid for lid, ids in by_line for rid in ids}
        self.env.cr.execute(
            SQL(
                """
                UPDATE property_meter_reading r
                   SET bill_line_id = v.line_id
                  FROM unnest(%s::int[], %s::int[]) AS v(reading_id, line_id)
                 WHERE r.id = v.reading_id
                """,
                reading_ids,
                [line_of[rid] for rid in reading_ids],
            )
        )
        Reading.browse(reading_ids).invalidate_recordset(["bill_line_id"])
        lines.invalidate_recordset(["reading_ids"])


class PropertyBillingRunPreview(models.Model):
    _name = "property.billing.run.preview"
    _description = "Billing Run Preview"
    _order = "run_id, product_id"

    run_id = fields.Many2one("property.billing.run", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    currency_id = fields.Many2one(related="run_id.currency_id")
    product_id = fields.Many2one("product.product", string="Fee Item", required=True, ondelete="cascade")
    line_count = fields.Integer(string="Charges")
    new_count = fields.Integer(string="Not Billed Yet")
    household_count = fields.Integer(string="Households")
    amount = fields.Monetary()
