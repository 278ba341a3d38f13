from odoo import api, fields, models
from odoo.exceptions import UserError


class PropertyCashierCollectionLine(models.Model):
    """One open bill on the cashier's screen: ticked to be paid."""

    _name = "property.cashier.collection.line"
    _description = "Front Desk Collection Bill"
    _order = "date_due, id"

    collection_id = fields.Many2one(
        "property.cashier.collection", required=True, index=True, ondelete="cascade"
    )
    estate_id = fields.Many2one(related="collection_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="collection_id.company_id", store=True)
    currency_id = fields.Many2one(related="collection_id.currency_id")
    bill_id = fields.Many2one("property.bill", required=True, ondelete="restrict")
    is_selected = fields.Boolean(string="Pay")
    period_start = fields.Date(related="bill_id.period_start", string="Period")
    date_due = fields.Date(related="bill_id.date_due", store=True)
    amount_total = fields.Monetary(related="bill_id.amount_total", string="Bill Total")
    amount_residual = fields.Monetary(related="bill_id.amount_residual", string="Amount Due")
    bill_state = fields.Selection(related="bill_id.state", string="Bill Status")
    amount_allocated = fields.Monetary(string="Paid Here", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_draft()
        return lines

    def write(self, vals):
        if not self.env.su:
            if "amount_allocated" in vals:
                raise UserError(self.env._("The amount paid on a bill is set when collecting."))
            self._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_collected(self):
        if not self.env.su:
            self._check_draft()

    def _check_draft(self):
        if not self.env.su and self.collection_id.filtered(lambda c: c.state != "draft"):
            raise UserError(self.env._("A confirmed collection cannot be changed: request a reversal."))
