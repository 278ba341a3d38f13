from odoo import Command, api, fields, models
from odoo.exceptions import UserError

BILL_STATES = [
    ("draft", "Draft"),
    ("open", "Open"),
    ("partial", "Partially Paid"),
    ("paid", "Paid"),
    ("cancel", "Cancelled"),
]
BILL_TYPES = [("regular", "Periodic Bill"), ("service", "Paid Service")]


class PropertyBill(models.Model):
    """What one paying household owes for one period (or for one paid service).

    Its lines say what was charged and how; its receivable journal items (one per posting,
    partner = the household) carry the debt in accounting, and their residual is the bill's."""

    _name = "property.bill"
    _description = "Property Bill"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    bill_type = fields.Selection(BILL_TYPES, required=True, default="regular", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Household", required=True, index=True, ondelete="restrict", readonly=True
    )
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True, ondelete="restrict", readonly=True
    )
    building_id = fields.Many2one(
        "property.building",
        index=True,
        ondelete="restrict",
        readonly=True,
        help="Building of the first unit billed.",
    )
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    run_id = fields.Many2one("property.billing.run", index=True, ondelete="restrict", readonly=True)
    period_start = fields.Date(index=True, readonly=True)
    period_end = fields.Date(readonly=True)
    date = fields.Date(string="Bill Date", required=True, readonly=True, default=fields.Date.context_today)
    date_due = fields.Date(string="Due Date", required=True, readonly=True, index=True)
    line_ids = fields.One2many("property.bill.line", "bill_id", string="Lines", readonly=True)
    receivable_line_ids = fields.One2many(
        "account.move.line", "property_bill_id", string="Receivable Items", readonly=True
    )
    move_ids = fields.Many2many("account.move", compute="_compute_move_ids", string="Journal Entries")
    amount_untaxed = fields.Monetary(compute="_compute_amounts", store=True)
    amount_tax = fields.Monetary(compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(compute="_compute_amounts", store=True)
    amount_residual = fields.Monetary(
        string="Amount Due", compute="_compute_residual", store=True, help="What the household still owes."
    )
    amount_paid = fields.Monetary(compute="_compute_residual", store=True)
    state = fields.Selection(BILL_STATES, compute="_compute_residual", store=True, index=True, tracking=True)
    is_cancelled = fields.Boolean(readonly=True, copy=False)
    writeoff_ids = fields.One2many("property.bill.writeoff", "bill_id", string="Write-offs")

    _sql_constraints = [
        (
            "household_period_uniq",
            "unique(partner_id, estate_id, period_start, bill_type)",
            "A household has one bill per estate and period.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("property.bill") or "/"
        return super().create(vals_list)

    @api.depends("line_ids.amount_untaxed", "line_ids.amount_tax", "line_ids.amount_total")
    def _compute_amounts(self):
        # the lines are in cache when a run creates them: no query per bill
        for bill in self:
            untaxed = tax = total = 0.0
            for line in bill.line_ids:
                untaxed += line.amount_untaxed
                tax += line.amount_tax
                total += line.amount_total
            currency = bill.currency_id or self.env.company.currency_id
            bill.amount_untaxed = currency.round(untaxed)
            bill.amount_tax = currency.round(tax)
            bill.amount_total = currency.round(total)

    @api.depends(
        "receivable_line_ids.amount_residual",
        "receivable_line_ids.parent_state",
        "amount_total",
        "is_cancelled",
    )
    def _compute_residual(self):
        # plain loops over the cached lines: a billing run computes this for thousands of bills
        for bill in self:
            posted = [line for line in bill.receivable_line_ids if line.parent_state == "posted"]
            residual = sum(line.amount_residual for line in posted)
            balance = sum(line.balance for line in posted)
            bill.amount_residual = residual
            bill.amount_paid = balance - residual
            currency = bill.currency_id or self.env.company.currency_id
            if bill.is_cancelled:
                bill.state = "cancel"
            elif not posted:
                bill.state = "draft"
            elif currency.is_zero(residual) or residual < 0:
                bill.state = "paid"
            elif currency.compare_amounts(residual, balance) < 0:
                bill.state = "partial"
            else:
                bill.state = "open"

    @api.depends("receivable_line_ids")
    def _compute_move_ids(self):
        for bill in self:
            bill.move_ids = bill.receivable_line_ids.move_id

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if self.filtered("receivable_line_ids"):
            raise UserError(self.env._("A posted bill cannot be deleted: write it off instead."))

    def action_view_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_journal_line")
        action["domain"] = [("id", "in", self.move_ids.ids)]
        action["context"] = {}
        return action

    def action_request_writeoff(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Write-off"),
            "res_model": "property.bill.writeoff",
            "view_mode": "form",
            "target": "new",
            "context": {"default_bill_id": self.id, "default_amount": self.amount_residual},
        }

    # ------------------------------------------------------------------
    # Accounting
    # ------------------------------------------------------------------
    def _apply_outstanding_credits(self):
        """Reconcile the households' prepayments (unreconciled credits on their receivable
        account) with these bills, oldest bill first."""
        bills = self.filtered(lambda b: b.state in ("open", "partial"))
        if not bills:
            return
        receivables = bills.receivable_line_ids.filtered(lambda line: not line.reconciled)
        credits = self.env["account.move.line"].search(
            [
                ("partner_id", "in", bills.partner_id.ids),
                ("account_id", "in", receivables.account_id.ids),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", "<", 0),
                ("company_id", "in", bills.company_id.ids),
            ],
            order="date, id",
        )
        if not credits:
            return
        for partner in credits.partner_id:
            partner_credits = credits.filtered(lambda c, p=partner: c.partner_id == p)
            for bill in bills.filtered(lambda b, p=partner: b.partner_id == p).sorted(
                lambda b: (b.date_due, b.id)
            ):
                open_lines = bill.receivable_line_ids.filtered(lambda line: not line.reconciled)
                remaining = partner_credits.filtered(lambda c: not c.reconciled)
                if not remaining or not open_lines:
                    break
                for account in open_lines.account_id:
                    (open_lines | remaining).filtered(
                        lambda line, a=account: line.account_id == a
                    ).reconcile()

    @api.model
    def _charge_service(self, partner, unit, product, amount, description):
        """Hook for paid services (property_workorder): a posted service bill of one line.

        Returns the bill; its receivable is the household's like any other bill."""
        today = fields.Date.context_today(self)
        bill = self.create(
            {
                "bill_type": "service",
                "partner_id": partner.id,
                "estate_id": unit.estate_id.id,
                "building_id": unit.building_id.id,
                "date": today,
                "date_due": today,
                "line_ids": [
                    Command.create(
                        {
                            "line_type": "service",
                            "unit_id": unit.id,
                            "product_id": product.id,
                            "quantity": 1.0,
                            "price_unit": amount,
                            "amount": amount,
                            "description": description,
                        }
                    )
                ],
            }
        )
        bill.line_ids._post_receivables(today, self.env._("Paid service %s", bill.name))
        bill._apply_outstanding_credits()
        return bill
