from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _wechatpay_get_payer_openid(self):
        """Override of `property_payment`: the openid the resident bound through the
        mini-program login pays by JSAPI inside WeChat."""
        openid = super()._wechatpay_get_payer_openid()
        return openid or self.partner_id.sudo().wechat_openid or False
