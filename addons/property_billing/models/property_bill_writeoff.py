from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

WRITEOFF_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


class PropertyBillWriteoff(models.Model):
    """A request to write off (核销) what a household owes on a bill: an accountant asks,
    a property manager approves, and only then is the write-off entry posted."""

    _name = "property.bill.writeoff"
    _description = "Bill Write-off Request"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    bill_id = fields.Many2one("property.bill", required=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one(related="bill_id.partner_id", store=True)
    estate_id = fields.Many2one(related="bill_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="bill_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="bill_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True)
    reason = fields.Text(required=True)
    account_id = fields.Many2one(
        "account.account",
        string="Write-off Account",
        check_company=True,
        domain="[('account_type', 'in', ('expense', 'income_other'))]",
        tracking=True,
    )
    state = fields.Selection(WRITEOFF_STATES, default="draft", required=True, readonly=True, tracking=True)
    requested_by_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    approved_by_id = fields.Many2one("res.users", readonly=True)
    move_id = fields.Many2one("account.move", readonly=True)

    _sql_constraints = [("amount_positive", "CHECK(amount > 0)", "A write-off amount must be positive.")]

    @api.depends("bill_id", "amount")
    def _compute_display_name(self):
        for request in self:
            request.display_name = f"{request.bill_id.name or ''} · {request.amount:.2f}"

    def action_submit(self):
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("Only a draft request can be submitted."))
            if request.currency_id.compare_amounts(request.amount, request.bill_id.amount_residual) > 0:
                raise UserError(self.env._("A write-off cannot exceed what is due on the bill."))
        self.write({"state": "to_approve"})
        return True

    def action_reject(self):
        self._check_approver()
        self.filtered(lambda r: r.state == "to_approve").write(
            {"state": "rejected", "approved_by_id": self.env.uid}
        )
        return True

    def _check_approver(self):
        if not self.env.user.has_group("property_base.group_property_manager"):
            raise AccessError(self.env._("Only a property manager can approve or reject write-offs."))

    def action_approve(self):
        """Post the write-off (write-off account against the household's receivable) and
        reconcile it with the bill."""
        self._check_approver()
        for request in self:
            if request.state != "to_approve":
                raise UserError(self.env._("Only a submitted request can be approved."))
            bill = request.bill_id
            if request.currency_id.compare_amounts(request.amount, bill.amount_residual) > 0:
                raise UserError(self.env._("A write-off cannot exceed what is due on the bill."))
            if not request.account_id:
                raise UserError(self.env._("Choose the write-off account."))
            open_lines = bill.receivable_line_ids.filtered(lambda line: not line.reconciled)
            receivable = open_lines.account_id[:1]
            journal = self.env["property.bill.line"]._get_billing_journal(bill.company_id)
            move = (
                self.env["account.move"]
                .sudo()
                .create(
                    {
                        "move_type": "entry",
                        "journal_id": journal.id,
                        "date": fields.Date.context_today(self),
                        "ref": self.env._("Write-off of %s", bill.name),
                        "property_estate_id": bill.estate_id.id,
                        "line_ids": [
                            Command.create(
                                {
                                    "name": request.reason[:64],
                                    "account_id": request.account_id.id,
                                    "debit": request.amount,
                                    "partner_id": bill.partner_id.id,
                                }
                            ),
                            Command.create(
                                {
                                    "name": bill.name,
                                    "account_id": receivable.id,
                                    "credit": request.amount,
                                    "partner_id": bill.partner_id.id,
                                }
                            ),
                        ],
                    }
                )
            )
            move.action_post()
            credit = move.line_ids.filtered(lambda line, a=receivable: line.account_id == a)
            (open_lines.filtered(lambda line, a=receivable: line.account_id == a) | credit).reconcile()
            request.write({"state": "approved", "approved_by_id": self.env.uid, "move_id": move.id})
        return True
