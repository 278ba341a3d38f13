from odoo import fields, models


class PropertyCashierReversalWizard(models.TransientModel):
    _name = "property.cashier.reversal.wizard"
    _description = "Request a Collection Reversal"

    collection_id = fields.Many2one("property.cashier.collection", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_request(self):
        self.ensure_one()
        self.collection_id._request_reversal(self.reason)
        return {"type": "ir.actions.act_window_close"}
