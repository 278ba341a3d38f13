from odoo import models


class PropertyConsent(models.Model):
    _inherit = "property.consent"

    def action_withdraw(self, channel="in_person"):
        res = super().action_withdraw(channel=channel)
        self.filtered(lambda c: c.purpose == "face_recognition").partner_id._security_forget_face()
        return res
