from odoo import fields, models

from ..models.property_request import PAUSE_REASONS


class PropertyRequestReasonWizard(models.TransientModel):
    _name = "property.request.reason.wizard"
    _description = "Request Pause / Cancel / Reopen Reason"

    request_ids = fields.Many2many("property.request", string="Requests", required=True)
    action = fields.Selection(
        [("pause", "Pause"), ("cancel", "Cancel"), ("reject", "Reopen (Resident Rejects)")],
        required=True,
    )
    pause_reason = fields.Selection(PAUSE_REASONS, default="parts")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.action == "pause":
            self.request_ids._action_pause(self.pause_reason or "other", self.reason)
        elif self.action == "cancel":
            self.request_ids._action_cancel(self.reason)
        else:
            self.request_ids._action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
