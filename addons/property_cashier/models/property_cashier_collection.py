from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.amount_cn import amount_to_chinese
from .res_company import CASHIER_METHODS

COLLECTION_STATES = [
    ("draft", "Draft"),
    ("done", "Collected"),
    ("reversal_requested", "Reversal Requested"),
    ("reversed", "Reversed"),
]
# written only by the actions (in sudo): the desk's RPC cannot set them
PROTECTED_FIELDS = {
    "name",
    "state",
    "date",
    "payment_id",
    "amount_prepayment",
    "reversal_reason",
    "reversal_requested_by_id",
    "reversal_approved_by_id",
    "reversal_date",
    "reversal_move_id",
    "cashier_id",
}
# the desk's input, frozen once collected
DRAFT_FIELDS = {"partner_id", "estate_id", "method", "amount", "reference", "line_ids", "note"}


class PropertyCashierCollection(models.Model):
    """One collection at the front desk (收银): a household pays for some of its open bills.

    Confirming posts an ``account.payment`` in the method's journal and reconciles it with the
    bills' receivable items, oldest due first: Odoo's own reconciliation decides what is paid,
    a partial payment leaves the rest of the last bill open, and what is paid beyond the bills
    stays a credit on the household's receivable (a prepayment the next bills use)."""

    _name = "property.cashier.collection"
    _description = "Front Desk Collection"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Receipt Number", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(COLLECTION_STATES, required=True, default="draft", readonly=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Household",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('is_property_resident', '=', True)]",
        tracking=True,
    )
    estate_id = fields.Many2one(
        "property.estate",
        required=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self.env.user.property_estate_ids[:1],
    )
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    cashier_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    date = fields.Date(required=True, readonly=True, index=True, default=fields.Date.context_today)
    method = fields.Selection(
        CASHIER_METHODS, string="Payment Method", required=True, default="cash", tracking=True
    )
    reference = fields.Char(
        help="POS terminal voucher number for a card, bank reference for a transfer.", tracking=True
    )
    line_ids = fields.One2many("property.cashier.collection.line", "collection_id", string="Open Bills")
    amount_selected = fields.Monetary(string="Selected Bills Due", compute="_compute_amount_selected")
    amount = fields.Monetary(string="Amount Received", tracking=True)
    amount_prepayment = fields.Monetary(
        string="To Prepayment",
        readonly=True,
        help="Paid beyond the bills: kept as the household's prepayment.",
    )
    amount_change_preview = fields.Monetary(string="Beyond the Bills", compute="_compute_amount_selected")
    partner_prepayment_amount = fields.Monetary(
        string="Household Prepayment", related="partner_id.property_prepayment_amount"
    )
    note = fields.Text()
    payment_id = fields.Many2one("account.payment", readonly=True, copy=False, index="btree_not_null")
    closing_id = fields.Many2one(
        "property.cashier.closing", compute="_compute_closing_id", string="Daily Close"
    )
    reversal_reason = fields.Text(readonly=True, tracking=True)
    reversal_requested_by_id = fields.Many2one("res.users", readonly=True)
    reversal_approved_by_id = fields.Many2one("res.users", readonly=True)
    reversal_date = fields.Date(readonly=True, index=True)
    reversal_move_id = fields.Many2one("account.move", readonly=True, copy=False)

    _sql_constraints = [("amount_positive", "CHECK(amount >= 0)", "The amount received cannot be negative.")]

    @api.depends("line_ids.is_selected", "line_ids.amount_residual", "amount")
    def _compute_amount_selected(self):
        for collection in self:
            selected = collection.line_ids.filtered("is_selected")
            collection.amount_selected = sum(selected.mapped("amount_residual"))
            collection.amount_change_preview = max(collection.amount - collection.amount_selected, 0.0)

    @api.onchange("line_ids")
    def _onchange_line_ids(self):
        """The amount follows the ticked bills; the cashier may then change it (partial payment,
        or more for a prepayment)."""
        if self.state == "draft":
            self.amount = sum(self.line_ids.filtered("is_selected").mapped("amount_residual"))

    def _compute_closing_id(self):
        closings = self.env["property.cashier.closing"].search(
            [("cashier_id", "in", self.cashier_id.ids), ("date", "in", list(set(self.mapped("date"))))]
        )
        for collection in self:
            collection.closing_id = closings.filtered(
                lambda c, col=collection: (
                    (c.cashier_id, c.estate_id, c.date) == (col.cashier_id, col.estate_id, col.date)
                )
            )[:1]

    @api.onchange("partner_id", "estate_id")
    def _onchange_partner_id(self):
        """The household's open bills in the estate, oldest due first, none ticked."""
        if self.state != "draft":
            return
        commands = [Command.clear()]
        if self.partner_id:
            if not self.estate_id or self.estate_id not in self.partner_id.occupancy_ids.estate_id:
                self.estate_id = self.partner_id.occupancy_ids.estate_id[:1] or self.estate_id
            bills = self.env["property.bill"].search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("estate_id", "=", self.estate_id.id),
                    ("state", "in", ("open", "partial")),
                ],
                order="date_due, id",
            )
            commands += [Command.create({"bill_id": bill.id}) for bill in bills]
        self.line_ids = commands

    # ------------------------------------------------------------------
    # The desk writes only drafts, and never the fields the actions own
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if forged := PROTECTED_FIELDS & set(vals) - {"cashier_id"}:
                    raise AccessError(
                        self.env._(
                            "These fields are set by the cashier's actions: %s", ", ".join(sorted(forged))
                        )
                    )
                if vals.get("cashier_id", self.env.uid) != self.env.uid:
                    raise AccessError(self.env._("A collection is always the current cashier's."))
        collections = super().create(vals_list)
        for collection, vals in zip(collections, vals_list, strict=True):
            if "amount" not in vals:  # created without the form: what the ticked bills owe
                collection._onchange_line_ids()
        return collections

    def write(self, vals):
        if not self.env.su:
            if forged := PROTECTED_FIELDS & set(vals):
                raise AccessError(
                    self.env._("These fields are set by the cashier's actions: %s", ", ".join(sorted(forged)))
                )
            if DRAFT_FIELDS & set(vals) and self.filtered(lambda c: c.state != "draft"):
                raise UserError(self.env._("A confirmed collection cannot be changed: request a reversal."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_collected(self):
        if self.filtered(lambda c: c.state != "draft"):
            raise UserError(self.env._("A confirmed collection cannot be deleted: request a reversal."))

    # ------------------------------------------------------------------
    # Collecting
    # ------------------------------------------------------------------
    def _check_collectable(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("This collection is already confirmed."))
        if self.method in ("card", "transfer") and not (self.reference or "").strip():
            raise UserError(
                self.env._("Enter the POS voucher number or the bank reference for a card or a transfer.")
            )
        if len(self.reference or "") > 64:
            raise UserError(self.env._("The reference is too long (64 characters at most)."))
        if self.estate_id not in self.partner_id.occupancy_ids.estate_id:
            raise UserError(self.env._("This household has no unit in the estate %s.", self.estate_id.name))
        bills = self.line_ids.filtered("is_selected").bill_id
        if wrong := bills.filtered(
            lambda b: b.partner_id != self.partner_id or b.estate_id != self.estate_id
        ):
            raise UserError(
                self.env._(
                    "These bills are not this household's in this estate: %s", ", ".join(wrong.mapped("name"))
                )
            )
        if closed := bills.filtered(lambda b: b.state not in ("open", "partial")):
            raise UserError(
                self.env._("These bills are not open any more: %s", ", ".join(closed.mapped("name")))
            )
        if self.currency_id.compare_amounts(self.amount, 0.0) <= 0:
            raise UserError(self.env._("Enter the amount received."))
        self.env["property.cashier.closing"]._check_day_open(self.cashier_id, self.estate_id, self.date)
        return bills

    def action_collect(self):
        """Confirm: receipt number, payment posted in the method's journal, reconciled with the
        ticked bills oldest due first; the rest is the household's prepayment."""
        self.ensure_one()
        self.check_access("write")
        today = fields.Date.context_today(self)
        self.sudo().date = today
        bills = self._check_collectable().sorted(lambda b: (b.date_due, b.id))
        journal = self.company_id._property_cashier_journal(self.method)
        name = self.env["ir.sequence"].with_company(self.company_id).next_by_code("property.cashier.receipt")
        # the desk holds no accounting rights (README: journal entries are the accountants'):
        # the payment is posted in sudo, for this checked collection only
        payment = (
            self.env["account.payment"]
            .sudo()
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.partner_id.id,
                    "amount": self.amount,
                    "journal_id": journal.id,
                    "company_id": self.company_id.id,
                    "date": today,
                    "memo": " ".join(filter(None, [name, self.reference])),
                }
            )
        )
        payment.action_post()
        payment.move_id.property_estate_id = self.estate_id
        allocations = self._reconcile_bills(payment, bills)
        counterpart = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == payment.destination_account_id
        )
        for line in self.line_ids:
            line.sudo().amount_allocated = allocations.get(line.bill_id, 0.0)
        self.line_ids.filtered(lambda line: not line.is_selected).sudo().unlink()
        self.sudo().write(
            {
                "name": name,
                "state": "done",
                "payment_id": payment.id,
                "amount_prepayment": -sum(counterpart.mapped("amount_residual")),
            }
        )
        self.message_post(
            body=self.env._(
                "Collected %(amount)s (%(method)s), receipt %(name)s.",
                amount=self.currency_id.format(self.amount),
                method=dict(self._fields["method"]._description_selection(self.env))[self.method],
                name=name,
            )
        )
        return True

    def _reconcile_bills(self, payment, bills):
        """Reconcile ``payment`` with ``bills`` one bill at a time, in order: {bill: amount paid}."""
        allocations = {}
        counterpart = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == payment.destination_account_id
        )
        for bill in bills:
            if counterpart.reconciled:
                break
            before = bill.amount_residual
            open_lines = bill.sudo().receivable_line_ids.filtered(
                lambda line: not line.reconciled and line.account_id == counterpart.account_id
            )
            if open_lines:
                (counterpart | open_lines).reconcile()
            bill.invalidate_recordset(["amount_residual"])
            allocations[bill] = before - bill.amount_residual
        return allocations

    def _get_amount_in_capitals(self):
        """人民币大写 of the amount received, as Chinese receipts print it."""
        self.ensure_one()
        return amount_to_chinese(self.amount)

    def action_print_receipt(self):
        self.ensure_one()
        if self.state == "draft":
            raise UserError(self.env._("Collect first: the receipt is numbered when the money is received."))
        return self.env.ref("property_cashier.action_report_cashier_receipt").report_action(self)

    # ------------------------------------------------------------------
    # Reversal: the cashier asks, a manager approves
    # ------------------------------------------------------------------
    def action_open_reversal_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Reversal"),
            "res_model": "property.cashier.reversal.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_collection_id": self.id},
        }

    def _request_reversal(self, reason):
        self.ensure_one()
        self.check_access("write")
        if self.state != "done":
            raise UserError(self.env._("Only a collected payment can be reversed."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for the reversal."))
        self.sudo().write(
            {
                "state": "reversal_requested",
                "reversal_reason": reason[:2000],
                "reversal_requested_by_id": self.env.uid,
            }
        )
        self.message_post(body=self.env._("Reversal requested: %s", reason[:2000]))

    def _check_manager(self):
        if not self.env.user.has_group("property_base.group_property_manager"):
            raise AccessError(self.env._("Only a property manager approves or refuses a reversal."))

    def action_approve_reversal(self):
        """Unreconcile the payment and reverse its entry today: the bills are open again."""
        self.ensure_one()
        self._check_manager()
        self.check_access("write")
        if self.state != "reversal_requested":
            raise UserError(self.env._("No reversal is waiting for approval on this collection."))
        if self.reversal_requested_by_id == self.env.user:
            raise UserError(
                self.env._("The reversal must be approved by someone else than who asked for it.")
            )
        today = fields.Date.context_today(self)
        # the money goes back out of the drawer of the cashier who took it, today
        self.env["property.cashier.closing"]._check_day_open(self.cashier_id, self.estate_id, today)
        payment = self.payment_id.sudo()  # accounting entries: see action_collect
        receivable = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == payment.destination_account_id
        )
        receivable.remove_move_reconcile()
        reversal = payment.move_id._reverse_moves(
            [
                {
                    "date": today,
                    "ref": self.env._(
                        "Reversal of %(name)s: %(reason)s", name=self.name, reason=self.reversal_reason
                    ),
                }
            ],
            cancel=True,
        )
        reversal.property_estate_id = self.estate_id
        self.sudo().write(
            {
                "state": "reversed",
                "reversal_approved_by_id": self.env.uid,
                "reversal_date": today,
                "reversal_move_id": reversal.id,
            }
        )
        self.message_post(body=self.env._("Reversal approved: the bills are open again."))
        return True

    def action_refuse_reversal(self):
        self.ensure_one()
        self._check_manager()
        self.check_access("write")
        if self.state != "reversal_requested":
            raise UserError(self.env._("No reversal is waiting for approval on this collection."))
        self.sudo().write({"state": "done"})
        self.message_post(body=self.env._("Reversal refused by %s.", self.env.user.name))
        return True
