from odoo import api, fields, models
from odoo.exceptions import UserError

from .res_company import CASHIER_METHODS


class PropertyCashierClosingLine(models.Model):
    _name = "property.cashier.closing.line"
    _description = "Cashier Daily Close Line"
    _order = "closing_id, id"

    closing_id = fields.Many2one("property.cashier.closing", required=True, index=True, ondelete="cascade")
    estate_id = fields.Many2one(related="closing_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="closing_id.company_id", store=True)
    currency_id = fields.Many2one(related="closing_id.currency_id")
    method = fields.Selection(CASHIER_METHODS, string="Payment Method", required=True, readonly=True)
    amount_expected = fields.Monetary(string="Expected", readonly=True)
    amount_counted = fields.Monetary(string="Counted")
    amount_difference = fields.Monetary(string="Difference", compute="_compute_difference", store=True)

    _sql_constraints = [
        ("method_uniq", "unique(closing_id, method)", "One line per payment method."),
        ("counted_positive", "CHECK(amount_counted >= 0)", "A counted amount cannot be negative."),
    ]

    @api.depends("amount_expected", "amount_counted")
    def _compute_difference(self):
        for line in self:
            line.amount_difference = line.amount_counted - line.amount_expected

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.closing_id._check_not_closed()
        return lines

    def write(self, vals):
        self.closing_id._check_not_closed()
        if not self.env.su and set(vals) - {"amount_counted"}:
            raise UserError(self.env._("Only the counted amount is entered by hand."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        self.closing_id._check_not_closed()
