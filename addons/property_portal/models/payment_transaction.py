from odoo import fields, models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    property_bill_ids = fields.Many2many(
        "property.bill",
        "property_bill_payment_transaction_rel",
        "transaction_id",
        "bill_id",
        string="Property Bills",
        readonly=True,
        copy=False,
    )

    def _create_payment(self, **extra_create_values):
        """Override of `account_payment`: reconcile the payment with the paid bills' receivable
        items, as account_payment does with invoices."""
        payment = super()._create_payment(**extra_create_values)
        bills = self.property_bill_ids
        if bills and payment.move_id:
            account = payment.destination_account_id
            lines = payment.move_id.line_ids.filtered(lambda line: line.account_id == account)
            lines |= bills.receivable_line_ids.filtered(
                lambda line: (
                    line.account_id == account and not line.reconciled and line.parent_state == "posted"
                )
            )
            lines.filtered(lambda line: not line.reconciled).reconcile()
        return payment

    def _wechatpay_get_payer_openid(self):
        """Override of `property_payment`: the openid the resident bound through the
        mini-program login pays by JSAPI inside WeChat."""
        openid = super()._wechatpay_get_payer_openid()
        return openid or self.partner_id.sudo().wechat_openid or False
