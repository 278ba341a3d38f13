import json
import logging
import re
import time
import uuid
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import pytz
from werkzeug import urls

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import SQL, float_repr
from odoo.tools import hmac as hmac_tool

from odoo.addons.payment import utils as payment_utils

from .. import const
from ..services import unionpay

_logger = logging.getLogger(__name__)

GATEWAY_CODES = ("wechatpay", "alipay", "unionpay")


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    wechatpay_code_url = fields.Char(
        string="WeChat Pay Code URL",
        help="The code_url of a WeChat Pay Native order, shown to the payer as a QR code.",
        readonly=True,
        copy=False,
    )
    unionpay_order_id = fields.Char(
        string="UnionPay Order ID",
        help="The orderId sent to UnionPay (8 to 32 letters and digits, unique).",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    unionpay_txn_time = fields.Char(
        string="UnionPay Order Time",
        help="The txnTime sent to UnionPay (China time, YYYYMMDDhhmmss); UnionPay identifies an "
        "order by its orderId and txnTime.",
        readonly=True,
        copy=False,
    )
    gateway_channel = fields.Selection(
        selection=[
            ("native", "QR code (Native)"),
            ("h5", "Mobile browser (H5)"),
            ("jsapi", "Inside WeChat (JSAPI)"),
            ("page", "Desktop page"),
            ("wap", "Mobile page (WAP)"),
        ],
        readonly=True,
        copy=False,
    )
    gateway_review_message = fields.Char(
        string="Needs Review",
        help="Set when the gateway reported something the transaction could not accept "
        "automatically (e.g. a payment after a cancellation, an amount mismatch on a confirmed "
        "transaction). The transaction state was left unchanged.",
        readonly=True,
        copy=False,
    )
    gateway_notification_ids = fields.One2many(
        string="Gateway Notifications",
        comodel_name="property.payment.notification",
        inverse_name="transaction_id",
        readonly=True,
    )

    # === RENDERING === #

    def _get_specific_rendering_values(self, processing_values):
        """Override of `payment` to create the order at the gateway and return the values of the
        redirect form (``api_url``, ``form_method``, ``form_inputs``).

        Note: self.ensure_one() from `_get_processing_values`.
        """
        res = super()._get_specific_rendering_values(processing_values)
        if self.provider_code == "wechatpay":
            return self._wechatpay_get_rendering_values()
        if self.provider_code == "alipay":
            return self._alipay_get_rendering_values()
        if self.provider_code == "unionpay":
            return self._unionpay_get_rendering_values()
        return res

    @api.model
    def _gateway_detect_device(self):
        """Return 'wechat' (WeChat's in-app browser), 'mobile' or 'desktop' from the request."""
        user_agent = request.httprequest.user_agent.string if request else ""
        if "MicroMessenger" in user_agent:
            return "wechat"
        if any(token in user_agent for token in ("Mobile", "Android", "iPhone", "iPad")):
            return "mobile"
        return "desktop"

    def _gateway_get_description(self):
        self.ensure_one()
        description = f"{self.company_id.name} {self.reference}"
        return description[: const.WECHATPAY_DESCRIPTION_MAX]

    def _gateway_get_return_url(self):
        return urls.url_join(self.provider_id.get_base_url(), "/payment/status")

    @api.model
    def _gateway_form_values(self, url, method="get"):
        """Split a signed gateway URL into a form action and hidden inputs.

        A GET form replaces the query string of its action, so the parameters become inputs.
        """
        parts = urlsplit(url)
        return {
            "api_url": urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
            "form_method": method,
            "form_inputs": parse_qsl(parts.query, keep_blank_values=True),
        }

    def _gateway_local_form_values(self, route, **extra):
        """Form values sending the payer to one of our own pages (QR code, JSAPI bridge)."""
        self.ensure_one()
        inputs = [
            ("reference", self.reference),
            ("access_token", hmac_tool(self.env(su=True), "generate_access_token", self.reference)),
        ]
        inputs += list(extra.items())
        return {"api_url": route, "form_method": "get", "form_inputs": inputs}

    def _wechatpay_get_rendering_values(self):
        from wechatpayv3 import WeChatPayType

        self.ensure_one()
        client = self.provider_id._wechatpay_get_client()
        order = {
            "description": self._gateway_get_description(),
            "out_trade_no": self.reference,
            "amount": {
                "total": payment_utils.to_minor_currency_units(self.amount, self.currency_id),
                "currency": self.currency_id.name,
            },
        }
        device = self._gateway_detect_device()
        if device == "wechat":
            openid = self._wechatpay_get_payer_openid()
            if openid:
                data = self._wechatpay_request(
                    client.pay, pay_type=WeChatPayType.JSAPI, payer={"openid": openid}, **order
                )
                self.gateway_channel = "jsapi"
                return self._gateway_local_form_values(
                    "/payment/wechatpay/jsapi",
                    **self._wechatpay_get_jsapi_parameters(client, data["prepay_id"]),
                )
            # Not bound to a WeChat user yet: fall back to the QR code, which the payer can
            # long-press to pay inside WeChat.
            device = "desktop"
        if device == "mobile":
            client_ip = request.httprequest.remote_addr if request else "127.0.0.1"
            data = self._wechatpay_request(
                client.pay,
                pay_type=WeChatPayType.H5,
                scene_info={"payer_client_ip": client_ip, "h5_info": {"type": "Wap"}},
                **order,
            )
            self.gateway_channel = "h5"
            h5_url = f"{data['h5_url']}&redirect_url={quote(self._gateway_get_return_url(), safe='')}"
            return self._gateway_form_values(h5_url, method="get")
        data = self._wechatpay_request(client.pay, pay_type=WeChatPayType.NATIVE, **order)
        self.write({"gateway_channel": "native", "wechatpay_code_url": data["code_url"]})
        return self._gateway_local_form_values("/payment/wechatpay/qrcode")

    def _wechatpay_get_payer_openid(self):
        """Return the payer's openid for a JSAPI payment inside WeChat, or False.

        TODO: residents are not bound to WeChat users yet. Once the resident portal binds them
        (wechatpy's OAuth / Mini Program `code2session`), return the bound openid here.
        """
        self.ensure_one()
        return False

    def _wechatpay_get_jsapi_parameters(self, client, prepay_id):
        """Return the signed parameters of WeixinJSBridge's getBrandWCPayRequest."""
        self.ensure_one()
        appid = self.provider_id.wechatpay_appid
        timestamp = str(int(time.time()))
        nonce = uuid.uuid4().hex
        package = f"prepay_id={prepay_id}"
        return {
            "appId": appid,
            "timeStamp": timestamp,
            "nonceStr": nonce,
            "package": package,
            "signType": "RSA",
            "paySign": client.sign([appid, timestamp, nonce, package]),
        }

    @api.model
    def _wechatpay_request(self, method, **kwargs):
        """Call a wechatpayv3 API method and return its decoded JSON answer.

        :raise ValidationError: if WeChat Pay refuses the request.
        """
        code, message = method(**kwargs)
        return self._wechatpay_parse_answer(code, message)

    @api.model
    def _wechatpay_parse_answer(self, code, message):
        """Decode a wechatpayv3 answer ``(code, message)``; raise ValidationError on refusal."""
        try:
            data = json.loads(message) if message else {}
        except (TypeError, ValueError):
            data = {}
        if not 200 <= code < 300:
            raise ValidationError(
                self.env._(
                    "WeChat Pay: The gateway refused the request (HTTP %(code)s, %(error)s: %(message)s).",
                    code=code,
                    error=data.get("code", ""),
                    message=data.get("message", message),
                )
            )
        return data

    def _alipay_get_rendering_values(self):
        self.ensure_one()
        client = self.provider_id._alipay_get_client()
        order = {
            "subject": self._gateway_get_description(),
            "out_trade_no": self.reference,
            "total_amount": float_repr(self.amount, self.currency_id.decimal_places),
            "return_url": self._gateway_get_return_url(),
        }
        if self._gateway_detect_device() == "desktop":
            self.gateway_channel = "page"
            order_string = client.api_alipay_trade_page_pay(**order)
        else:
            self.gateway_channel = "wap"
            order_string = client.api_alipay_trade_wap_pay(quit_url=self._gateway_get_return_url(), **order)
        gateway = const.ALIPAY_GATEWAY_URLS["enabled" if self.provider_id.state == "enabled" else "test"]
        return self._gateway_form_values(f"{gateway}?{order_string}", method="get")

    def _unionpay_prepare_order(self):
        """Give the transaction its UnionPay orderId and txnTime, once (a second rendering of
        the same transaction re-sends the same order)."""
        self.ensure_one()
        if not self.unionpay_order_id:
            # orderId: letters and digits only, 8 to 32 characters; the id makes it unique.
            prefix = re.sub(r"[^0-9A-Za-z]", "", self.reference)[:22]
            self.unionpay_order_id = f"{prefix}{self.id:010d}"
        if not self.unionpay_txn_time:
            now = datetime.now(pytz.timezone(const.UNIONPAY_TIMEZONE))
            self.unionpay_txn_time = now.strftime("%Y%m%d%H%M%S")

    def _unionpay_get_rendering_values(self):
        """The consume order (txnType 01), signed, auto-posted to UnionPay's front gateway."""
        self.ensure_one()
        self._unionpay_prepare_order()
        desktop = self._gateway_detect_device() == "desktop"
        self.gateway_channel = "page" if desktop else "wap"
        provider = self.provider_id
        base_url = provider.get_base_url()
        params = provider._unionpay_sign(
            {
                "txnType": "01",
                "txnSubType": "01",
                "bizType": "000201",
                "channelType": "07" if desktop else "08",
                "accessType": "0",
                "currencyCode": unionpay.CURRENCY_CNY,
                "txnAmt": payment_utils.to_minor_currency_units(self.amount, self.currency_id),
                "orderId": self.unionpay_order_id,
                "txnTime": self.unionpay_txn_time,
                "frontUrl": urls.url_join(base_url, "/payment/unionpay/return"),
                "backUrl": provider._gateway_notify_url(),
            }
        )
        return {
            "api_url": provider._unionpay_gateway_url(unionpay.FRONT_TRANS),
            "form_method": "post",
            "form_inputs": list(params.items()),
        }

    # === NOTIFICATIONS === #

    def _get_tx_from_notification_data(self, provider_code, notification_data):
        """Override of `payment` to find the transaction from the gateway's order numbers.

        WeChat Pay refunds are matched on `out_refund_no` (the refund transaction's reference).
        """
        tx = super()._get_tx_from_notification_data(provider_code, notification_data)
        if provider_code not in GATEWAY_CODES or len(tx) == 1:
            return tx
        if provider_code == "unionpay":
            return self._unionpay_get_tx(notification_data.get("orderId"))
        reference = notification_data.get("out_trade_no")
        if provider_code == "wechatpay" and notification_data.get("out_refund_no"):
            reference = notification_data["out_refund_no"]
        if not reference:
            raise ValidationError(
                self._gateway_label(provider_code) + self.env._("Received data with no order number.")
            )
        tx = self.search([("reference", "=", reference), ("provider_code", "=", provider_code)])
        if not tx:
            raise ValidationError(
                self._gateway_label(provider_code)
                + self.env._("No transaction found matching reference %s.", reference)
            )
        return tx

    @api.model
    def _unionpay_get_tx(self, order_id):
        if not order_id:
            raise ValidationError(self.env._("UnionPay: Received data with no order number."))
        tx = self.search([("unionpay_order_id", "=", order_id), ("provider_code", "=", "unionpay")])
        if len(tx) != 1:
            raise ValidationError(self.env._("UnionPay: No transaction found matching order %s.", order_id))
        return tx

    def _process_notification_data(self, notification_data):
        """Override of `payment` to process a verified WeChat Pay or Alipay notification (or an
        order-query answer, which has the same shape).

        Each transaction is locked first, so concurrent notifications and the order-query cron
        are serialised and a transaction is never confirmed twice.

        Note: self.ensure_one()
        """
        super()._process_notification_data(notification_data)
        if self.provider_code not in GATEWAY_CODES:
            return
        self._gateway_lock()
        if self.provider_code == "wechatpay":
            if self.operation == "refund":
                self._wechatpay_process_refund(notification_data)
            else:
                self._wechatpay_process_trade(notification_data)
        elif self.provider_code == "unionpay":
            self._unionpay_process(notification_data)
        else:
            self._alipay_process_trade(notification_data)

    @api.model
    def _gateway_label(self, provider_code):
        return {"wechatpay": "WeChat Pay: ", "alipay": "Alipay: ", "unionpay": "UnionPay: "}.get(
            provider_code, ""
        )

    def _gateway_lock(self):
        """Lock the transaction row until the end of the database transaction and re-read it."""
        self.ensure_one()
        self.env.cr.execute(SQL("SELECT id FROM payment_transaction WHERE id = %s FOR UPDATE", self.id))
        self.invalidate_recordset()

    def _wechatpay_process_trade(self, data):
        provider_sudo = self.provider_id.sudo()
        if (
            data.get("mchid") != provider_sudo.wechatpay_mch_id
            or data.get("appid") != provider_sudo.wechatpay_appid
        ):
            raise ValidationError(
                self.env._(
                    "WeChat Pay: The data belong to another merchant or app (mchid %(mchid)s, appid %(appid)s).",
                    mchid=data.get("mchid"),
                    appid=data.get("appid"),
                )
            )
        trade_state = data.get("trade_state")
        if trade_state in const.WECHATPAY_STATE_DONE:
            amount = data.get("amount") or {}
            expected = payment_utils.to_minor_currency_units(self.amount, self.currency_id)
            if amount.get("total") != expected or amount.get("currency") != self.currency_id.name:
                self._gateway_reject_amount(
                    self.env._(
                        "WeChat Pay reported a payment of %(received)s %(received_currency)s "
                        "(in fen) but %(expected)s %(expected_currency)s was expected; "
                        "the payment was not credited.",
                        received=amount.get("total"),
                        received_currency=amount.get("currency"),
                        expected=expected,
                        expected_currency=self.currency_id.name,
                    )
                )
                return
            self._gateway_set_done(data.get("transaction_id"))
        elif trade_state in const.WECHATPAY_STATE_PENDING:
            self._gateway_set_pending()
        elif trade_state in const.WECHATPAY_STATE_CANCEL:
            self._gateway_set_canceled(self.env._("WeChat Pay: the order was closed (%s).", trade_state))
        elif trade_state in const.WECHATPAY_STATE_ERROR:
            self._gateway_set_error("WeChat Pay: " + (data.get("trade_state_desc") or trade_state))
        elif trade_state in const.WECHATPAY_STATE_REFUND:
            # Refunds are child transactions; the payment itself stays confirmed.
            _logger.info("WeChat Pay: order %s is (partly) refunded", self.reference)
        else:
            raise ValidationError(self.env._("WeChat Pay: Unknown trade state: %s", trade_state))

    def _wechatpay_process_refund(self, data):
        """Process a refund notification or a refund API answer on a refund transaction."""
        provider_sudo = self.provider_id.sudo()
        if data.get("mchid") and data["mchid"] != provider_sudo.wechatpay_mch_id:
            raise ValidationError(
                self.env._("WeChat Pay: The data belong to another merchant (%s).", data["mchid"])
            )
        status = data.get("refund_status") or data.get("status")
        if status in const.WECHATPAY_REFUND_DONE:
            refunded = (data.get("amount") or {}).get("refund")
            expected = payment_utils.to_minor_currency_units(-self.amount, self.currency_id)
            if refunded != expected:
                self._gateway_reject_amount(
                    self.env._(
                        "WeChat Pay reported a refund of %(received)s fen but %(expected)s "
                        "fen were requested.",
                        received=refunded,
                        expected=expected,
                    )
                )
                return
            self._gateway_set_done(data.get("refund_id"))
        elif status in const.WECHATPAY_REFUND_PENDING:
            self._gateway_set_pending()
        elif status in const.WECHATPAY_REFUND_ERROR:
            self._gateway_set_error(self.env._("WeChat Pay: the refund failed (%s).", status))
        else:
            raise ValidationError(self.env._("WeChat Pay: Unknown refund status: %s", status))

    def _alipay_process_trade(self, data):
        provider_sudo = self.provider_id.sudo()
        # Order-query answers come from a signed synchronous call made with our own app id.
        if not data.get("_from_query") and data.get("app_id") != provider_sudo.alipay_app_id:
            raise ValidationError(
                self.env._("Alipay: The data belong to another app (%s).", data.get("app_id"))
            )
        if self.operation == "refund" or data.get("out_biz_no") or data.get("gmt_refund"):
            # Refund notifications: Alipay refunds are settled by the synchronous refund answer.
            _logger.info("Alipay: refund notification for %s acknowledged", self.reference)
            return
        trade_status = data.get("trade_status")
        if trade_status in const.ALIPAY_STATE_DONE:
            expected = float_repr(self.amount, self.currency_id.decimal_places)
            received = data.get("total_amount")
            if received != expected or self.currency_id.name not in const.SUPPORTED_CURRENCIES:
                self._gateway_reject_amount(
                    self.env._(
                        "Alipay reported a payment of %(received)s but %(expected)s %(currency)s "
                        "was expected; the payment was not credited.",
                        received=received,
                        expected=expected,
                        currency=self.currency_id.name,
                    )
                )
                return
            self._gateway_set_done(data.get("trade_no"))
        elif trade_status in const.ALIPAY_STATE_PENDING:
            self._gateway_set_pending()
        elif trade_status in const.ALIPAY_STATE_CANCEL:
            self._gateway_set_canceled(self.env._("Alipay: the trade was closed."))
        else:
            raise ValidationError(self.env._("Alipay: Unknown trade status: %s", trade_status))

    def _unionpay_process(self, data):
        """Process a verified UnionPay message about this transaction: a back notification of
        the consume (txnType 01) or of a refund (04), or a query answer (``_from_query``: the
        transaction's status is then in ``origRespCode``)."""
        provider_sudo = self.provider_id.sudo()
        if data.get("merId") != provider_sudo.unionpay_mer_id:
            raise ValidationError(
                self.env._("UnionPay: The data belong to another merchant (%s).", data.get("merId"))
            )
        if data.get("orderId") != self.unionpay_order_id or data.get("txnTime") != self.unionpay_txn_time:
            # UnionPay identifies an order by orderId + txnTime: anything else is another order.
            raise ValidationError(
                self.env._(
                    "UnionPay: The data are about another order (%(order)s at %(time)s).",
                    order=data.get("orderId"),
                    time=data.get("txnTime"),
                )
            )
        expected_type = "04" if self.operation == "refund" else "01"
        if not data.get("_from_query") and data.get("txnType") != expected_type:
            raise ValidationError(
                self.env._("UnionPay: Unexpected transaction type %s.", data.get("txnType"))
            )
        code = data.get("origRespCode") if data.get("_from_query") else data.get("respCode")
        message = data.get("origRespMsg") if data.get("_from_query") else data.get("respMsg")
        if code in const.UNIONPAY_CODE_DONE:
            amount = -self.amount if self.operation == "refund" else self.amount
            expected = str(payment_utils.to_minor_currency_units(amount, self.currency_id))
            received = data.get("txnAmt")
            if received != expected or data.get("currencyCode") != unionpay.CURRENCY_CNY:
                self._gateway_reject_amount(
                    self.env._(
                        "UnionPay reported %(received)s fen in currency %(currency)s but %(expected)s "
                        "fen in CNY (156) were expected; the payment was not credited.",
                        received=received,
                        currency=data.get("currencyCode"),
                        expected=expected,
                    )
                )
                return
            self._gateway_set_done(data.get("queryId"))
        elif code in const.UNIONPAY_CODE_PENDING:
            self._gateway_set_pending()
        else:
            self._gateway_set_error(
                self.env._("UnionPay: %(message)s (%(code)s)", message=message or "", code=code or "")
            )

    # === GUARDED STATE CHANGES === #
    # The gateways send notifications more than once and not always in order. These guards make
    # every state change monotonic: a confirmed transaction never goes back, a cancelled one is
    # never confirmed behind the accountant's back, and a wrong amount never confirms anything.

    def _gateway_set_done(self, provider_reference=None):
        """Confirm the transaction unless it already is or was cancelled in Odoo.

        :return: whether the transaction was confirmed now.
        """
        self.ensure_one()
        if self.state == "done":
            _logger.info("%s: %s is already confirmed; nothing to do", self.provider_code, self.reference)
            return False
        if self.state == "cancel":
            self._gateway_flag_review(
                self.env._(
                    "The gateway reports this transaction as paid (%(ref)s) but it was cancelled "
                    "in Odoo: check the statement and refund or re-open it manually.",
                    ref=provider_reference or "",
                )
            )
            return False
        if provider_reference:
            self.provider_reference = provider_reference
        return bool(self._set_done())

    def _gateway_set_pending(self):
        if self.state == "draft":
            self._set_pending()

    def _gateway_set_canceled(self, message):
        if self.state in ("draft", "pending", "authorized"):
            self._set_canceled(state_message=message)
        else:
            _logger.info(
                "%s: ignored a late '%s' for %s in state %s",
                self.provider_code,
                message,
                self.reference,
                self.state,
            )

    def _gateway_set_error(self, message):
        if self.state in ("draft", "pending", "authorized"):
            self._set_error(message)
        else:
            _logger.info(
                "%s: ignored error '%s' for %s in state %s",
                self.provider_code,
                message,
                self.reference,
                self.state,
            )

    def _gateway_reject_amount(self, message):
        """A signed notification with a wrong amount: never confirm, tell the accountant."""
        if self.state in ("draft", "pending", "authorized"):
            self._set_error(message)
        else:
            self._gateway_flag_review(message)

    def _gateway_flag_review(self, message):
        _logger.info("%s: %s needs review: %s", self.provider_code, self.reference, message)
        self.gateway_review_message = message

    # === ORDER QUERY (CRON) === #

    @api.model
    def _cron_gateway_query_pending(self):
        """Ask the gateways about pending transactions whose notification never arrived.

        Idempotent: it only reads the gateway's answer and applies the same guarded processing as
        the notifications. Each transaction is processed in its own savepoint.
        """
        now = fields.Datetime.now()
        providers = self.env["payment.provider"].search(
            [("code", "in", GATEWAY_CODES), ("state", "!=", "disabled")]
        )
        for provider in providers:
            txs = self.search(
                [
                    ("provider_id", "=", provider.id),
                    ("state", "in", ("draft", "pending")),
                    ("operation", "in", ("online_redirect", "online_direct", "refund")),
                    ("create_date", "<=", now - timedelta(minutes=provider.gateway_query_delay)),
                    ("create_date", ">=", now - timedelta(days=const.ORDER_QUERY_MAX_AGE_DAYS)),
                ],
                order="create_date, id",
                limit=const.ORDER_QUERY_BATCH_SIZE,
            )
            for tx in txs:
                try:
                    with self.env.cr.savepoint():
                        tx._gateway_query_status()
                except Exception:  # one broken order must not stop the others
                    _logger.exception("Order query failed for transaction %s", tx.reference)

    def _gateway_query_status(self):
        """Query the gateway for the state of this transaction and process the answer."""
        self.ensure_one()
        if self.provider_code == "wechatpay":
            client = self.provider_id._wechatpay_get_client()
            if self.operation == "refund":
                code, message = client.query_refund(out_refund_no=self.reference)
            else:
                code, message = client.query(out_trade_no=self.reference)
            if code == 404:
                _logger.info("WeChat Pay: order %s does not exist (yet)", self.reference)
                return
            data = self._wechatpay_parse_answer(code, message)
            self._process_notification_data(data)
        elif self.provider_code == "unionpay":
            if not self.unionpay_txn_time:
                return  # never sent to UnionPay
            answer = self.provider_id._unionpay_request(
                unionpay.QUERY_TRANS,
                {
                    "txnType": "00",
                    "txnSubType": "00",
                    "bizType": "000000",
                    "accessType": "0",
                    "orderId": self.unionpay_order_id,
                    "txnTime": self.unionpay_txn_time,
                },
            )
            code = answer.get("respCode")
            if code != "00":
                _logger.info("UnionPay: order %s not found or not settled (%s)", self.reference, code)
                return
            self._process_notification_data(dict(answer, _from_query=True))
        elif self.provider_code == "alipay" and self.operation != "refund":
            result = self.provider_id._alipay_get_client().api_alipay_trade_query(out_trade_no=self.reference)
            if result.get("code") != const.ALIPAY_CODE_SUCCESS:
                _logger.info("Alipay: order %s not settled (%s)", self.reference, result.get("sub_code"))
                return
            self._process_notification_data(dict(result, _from_query=True))

    # === REFUNDS === #

    def _send_refund_request(self, amount_to_refund=None):
        """Override of `payment` to request a refund at the gateway.

        Note: self.ensure_one()
        """
        refund_tx = super()._send_refund_request(amount_to_refund=amount_to_refund)
        if self.provider_code == "wechatpay":
            client = self.provider_id._wechatpay_get_client()
            data = self._wechatpay_request(
                client.refund,
                out_refund_no=refund_tx.reference,
                out_trade_no=self.reference,
                amount={
                    "refund": payment_utils.to_minor_currency_units(-refund_tx.amount, refund_tx.currency_id),
                    "total": payment_utils.to_minor_currency_units(self.amount, self.currency_id),
                    "currency": self.currency_id.name,
                },
                notify_url=self.provider_id._gateway_notify_url(),
            )
            refund_tx._process_notification_data(data)
        elif self.provider_code == "unionpay":
            self._unionpay_send_refund(refund_tx)
        elif self.provider_code == "alipay":
            from alipay.exceptions import AliPayException

            client = self.provider_id._alipay_get_client()
            try:
                result = client.api_alipay_trade_refund(
                    refund_amount=float_repr(-refund_tx.amount, refund_tx.currency_id.decimal_places),
                    out_trade_no=self.reference,
                    out_request_no=refund_tx.reference,
                )
            except AliPayException as error:
                refund_tx._set_error("Alipay: " + str(error))
                return refund_tx
            if result.get("code") == const.ALIPAY_CODE_SUCCESS:
                refund_tx.provider_reference = result.get("trade_no")
                refund_tx._set_done()
            else:
                refund_tx._set_error(
                    self.env._(
                        "Alipay: The refund was refused (%(code)s %(message)s).",
                        code=result.get("sub_code") or result.get("code"),
                        message=result.get("sub_msg") or result.get("msg"),
                    )
                )
        return refund_tx

    def _unionpay_send_refund(self, refund_tx):
        """Ask UnionPay to refund (txnType 04). An accepted request leaves the refund pending:
        its back notification (or the order query) confirms it."""
        self.ensure_one()
        refund_tx._unionpay_prepare_order()
        answer = self.provider_id._unionpay_request(
            unionpay.BACK_TRANS,
            {
                "txnType": "04",
                "txnSubType": "00",
                "bizType": "000201",
                "channelType": "07",
                "accessType": "0",
                "orderId": refund_tx.unionpay_order_id,
                "txnTime": refund_tx.unionpay_txn_time,
                "origQryId": self.provider_reference,
                "txnAmt": payment_utils.to_minor_currency_units(-refund_tx.amount, refund_tx.currency_id),
                "backUrl": self.provider_id._gateway_notify_url(),
            },
        )
        code = answer.get("respCode")
        if code == "00" or code in const.UNIONPAY_CODE_PENDING:
            if answer.get("queryId"):
                refund_tx.provider_reference = answer["queryId"]
            refund_tx._gateway_set_pending()
        else:
            refund_tx._set_error(
                self.env._(
                    "UnionPay: The refund was refused (%(code)s %(message)s).",
                    code=code,
                    message=answer.get("respMsg", ""),
                )
            )

    # === ACTIONS === #

    def action_gateway_query_status(self):
        """Ask the gateway for the state of this transaction now (the button of the form)."""
        self.ensure_one()
        self.check_access("read")
        if self.provider_code not in GATEWAY_CODES:
            return False
        # sudo: the state changes only from the gateway's verified answer, never from the user.
        self.sudo()._gateway_query_status()
        return True
