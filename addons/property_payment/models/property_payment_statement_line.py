from odoo import api, fields, models

from .property_payment_statement import amounts_differ

MATCH_STATES = [
    ("matched", "Matched"),
    ("missing_in_odoo", "Missing in Odoo"),
    ("missing_in_statement", "Missing in Statement"),
    ("amount_differs", "Amount Differs"),
    ("state_differs", "State Differs"),
    ("payment_missing", "Accounting Payment Missing"),
]


def _transaction_states(model):
    return model.env["payment.transaction"]._fields["state"]._description_selection(model.env)


class PropertyPaymentStatementLine(models.Model):
    """One line of a gateway statement with the outcome of its reconciliation.

    The Odoo side (amount, state) is copied at reconciliation time, so the accountant sees what
    was compared even without rights on payment transactions.
    """

    _name = "property.payment.statement.line"
    _description = "Payment Gateway Statement Line"
    _order = "statement_id, trade_time, id"

    statement_id = fields.Many2one(
        comodel_name="property.payment.statement",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="statement_id.company_id", store=True, index=True)
    provider_id = fields.Many2one(related="statement_id.provider_id", store=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    statement_date = fields.Date(related="statement_id.statement_date", store=True)
    trade_time = fields.Datetime()
    line_type = fields.Selection(
        selection=[("payment", "Payment"), ("refund", "Refund")],
        required=True,
        default="payment",
    )
    reference = fields.Char(string="Order Number", index=True)
    refund_reference = fields.Char(string="Refund Number")
    gateway_reference = fields.Char(string="Gateway Number")
    gateway_state = fields.Char()
    gateway_status = fields.Selection(
        selection=[
            ("paid", "Paid"),
            ("refunded", "Refunded"),
            ("closed", "Closed"),
            ("other", "Other"),
        ],
    )
    amount = fields.Monetary(string="Statement Amount", currency_field="currency_id")
    fee_amount = fields.Monetary(string="Fee", currency_field="currency_id")
    transaction_id = fields.Many2one(
        comodel_name="payment.transaction",
        ondelete="set null",
        groups="account.group_account_invoice,base.group_system",
    )
    payment_id = fields.Many2one(
        comodel_name="account.payment",
        ondelete="set null",
        groups="account.group_account_invoice",
    )
    odoo_reference = fields.Char(string="Odoo Transaction")
    odoo_amount = fields.Monetary(currency_field="currency_id")
    odoo_state = fields.Selection(selection=_transaction_states)
    odoo_payment = fields.Char()
    match_state = fields.Selection(
        string="Result", selection=MATCH_STATES, default="matched", required=True, index=True
    )
    mismatch_reason = fields.Char()
    is_mismatch = fields.Boolean(string="Mismatch", compute="_compute_is_mismatch", store=True)

    @api.depends("match_state")
    def _compute_is_mismatch(self):
        for line in self:
            line.is_mismatch = line.match_state != "matched"

    def _find_transaction(self, by_reference, used):
        """Return the transaction this line refers to (empty if none).

        WeChat refund lines carry the refund's own number; Alipay's account bill only carries the
        original order number, so its refunds match an unused refund of that order, preferably
        of the same amount.
        """
        self.ensure_one()
        empty = self.env["payment.transaction"].sudo()
        if self.line_type == "refund":
            if self.refund_reference and self.refund_reference in by_reference:
                return by_reference[self.refund_reference]
            source = by_reference.get(self.reference, empty)
            refunds = source.child_transaction_ids.filtered(
                lambda tx: tx.operation == "refund" and tx not in used
            )
            same_amount = refunds.filtered(
                lambda tx: not amounts_differ(-tx.amount, self.amount, self.currency_id)
            )
            return (same_amount or refunds)[:1]
        tx = by_reference.get(self.reference, empty)
        return tx if tx.operation != "refund" else empty

    def _get_match_values(self, tx, in_statement=True):
        """Compare the line with its transaction and its accounting payment."""

        values = {
            "transaction_id": tx.id,
            "payment_id": tx.payment_id.id,
            "odoo_reference": tx.reference,
            "odoo_amount": abs(tx.amount),
            "odoo_state": tx.state,
            "odoo_payment": tx.payment_id.name,
            "match_state": "matched",
            "mismatch_reason": False,
        }
        if not in_statement:
            values.update(
                match_state="missing_in_statement",
                mismatch_reason=self.env._(
                    "Confirmed in Odoo (%(reference)s) but absent from the gateway's statement.",
                    reference=tx.reference,
                ),
            )
            return values
        self.ensure_one()
        if not tx:
            values.update(
                match_state="missing_in_odoo",
                mismatch_reason=self.env._(
                    "No transaction with order number %(reference)s in Odoo.",
                    reference=self.refund_reference or self.reference,
                ),
            )
        elif amounts_differ(self.amount, abs(tx.amount), self.currency_id):
            values.update(
                match_state="amount_differs",
                mismatch_reason=self.env._(
                    "The statement says %(statement)s, the transaction %(odoo)s.",
                    statement=self.amount,
                    odoo=abs(tx.amount),
                ),
            )
        elif self.gateway_status in ("paid", "refunded") and tx.state != "done":
            values.update(
                match_state="state_differs",
                mismatch_reason=self.env._(
                    "Settled by the gateway (%(gateway)s) but %(state)s in Odoo.",
                    gateway=self.gateway_state,
                    state=dict(_transaction_states(self))[tx.state],
                ),
            )
        elif self.gateway_status == "closed" and tx.state == "done":
            values.update(
                match_state="state_differs",
                mismatch_reason=self.env._(
                    "Closed by the gateway (%(gateway)s) but confirmed in Odoo.",
                    gateway=self.gateway_state,
                ),
            )
        elif tx.state == "done" and not tx.payment_id:
            values.update(
                match_state="payment_missing",
                mismatch_reason=self.env._("The transaction is confirmed but no accounting payment exists."),
            )
        elif tx.payment_id and amounts_differ(self.amount, tx.payment_id.amount, self.currency_id):
            values.update(
                match_state="amount_differs",
                mismatch_reason=self.env._(
                    "The statement says %(statement)s, the payment %(payment)s says %(odoo)s.",
                    statement=self.amount,
                    payment=tx.payment_id.name,
                    odoo=tx.payment_id.amount,
                ),
            )
        return values
