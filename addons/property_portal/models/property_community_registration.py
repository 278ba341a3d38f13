from odoo import fields, models
from odoo.exceptions import UserError


class PropertyCommunityRegistration(models.Model):
    _name = "property.community.registration"
    _description = "Community Event Sign-up"
    _order = "event_id, id"

    event_id = fields.Many2one("property.community.event", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", string="Resident", required=True, index=True, ondelete="cascade"
    )
    unit_id = fields.Many2one("property.unit", index=True, ondelete="set null")
    company_id = fields.Many2one(related="event_id.company_id", store=True, index=True)
    state = fields.Selection(
        [("confirmed", "Confirmed"), ("waiting", "Waiting List"), ("cancelled", "Cancelled")],
        default="confirmed",
        required=True,
        index=True,
    )

    def action_cancel(self):
        """Cancel the sign-ups; a freed seat goes to the first on the waiting list."""
        for registration in self:
            if registration.state == "cancelled":
                raise UserError(self.env._("This sign-up is already cancelled."))
        freed = self.filtered(lambda r: r.state == "confirmed").event_id
        self.write({"state": "cancelled"})
        freed._promote_waiting()
        return True
