from odoo import api, fields, models
from odoo.exceptions import UserError


class PropertyBillMatchWizard(models.TransientModel):
    """Match a bank transaction (a resident's transfer) with the household's open bills."""

    _name = "property.bill.match.wizard"
    _description = "Match a Bank Transaction with Bills"

    statement_line_id = fields.Many2one(
        "account.bank.statement.line", string="Bank Transaction", required=True, readonly=True
    )
    company_id = fields.Many2one(related="statement_line_id.company_id")
    currency_id = fields.Many2one(related="statement_line_id.company_id.currency_id")
    date = fields.Date(related="statement_line_id.date")
    payment_ref = fields.Char(related="statement_line_id.payment_ref", string="Label")
    amount = fields.Monetary(related="statement_line_id.amount")
    partner_id = fields.Many2one(
        "res.partner",
        string="Household",
        required=True,
        domain="[('is_property_resident', '=', True)]",
    )
    bill_ids = fields.Many2many(
        "property.bill",
        string="Bills",
        domain="[('partner_id', '=', partner_id), ('state', 'in', ('open', 'partial'))]",
    )
    amount_selected = fields.Monetary(compute="_compute_amount_selected", string="Selected Amount Due")

    @api.depends("bill_ids")
    def _compute_amount_selected(self):
        for wizard in self:
            wizard.amount_selected = sum(wizard.bill_ids.mapped("amount_residual"))

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        """The household's open bills, oldest first, as many as the amount pays."""
        bills = self.env["property.bill"]
        if self.partner_id:
            remaining = self.amount
            for bill in self.env["property.bill"].search(
                [("partner_id", "=", self.partner_id.id), ("state", "in", ("open", "partial"))],
                order="date_due, id",
            ):
                if remaining <= 0:
                    break
                bills |= bill
                remaining -= bill.amount_residual
        self.bill_ids = bills

    def action_match(self):
        self.ensure_one()
        if not self.bill_ids:
            raise UserError(self.env._("Select the bills this transaction pays."))
        self.statement_line_id._property_match_bills(self.bill_ids, self.partner_id)
        return {"type": "ir.actions.act_window_close"}
