from odoo import api, models

from odoo.addons.payment import utils as payment_utils


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    def _get_compatible_providers(self, *args, property_bill_id=None, report=None, **kwargs):
        """Override of `payment`: paying a bill (payment link), only the providers allowed for
        its company (see `property.bill._is_payment_provider_allowed`)."""
        providers = super()._get_compatible_providers(
            *args, property_bill_id=property_bill_id, report=report, **kwargs
        )
        bill = (
            self.env["property.bill"].sudo().browse(property_bill_id).exists() if property_bill_id else None
        )
        if bill:
            allowed = providers.filtered(bill._is_payment_provider_allowed)
            payment_utils.add_to_report(
                report,
                providers - allowed,
                available=False,
                reason=self.env._("not allowed for this company's bills"),
            )
            providers = allowed
        return providers
