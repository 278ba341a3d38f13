from odoo import api, models

from odoo.addons.property_portal.models.property_portal_rate_limit import OTP_MINUTES
from odoo.addons.property_sms.models.property_sms_gateway import OTP_TEMPLATE, SUCCESS_STATES


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _portal_send_otp(self, phone, code, company=None):
        """Send the code with the SMS gateway of the resident's company (its ``otp`` template,
        parameters: the code and its validity in minutes). Without a gateway, the portal's
        default applies (the code is not sent)."""
        gateway = self.env["property.sms.gateway"]._get_company_gateway(company)
        if not gateway:
            return super()._portal_send_otp(phone, code, company=company)
        results = gateway._send_template([phone], OTP_TEMPLATE, [code, OTP_MINUTES])
        return all(result["state"] in SUCCESS_STATES for result in results)
