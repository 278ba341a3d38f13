from odoo import models
from odoo.tools import format_amount

SMS_TEMPLATE = "notify_payment"


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _reconcile_property_bills(self, payment):
        """The bills are paid: the payer is told, with a link to the receipt."""
        result = super()._reconcile_property_bills(payment)
        self._notify_property_payment()
        return result

    def _notify_property_payment(self):
        def render(tx):
            def _render(env):
                bills = ", ".join(tx.property_bill_ids.mapped("name"))
                url = f"/my/payments/{tx.id}"
                return {
                    "subject": env._("Payment received"),
                    "body": env._(
                        "We received your payment of %(amount)s for %(bills)s. Thank you! Your receipt: %(url)s",
                        amount=format_amount(env, tx.amount, tx.currency_id),
                        bills=bills,
                        url=f"{tx.get_base_url()}{url}",
                    ),
                    "url": url,
                    "sms_template": SMS_TEMPLATE,
                    "sms_params": [f"{tx.amount:.2f}", bills, f"{tx.get_base_url()}{url}"],
                }

            return _render

        txs = self.sudo().filtered(lambda tx: tx.property_bill_ids and tx.partner_id)
        self.env["property.notification"]._notify(
            "payment", [(tx, tx.partner_id, "", render(tx)) for tx in txs]
        )
