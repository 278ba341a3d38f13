import pytz

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
    result_unit = fields.Char(string="Unit Visited", readonly=True, help="Estate, building and unit visited.")
    result_validity = fields.Char(
        string="Validity", readonly=True, help="The pass's validity, in local time."
    )
    result_entries = fields.Char(
        string="Entries Used / Allowed", readonly=True, help="Entries used of those allowed."
    )

    @api.model
    def _default_gate(self):
        return self.env["property.security.gate"].search(
            [("estate_id", "in", self.env.user.property_estate_ids.ids)], limit=1
        )

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Gate Check Result"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_check_pass(self):
        self.ensure_one()
        if not self.token:
            raise UserError(self.env._("Scan or type the pass code."))
        self.gate_id.check_access("read")  # a gate of the user's estates only
        result = self.env["property.security.visitor"]._scan_pass(
            self.token.strip(), self.gate_id, self.direction
        )
        self.write(
            {
                "is_checked": True,
                "is_allowed": result["allowed"],
                "reason": result["reason"],
                "token": False,
                **self._prepare_result_values(result["visitor"]),
            }
        )
        return self._reopen()

    def _prepare_result_values(self, visitor):
        """What the guard sees of the pass: whose, which unit, valid when (in the guard's time
        zone, Asia/Shanghai by default). Nothing of a pass of another estate."""
        self.ensure_one()
        visitor = visitor.sudo()
        if not visitor or visitor.estate_id != self.gate_id.estate_id:
            return {
                "visitor_id": False,
                "result_unit": False,
                "result_validity": False,
                "result_entries": False,
            }
        unit = visitor.unit_id
        tz = pytz.timezone(self.env.user.tz or "Asia/Shanghai")
        start, end = (pytz.UTC.localize(d).astimezone(tz) for d in (visitor.visit_start, visitor.visit_end))
        end_format = "%H:%M" if end.date() == start.date() else "%Y-%m-%d %H:%M"
        return {
            "visitor_id": visitor.id,
            "result_unit": " ".join(
                p for p in (unit.estate_id.name, unit.building_id.name, unit.number) if p
            ),
            "result_validity": f"{start:%Y-%m-%d %H:%M} – {end.strftime(end_format)}",
            "result_entries": f"{visitor.use_count} / {visitor.max_uses}",
        }

    def action_check_plate(self):
        self.ensure_one()
        if not self.plate:
            raise UserError(self.env._("Type the vehicle plate."))
        self.gate_id.check_access("read")
        allowed, reason = self.env["property.security.vehicle.plate"]._check_plate(
            self.plate, self.gate_id, self.direction
        )
        self.write(
            {
                "is_checked": True,
                "is_allowed": allowed,
                "reason": reason,
                "visitor_id": False,
                "result_unit": False,
                "result_validity": False,
                "result_entries": False,
            }
        )
        return self._reopen()
