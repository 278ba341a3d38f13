import base64
import logging

import requests
from werkzeug import urls

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import const
from ..services import unionpay
from ..services.unionpay import UnionPayError

_logger = logging.getLogger(__name__)


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("wechatpay", "WeChat Pay"), ("alipay", "Alipay"), ("unionpay", "UnionPay")],
        ondelete={"wechatpay": "set default", "alipay": "set default", "unionpay": "set default"},
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

    # === UnionPay (ACP 5.1.0) credentials === #
    unionpay_mer_id = fields.Char(
        string="UnionPay Merchant ID",
        help="The 15-digit merchant number (商户号, merId) of the UnionPay online payment account.",
        required_if_provider="unionpay",
        copy=False,
    )
    unionpay_sign_cert_pfx = fields.Binary(
        string="UnionPay Signing Certificate (PFX)",
        help="The merchant's signing certificate with its private key (.pfx), downloaded from "
        "UnionPay's merchant service platform. Alternatively, give the PEM key and certificate.",
        groups="base.group_system",
        attachment=False,
        copy=False,
    )
    unionpay_sign_cert_password = fields.Char(
        string="UnionPay Certificate Password",
        help="The password of the PFX file (or of the encrypted PEM private key).",
        groups="base.group_system",
        copy=False,
    )
    unionpay_sign_key_pem = fields.Text(
        string="UnionPay Signing Private Key (PEM)",
        help="The merchant's signing private key in PEM, used when no PFX file is given.",
        groups="base.group_system",
        copy=False,
    )
    unionpay_sign_cert_pem = fields.Text(
        string="UnionPay Signing Certificate (PEM)",
        help="The merchant's signing certificate in PEM, used with the PEM private key.",
        copy=False,
    )
    unionpay_root_cert = fields.Text(
        string="UnionPay Root Certificate",
        help="UnionPay's root certificate (acp_prod_root.cer, or acp_test_root.cer in test mode), "
        "in PEM. UnionPay's signatures are accepted only from a certificate chaining to it.",
        required_if_provider="unionpay",
        copy=False,
    )
    unionpay_middle_cert = fields.Text(
        string="UnionPay Middle Certificate",
        help="UnionPay's middle certificate (acp_prod_middle.cer, or acp_test_middle.cer in "
        "test mode), in PEM.",
        required_if_provider="unionpay",
        copy=False,
    )
    unionpay_cert_id = fields.Char(
        string="UnionPay Certificate ID",
        help="The certId sent with every request: the serial number of the signing certificate.",
        compute="_compute_unionpay_cert_id",
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
        self.filtered(lambda p: p.code in ("wechatpay", "alipay", "unionpay")).update(
            {"support_refund": "partial"}
        )
        return res

    @api.depends("code", "unionpay_sign_cert_pfx", "unionpay_sign_key_pem", "unionpay_sign_cert_pem")
    @api.depends_context("uid")
    def _compute_unionpay_cert_id(self):
        for provider in self:
            provider.unionpay_cert_id = False
            if provider.code != "unionpay":
                continue
            try:
                _key, cert = provider._unionpay_signing_credentials()
            except (UnionPayError, ValidationError):
                continue
            provider.unionpay_cert_id = unionpay.cert_id(cert)

    # === CONSTRAINT METHODS === #

    @api.constrains("available_currency_ids", "state", "code")
    def _check_gateway_currencies(self):
        for provider in self.filtered(lambda p: p.code in ("wechatpay", "alipay", "unionpay")):
            currencies = provider.available_currency_ids.mapped("name")
            if provider.state != "disabled" and any(
                name not in const.SUPPORTED_CURRENCIES for name in currencies
            ):
                raise ValidationError(
                    self.env._("%(provider)s only supports payments in CNY.", provider=provider.name)
                )

    @api.constrains(
        "code",
        "state",
        "unionpay_sign_cert_pfx",
        "unionpay_sign_cert_password",
        "unionpay_sign_key_pem",
        "unionpay_sign_cert_pem",
        "unionpay_root_cert",
        "unionpay_middle_cert",
    )
    def _check_unionpay_credentials(self):
        """Refuse credentials that cannot sign or verify, with the reason, when they are saved."""
        for provider in self.filtered(lambda p: p.code == "unionpay"):
            provider_sudo = provider.sudo()
            if provider_sudo.unionpay_sign_cert_pfx or provider_sudo.unionpay_sign_key_pem:
                provider._unionpay_signing_credentials()
            elif provider.state != "disabled":
                raise ValidationError(
                    self.env._("UnionPay: give the signing certificate (PFX) or the PEM private key.")
                )
            for field_name in ("unionpay_root_cert", "unionpay_middle_cert"):
                if provider_sudo[field_name]:
                    try:
                        unionpay.load_certificate(provider_sudo[field_name])
                    except UnionPayError as error:
                        raise ValidationError(
                            self.env._(
                                "UnionPay: the %s is not a PEM certificate.",
                                provider._fields[field_name]._description_string(self.env),
                            )
                        ) from error

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
        if self.code in ("wechatpay", "alipay", "unionpay"):
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

    # === UnionPay === #

    def _unionpay_signing_credentials(self):
        """Return (private key, certificate) of the merchant's signing certificate.

        :raise ValidationError: if they are missing or unreadable (wrong password, key and
            certificate that do not match).
        """
        self.ensure_one()
        # bin_size off: the web client reads with bin_size, which would give "2.65 Kb" here
        provider_sudo = self.sudo().with_context(bin_size=False)
        try:
            if provider_sudo.unionpay_sign_cert_pfx:
                return unionpay.load_pfx(
                    base64.b64decode(provider_sudo.unionpay_sign_cert_pfx),
                    provider_sudo.unionpay_sign_cert_password,
                )
            if provider_sudo.unionpay_sign_key_pem and provider_sudo.unionpay_sign_cert_pem:
                return unionpay.load_pem_pair(
                    provider_sudo.unionpay_sign_key_pem,
                    provider_sudo.unionpay_sign_cert_pem,
                    provider_sudo.unionpay_sign_cert_password,
                )
        except UnionPayError as error:
            _logger.info("UnionPay: signing certificate of provider %s refused: %s", self.id, error)
            raise ValidationError(
                self.env._(
                    "UnionPay: the signing certificate cannot be used: the file is unreadable, the "
                    "password is wrong, or the private key does not belong to the certificate."
                )
            ) from error
        raise ValidationError(
            self.env._(
                "UnionPay: give the signing certificate (PFX), or the PEM private key with its "
                "PEM certificate."
            )
        )

    def _unionpay_gateway_url(self, endpoint):
        """The gateway URL of an endpoint: the test environment for a provider in test mode."""
        self.ensure_one()
        return unionpay.GATEWAYS["enabled" if self.state == "enabled" else "test"] + endpoint

    def _unionpay_sign(self, params):
        """Sign request parameters with the merchant's certificate (adds merId and certId)."""
        self.ensure_one()
        key, cert = self._unionpay_signing_credentials()
        return unionpay.sign(dict(params, merId=self.sudo().unionpay_mer_id), key, cert)

    def _unionpay_verify(self, params):
        """Verify a message of UnionPay against the configured root and middle certificates.

        :raise UnionPayError: if it is not authentic.
        """
        self.ensure_one()
        provider_sudo = self.sudo()
        if not provider_sudo.unionpay_root_cert or not provider_sudo.unionpay_middle_cert:
            raise UnionPayError("no UnionPay root or middle certificate configured")
        return unionpay.verify(
            params,
            provider_sudo.unionpay_root_cert,
            provider_sudo.unionpay_middle_cert,
            allow_test_cn=provider_sudo.state == "test",
        )

    def _unionpay_request(self, endpoint, params):
        """Sign, post to a back-end endpoint, verify the answer and return it.

        :raise ValidationError: if the gateway cannot be reached or its answer is not authentic.
        """
        self.ensure_one()
        signed = self._unionpay_sign(params)
        try:
            answer = unionpay.post(self._unionpay_gateway_url(endpoint), signed)
        except (requests.exceptions.RequestException, UnionPayError) as error:
            raise ValidationError(
                self.env._("UnionPay: the gateway could not be reached (%s).", error)
            ) from error
        if not answer.get("signature"):
            # Refused before processing (e.g. a format error): UnionPay does not sign these.
            raise ValidationError(
                self.env._(
                    "UnionPay: the gateway refused the request (%(code)s %(message)s).",
                    code=answer.get("respCode", ""),
                    message=answer.get("respMsg", ""),
                )
            )
        try:
            self._unionpay_verify(answer)
        except UnionPayError as error:
            _logger.warning("UnionPay: rejected an answer of %s: %s", endpoint, error)
            raise ValidationError(
                self.env._("UnionPay: the gateway's answer is not authentic (%s).", error)
            ) from error
        if answer.get("merId") != self.sudo().unionpay_mer_id:
            raise ValidationError(self.env._("UnionPay: the answer is for another merchant."))
        return answer
