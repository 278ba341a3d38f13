from odoo import models

from odoo.addons.property_base.tools.pii import is_masked


class MailNotification(models.Model):
    _inherit = "mail.notification"
    _property_pii_fields = ("sms_number",)
    _property_pii_partner_field = "res_partner_id"


class SmsResendRecipient(models.TransientModel):
    _inherit = "sms.resend.recipient"
    _property_pii_fields = ("sms_number",)
    _property_pii_partner_field = "partner_id"


class SmsComposer(models.TransientModel):
    """The composer shows the recipient's number: masked below manager. Sending reads it
    again from the recipient, so a masked number sent back by the form is simply dropped."""

    _inherit = "sms.composer"
    _property_pii_fields = (
        "recipient_single_number",
        "recipient_single_number_itf",
        "numbers",
        "sanitized_numbers",
    )

    def _property_pii_check_not_masked(self, vals):
        for fname in self._property_pii_field_names() & set(vals):
            if is_masked(vals[fname]):
                del vals[fname]

    def onchange(self, values, field_names, fields_spec):
        # the form holds the masked number: the composer computes the real one again
        pii = self._property_pii_field_names()
        values = {fname: value for fname, value in values.items() if not (fname in pii and is_masked(value))}
        return super().onchange(values, field_names, fields_spec)
