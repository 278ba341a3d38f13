from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .tools import current_household_units, normalize_plate


class PropertySecurityVehiclePlate(models.Model):
    """A vehicle plate known at the gates: a resident's (partner and/or unit) or a visitor's."""

    _name = "property.security.vehicle.plate"
    _description = "Vehicle Plate"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(string="Plate", required=True, index=True)
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one("res.partner", string="Resident", index=True)
    unit_id = fields.Many2one("property.unit", index=True, ondelete="cascade")
    visitor_id = fields.Many2one("property.security.visitor", index=True, ondelete="cascade")
    estate_id = fields.Many2one(
        "property.estate",
        compute="_compute_estate_id",
        store=True,
        index=True,
        readonly=False,
        precompute=True,
    )
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    note = fields.Char()

    @api.depends("unit_id", "visitor_id")
    def _compute_estate_id(self):
        for plate in self:
            plate.estate_id = plate.visitor_id.estate_id or plate.unit_id.estate_id or plate.estate_id

    @api.constrains("partner_id", "unit_id", "visitor_id")
    def _check_owner(self):
        for plate in self:
            if not (plate.partner_id or plate.unit_id or plate.visitor_id):
                raise ValidationError(self.env._("A plate belongs to a resident, a unit or a visitor."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name"):
                vals["name"] = normalize_plate(vals["name"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("name"):
            vals["name"] = normalize_plate(vals["name"])
        return super().write(vals)

    def _plate_refusal(self, gate, at):
        self.ensure_one()
        if self.visitor_id:
            return self.visitor_id._pass_refusal(gate, "entry", at)
        if self.estate_id and self.estate_id != gate.estate_id:
            return self.env._("The vehicle is registered at another estate.")
        if self.partner_id:
            units = current_household_units(self.env, self.partner_id, self.unit_id or None)
            if gate.estate_id not in units.estate_id:
                return self.env._("The owner of the vehicle no longer lives here.")
        return False

    @api.model
    def _check_plate(self, plate, gate, direction="entry", at=None):
        """May the vehicle with ``plate`` pass ``gate``? Returns ``(allowed, reason)`` and logs it.
        A visitor's plate follows the visitor's pass (window, revocation, uses)."""
        at = at or fields.Datetime.now()
        number = normalize_plate(plate)
        candidates = self.sudo().search([("name", "=", number)]) if number else self.browse()
        reason = self.env._("Unknown plate.")
        match = self.browse()
        for candidate in candidates:
            refusal = candidate._plate_refusal(gate, at) if direction == "entry" else False
            if not refusal:
                match, reason = candidate, False
                break
            reason = refusal
        if match.visitor_id and direction == "entry":
            match.visitor_id.sudo().use_count += 1
        self.env["property.security.access.log"].sudo()._log(
            gate,
            direction,
            "plate",
            allowed=not reason,
            reason=reason,
            visitor=match.visitor_id,
            partner=match.partner_id,
            at=at,
            plate=number,
        )
        return (not reason, reason or "")
