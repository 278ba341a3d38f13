from odoo import models


class PaymentLinkWizard(models.TransientModel):
    _inherit = "payment.link.wizard"

    def _prepare_query_params(self, related_document):
        """Override of `payment`: a bill's link opens Odoo's payment page for that bill."""
        params = super()._prepare_query_params(related_document)
        if self.res_model == "property.bill":
            params["property_bill_id"] = related_document.id
        return params
