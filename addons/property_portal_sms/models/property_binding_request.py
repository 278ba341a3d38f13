from odoo import models

# the gateway templates (approved by the carrier) of the two decisions; parameters: the unit, then
# the page to bind again (approved) or the reason (refused)
BINDING_APPROVED_TEMPLATE = "binding_approved"
BINDING_REFUSED_TEMPLATE = "binding_refused"


class PropertyBindingRequest(models.Model):
    _inherit = "property.binding.request"

    def _notify_resident(self):
        """The decision also goes by SMS to the number the resident proved, through the gateway of
        the unit's company (nothing is sent without one)."""
        text = super()._notify_resident()
        gateway = self.env["property.sms.gateway"]._get_company_gateway(self.company_id)
        if gateway:
            if self.state == "approved":
                template, detail = BINDING_APPROVED_TEMPLATE, self._bind_again_url()
            else:
                template, detail = BINDING_REFUSED_TEMPLATE, self.refuse_reason
            gateway._send_template([self.phone], template, [self.unit_id.display_name, detail])
        return text
