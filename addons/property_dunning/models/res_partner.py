from odoo import fields, models


class ResPartner(models.Model):
    """Per-channel opt-outs of payment reminders.

    Dunning is a legitimate-interest notice, not marketing: it does not depend on
    ``property.consent``, but a household may refuse a channel, and every channel refused
    here is skipped (and logged as skipped)."""

    _inherit = "res.partner"

    has_dunning_email_opt_out = fields.Boolean(string="No Reminder Emails")
    has_dunning_sms_opt_out = fields.Boolean(string="No Reminder SMS")
    has_dunning_portal_opt_out = fields.Boolean(string="No Reminder Portal Messages")
    has_dunning_voice_opt_out = fields.Boolean(string="No Reminder Calls")
    dunning_log_ids = fields.One2many(
        "property.dunning.log",
        "partner_id",
        string="Payment Reminders",
        groups="property_base.group_property_front_desk,property_base.group_property_accountant",
    )
