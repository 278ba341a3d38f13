from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    property_amount_unmatched = fields.Monetary(
        string="Not Matched",
        compute="_compute_property_amount_unmatched",
        help="What is left of the transaction to match, in its sign (Odoo's residual is the suspense side's).",
    )

    @api.depends("amount_residual", "is_reconciled")
    def _compute_property_amount_unmatched(self):
        for st_line in self:
            st_line.property_amount_unmatched = 0.0 if st_line.is_reconciled else -st_line.amount_residual

    def action_property_match_bills(self):
        """Open the matching of this bank transaction with a household's open bills."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Match with Bills"),
            "res_model": "property.bill.match.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_statement_line_id": self.id, "default_partner_id": self.partner_id.id},
        }

    def _property_match_bills(self, bills, partner=None):
        """Reconcile this received amount with the open receivables of ``bills``, oldest due
        first, the way Odoo's bank reconciliation does it: the transaction's suspense line is
        replaced by one receivable line per bill item paid (and the rest, if any, stays in
        suspense), each then reconciled with the bill's item. Returns the bills touched."""
        self.ensure_one()
        if self.is_reconciled:
            raise UserError(self.env._("This bank transaction is already reconciled."))
        if self.amount <= 0:
            raise UserError(self.env._("Only a received amount can pay bills."))
        company_currency = self.company_id.currency_id
        if (self.foreign_currency_id or self.journal_id.currency_id or company_currency) != company_currency:
            raise UserError(
                self.env._("Only transactions in the company's currency can be matched with bills.")
            )
        partner = partner or self.partner_id
        if bills.partner_id - partner:
            raise UserError(self.env._("The bills must belong to the household that paid."))
        if self.partner_id != partner:
            self.partner_id = partner
        liquidity, suspense, other = self._seek_for_lines()
        if other or len(suspense) != 1:
            raise UserError(self.env._("This bank transaction is already matched: undo its matching first."))
        remaining = company_currency.round(-suspense.balance)
        pairs = []
        for bill in bills.filtered(lambda b: b.state in ("open", "partial")).sorted(
            lambda b: (b.date_due, b.id)
        ):
            for item in bill.receivable_line_ids.filtered(
                lambda line: (
                    not line.reconciled and line.parent_state == "posted" and line.amount_residual > 0
                )
            ).sorted(lambda line: (line.date_maturity or line.date, line.id)):
                take = min(item.amount_residual, remaining)
                if company_currency.compare_amounts(take, 0) <= 0:
                    break
                pairs.append((item, company_currency.round(take)))
                remaining = company_currency.round(remaining - take)
        if not pairs:
            raise UserError(self.env._("The selected bills have nothing left to pay."))
        commands = [Command.update(liquidity.id, {})]
        for item, amount in pairs:
            commands.append(
                Command.create(
                    {
                        "name": self.payment_ref or item.name,
                        "account_id": item.account_id.id,
                        "partner_id": item.partner_id.id,
                        "currency_id": company_currency.id,
                        "amount_currency": -amount,
                        "debit": 0.0,
                        "credit": amount,
                    }
                )
            )
        if company_currency.is_zero(remaining):
            commands.append(Command.delete(suspense.id))
        else:
            commands.append(
                Command.update(
                    suspense.id, {"amount_currency": -remaining, "debit": 0.0, "credit": remaining}
                )
            )
        before = self.move_id.line_ids
        self.move_id.with_context(skip_readonly_check=True, force_delete=True).write({"line_ids": commands})
        new_lines = self.move_id.line_ids - before
        for (item, _amount), line in zip(pairs, new_lines.sorted("id"), strict=True):
            (line | item).reconcile()
        touched = self.env["property.bill"]
        for item, _amount in pairs:
            touched |= item.property_bill_id
        return touched
