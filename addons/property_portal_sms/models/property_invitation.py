from datetime import timedelta

from odoo import fields, models

from odoo.addons.property_portal.models.property_binding_request import normalize_phone


class PropertyInvitation(models.Model):
    """One resident of one campaign: the invitation's state, or why it was skipped."""

    _name = "property.invitation"
    _description = "Portal Invitation"
    _order = "campaign_id desc, id"
    _property_pii_fields = ("phone",)
    _property_pii_partner_field = "partner_id"

    campaign_id = fields.Many2one(
        "property.invitation.campaign", required=True, index=True, ondelete="cascade"
    )
    estate_id = fields.Many2one(related="campaign_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Resident", required=True, index=True, ondelete="cascade"
    )
    building_id = fields.Many2one("property.building", required=True, ondelete="cascade")
    phone = fields.Char(string="Mobile", readonly=True)
    state = fields.Selection(
        [("pending", "Waiting"), ("sent", "Sent"), ("failed", "Failed"), ("skipped", "Skipped")],
        default="pending",
        required=True,
        index=True,
    )
    skip_reason = fields.Selection(
        [
            ("has_account", "Has an account"),
            ("no_mobile", "No mobile number"),
            ("opted_out", "Opted out of SMS"),
            ("already_invited", "Already invited recently"),
        ]
    )
    sent_date = fields.Datetime(string="Sent On", readonly=True)
    result_code = fields.Char(string="Gateway Result", readonly=True)

    _sql_constraints = [
        (
            "campaign_partner_uniq",
            "unique(campaign_id, partner_id)",
            "A resident is invited once per campaign.",
        ),
    ]

    def _get_skip_reason(self, recently_invited):
        """Why this resident gets no invitation, or False. ``recently_invited``: the ids of the
        residents invited within the period."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        if partner.with_context(active_test=False).user_ids:
            return "has_account"
        if len(normalize_phone(partner.mobile or partner.phone)) != 11:
            return "no_mobile"
        if partner.phone_sanitized_blacklisted:
            return "opted_out"
        if partner.id in recently_invited:
            return "already_invited"
        return False

    def _skip_ineligible(self):
        """Mark skipped, with the reason, the invitations that must not go; note the number of the
        others."""
        if not self:
            return
        company = self.company_id[:1].sudo()
        since = fields.Datetime.now() - timedelta(days=company.property_invitation_days)
        recently_invited = set(
            self.env["property.invitation.guard"]
            .sudo()
            .search([("partner_id", "in", self.partner_id.ids), ("last_sent_date", ">", since)])
            .partner_id.ids
        )
        for invitation in self:
            reason = invitation._get_skip_reason(recently_invited)
            if reason:
                invitation.write({"state": "skipped", "skip_reason": reason})
            elif not invitation.phone:
                partner = invitation.partner_id.sudo()
                invitation.phone = normalize_phone(partner.mobile or partner.phone)
