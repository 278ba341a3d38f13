from odoo import api, fields, models


class PropertyInvitationGuard(models.Model):
    """The last invitation a resident got, one row per resident (unique): the lock and the date
    that keep two campaigns, or two tries of a job, from inviting them twice in a period."""

    _name = "property.invitation.guard"
    _description = "Portal Invitation Guard"

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    last_sent_date = fields.Datetime()
    invitation_id = fields.Many2one("property.invitation", ondelete="set null")

    _sql_constraints = [("partner_uniq", "unique(partner_id)", "One invitation guard per resident.")]

    @api.model
    def _get_for_partners(self, partners):
        guards = self.search([("partner_id", "in", partners.ids)])
        missing = partners - guards.partner_id
        if missing:
            guards |= self.create([{"partner_id": partner.id} for partner in missing])
        return {guard.partner_id.id: guard for guard in guards}
