from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.property_security_access_log import DIRECTIONS


class PropertySecurityGateCheckWizard(models.TransientModel):
    """The gate screen: scan a QR pass or type a plate, see at once whether to open and why not."""

    _name = "property.security.gate.check.wizard"
    _description = "Gate Check"

    gate_id = fields.Many2one(
        "property.security.gate", required=True, default=lambda self: self._default_gate()
    )
    direction = fields.Selection(DIRECTIONS, required=True, default="entry")
    token = fields.Char(string="Pass Code")
    plate = fields.Char(string="Vehicle Plate")
    is_checked = fields.Boolean(readonly=True)
    is_allowed = fields.Boolean(string="Allowed", readonly=True)
    reason = fields.Char(readonly=True)
    visitor_id = fields.Many2one("property.security.visitor", readonly=True)

    @api.model
    def _default_gate(self):
        return self.env["property.security.gate"].search(
            [("estate_id", "in", self.env.user.property_estate_ids.ids)], limit=1
        )

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_check_pass(self):
        self.ensure_one()
        if not self.token:
            raise UserError(self.env._("Scan or type the pass code."))
        result = self.env["property.security.visitor"]._scan_pass(
            self.token.strip(), self.gate_id, self.direction
        )
        self.write(
            {
                "is_checked": True,
                "is_allowed": result["allowed"],
                "reason": result["reason"],
                "visitor_id": result["visitor"].id,
                "token": False,
            }
        )
        return self._reopen()

    def action_check_plate(self):
        self.ensure_one()
        if not self.plate:
            raise UserError(self.env._("Type the vehicle plate."))
        allowed, reason = self.env["property.security.vehicle.plate"]._check_plate(
            self.plate, self.gate_id, self.direction
        )
        self.write({"is_checked": True, "is_allowed": allowed, "reason": reason, "visitor_id": False})
        return self._reopen()
