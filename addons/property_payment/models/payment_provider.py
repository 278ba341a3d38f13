import logging

from werkzeug import urls

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import const

_logger = logging.getLogger(__name__)


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("wechatpay", "WeChat Pay"), ("alipay", "Alipay")],
        ondelete={"wechatpay": "set default", "alipay": "set default"},
    )

    # === WeChat Pay API v3 credentials === #
    wechatpay_mch_id = fields.Char(
        string="WeChat Pay Merchant ID",
        help="The merchant number (商户号, mchid) of the WeChat Pay account.",
        required_if_provider="wechatpay",
        copy=False,
    )
    wechatpay_appid = fields.Char(
        string="WeChat AppID",
        help="The AppID (Official Account, Mini Program or website app) bound to the merchant.",
        required_if_provider="wechatpay",
        copy=False,
    )
    wechatpay_apiv3_key = fields.Char(
        string="WeChat Pay APIv3 Key",
        help="The 32-character APIv3 key used to decrypt notifications (AES-256-GCM).",
        required_if_provider="wechatpay",
        groups="base.group_system",
        copy=False,
    )
    wechatpay_private_key = fields.Text(
        string="WeChat Pay Merchant Private Key",
        help="The PEM private key of the merchant API certificate (apiclient_key.pem).",
        required_if_provider="wechatpay",
        groups="base.group_system",
        copy=False,
    )
    wechatpay_cert_serial_no = fields.Char(
        string="WeChat Pay Merchant Certificate Serial",
        help="The serial number of the merchant API certificate.",
        required_if_provider="wechatpay",
        copy=False,
    )
    wechatpay_public_key = fields.Text(
        string="WeChat Pay Public Key",
        help="The WeChat Pay public key (微信支付公钥, PEM) used to verify WeChat Pay's signatures.",
        required_if_provider="wechatpay",
        copy=False,
    )
    wechatpay_public_key_id = fields.Char(
        string="WeChat Pay Public Key ID",
        help="The id of the WeChat Pay public key (PUB_KEY_ID_...), sent in Wechatpay-Serial.",
        required_if_provider="wechatpay",
        copy=False,
    )

    # === Alipay credentials === #
    alipay_app_id = fields.Char(
        string="Alipay App ID",
        help="The APPID of the application on the Alipay open platform.",
        required_if_provider="alipay",
        copy=False,
    )
    alipay_app_private_key = fields.Text(
        string="Alipay Application Private Key",
        help="The PEM private key (RSA2) of the application, used to sign requests.",
        required_if_provider="alipay",
        groups="base.group_system",
        copy=False,
    )
    alipay_public_key = fields.Text(
        help="The Alipay public key (PEM) used to verify Alipay's signatures.",
        required_if_provider="alipay",
        copy=False,
    )

    # === Shared settings === #
    gateway_query_delay = fields.Integer(
        string="Query Pending Orders After (minutes)",
        help="Pending transactions older than this are queried at the gateway by the "
        "scheduled action, in case their notification never arrived.",
        default=10,
    )

    # === COMPUTE METHODS === #

    def _compute_feature_support_fields(self):
        """Override of `payment` to enable refunds."""
        res = super()._compute_feature_support_fields()
        self.filtered(lambda p: p.code in ("wechatpay", "alipay")).update({"support_refund": "partial"})
        return res

    # === CONSTRAINT METHODS === #

    @api.constrains("available_currency_ids", "state", "code")
    def _check_gateway_currencies(self):
        for provider in self.filtered(lambda p: p.code in ("wechatpay", "alipay")):
            currencies = provider.available_currency_ids.mapped("name")
            if provider.state != "disabled" and any(
                name not in const.SUPPORTED_CURRENCIES for name in currencies
            ):
                raise ValidationError(
                    self.env._("%(provider)s only supports payments in CNY.", provider=provider.name)
                )

    @api.constrains("gateway_query_delay")
    def _check_gateway_query_delay(self):
        if any(provider.gateway_query_delay < 1 for provider in self):
            raise ValidationError(self.env._("The order query delay must be at least one minute."))

    # === BUSINESS METHODS === #

    def _get_default_payment_method_codes(self):
        """Override of `payment` to return the default payment method codes."""
        default_codes = super()._get_default_payment_method_codes()
        if self.code not in const.DEFAULT_PAYMENT_METHOD_CODES:
            return default_codes
        return const.DEFAULT_PAYMENT_METHOD_CODES[self.code]

    def _should_build_inline_form(self, is_validation=False):
        """Override of `payment`: both gateways are redirection flows."""
        if self.code in ("wechatpay", "alipay"):
            return False
        return super()._should_build_inline_form(is_validation=is_validation)

    def _gateway_notify_url(self):
        """Return the absolute webhook URL of this provider (its id is part of the path, so the
        webhook knows which credentials verify the signature before reading any data)."""
        self.ensure_one()
        return urls.url_join(self.get_base_url(), f"/payment/{self.code}/notify/{self.id}")

    def _wechatpay_get_client(self, pay_type=None):
        """Return a `wechatpayv3.WeChatPay` client for this provider.

        The client verifies signatures with the WeChat Pay public key (the key new merchants get),
        so it never downloads platform certificates.
        """
        self.ensure_one()
        from wechatpayv3 import WeChatPay, WeChatPayType

        provider_sudo = self.sudo()
        return WeChatPay(
            wechatpay_type=pay_type or WeChatPayType.NATIVE,
            mchid=provider_sudo.wechatpay_mch_id,
            private_key=provider_sudo.wechatpay_private_key,
            cert_serial_no=provider_sudo.wechatpay_cert_serial_no,
            appid=provider_sudo.wechatpay_appid,
            apiv3_key=provider_sudo.wechatpay_apiv3_key,
            notify_url=provider_sudo._gateway_notify_url(),
            logger=_logger,
            timeout=const.WECHATPAY_TIMEOUT,
            public_key=provider_sudo.wechatpay_public_key,
            public_key_id=provider_sudo.wechatpay_public_key_id,
        )

    def _alipay_get_client(self):
        """Return a `python-alipay-sdk` client; the test state uses Alipay's sandbox gateway."""
        self.ensure_one()
        from alipay import AliPay
        from alipay.utils import AliPayConfig

        provider_sudo = self.sudo()
        return AliPay(
            appid=provider_sudo.alipay_app_id,
            app_notify_url=provider_sudo._gateway_notify_url(),
            app_private_key_string=provider_sudo.alipay_app_private_key,
            alipay_public_key_string=provider_sudo.alipay_public_key,
            sign_type="RSA2",
            debug=provider_sudo.state == "test",
            config=AliPayConfig(timeout=const.ALIPAY_TIMEOUT),
        )
