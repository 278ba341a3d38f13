import base64
import io
import json
import logging
import time
from datetime import datetime

import pytz
from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.payment import utils as payment_utils

from .. import const
from ..services import unionpay
from ..services.unionpay import UnionPayError

_logger = logging.getLogger(__name__)

WECHATPAY_HEADERS = (
    "Wechatpay-Signature",
    "Wechatpay-Timestamp",
    "Wechatpay-Nonce",
    "Wechatpay-Serial",
    "Wechatpay-Signature-Type",
)


class PropertyPaymentController(http.Controller):
    # === WEBHOOKS === #
    # The provider's id is part of the URL: the webhook knows which credentials verify the
    # signature, and the only database read before verification is that provider's keys.

    @http.route(
        "/payment/wechatpay/notify/<int:provider_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def wechatpay_notify(self, provider_id, **_kwargs):
        """Receive a WeChat Pay API v3 notification (payment or refund).

        Replies 204 when the notification is processed or was already processed, and 4xx with
        ``{"code": "FAIL"}`` otherwise (WeChat Pay then retries).
        """
        body = request.httprequest.get_data(as_text=True)
        headers = {name: request.httprequest.headers.get(name, "") for name in WECHATPAY_HEADERS}
        provider_sudo = self._get_provider_keys(provider_id, "wechatpay")
        if not provider_sudo:
            return self._wechatpay_reply(404, "unknown provider")
        data = self._wechatpay_verify(provider_sudo, headers, body)
        if data is None:
            return self._wechatpay_reply(401, "signature verification failed")

        # Verified: from here on the data come from WeChat Pay.
        resource = data.get("resource") or {}
        event_type = data.get("event_type") or ""
        try:
            with request.env.cr.savepoint():
                notification = (
                    request.env["property.payment.notification"]
                    .sudo()
                    ._register_event(
                        provider_sudo,
                        data.get("id") or "",
                        event_type,
                        resource.get("out_refund_no") or resource.get("out_trade_no"),
                    )
                )
                if notification and event_type.startswith(("TRANSACTION.", "REFUND.")):
                    notification.transaction_id = self._process(provider_sudo, resource)
                elif not notification:
                    _logger.info("WeChat Pay: notification %s already processed", data.get("id"))
        except ValidationError as error:
            _logger.warning("WeChat Pay: unable to process notification %s: %s", data.get("id"), error)
            return self._wechatpay_reply(400, str(error))
        return request.make_response("", status=204)

    @http.route(
        "/payment/alipay/notify/<int:provider_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def alipay_notify(self, provider_id, **_kwargs):
        """Receive an Alipay asynchronous notification; reply exactly ``success`` or ``fail``."""
        data = request.httprequest.form.to_dict()
        provider_sudo = self._get_provider_keys(provider_id, "alipay")
        if not provider_sudo:
            return self._alipay_reply(const.ALIPAY_REPLY_FAIL)
        signature = data.pop("sign", None)
        if not signature or not self._alipay_verify(provider_sudo, data, signature):
            _logger.warning("Alipay: rejected a notification with an invalid signature")
            return self._alipay_reply(const.ALIPAY_REPLY_FAIL)
        if data.get("app_id") != provider_sudo.alipay_app_id:
            _logger.warning("Alipay: rejected a notification for app %s", data.get("app_id"))
            return self._alipay_reply(const.ALIPAY_REPLY_FAIL)
        if not self._alipay_is_fresh(data.get("notify_time")):
            _logger.warning("Alipay: rejected a stale notification (%s)", data.get("notify_time"))
            return self._alipay_reply(const.ALIPAY_REPLY_FAIL)

        # Verified: from here on the data come from Alipay.
        data.pop("sign_type", None)
        try:
            with request.env.cr.savepoint():
                notification = (
                    request.env["property.payment.notification"]
                    .sudo()
                    ._register_event(
                        provider_sudo,
                        data.get("notify_id") or "",
                        data.get("trade_status") or data.get("notify_type"),
                        data.get("out_trade_no"),
                    )
                )
                if notification:
                    notification.transaction_id = self._process(provider_sudo, data)
                else:
                    _logger.info("Alipay: notification %s already processed", data.get("notify_id"))
        except ValidationError as error:
            _logger.warning("Alipay: unable to process notification: %s", error)
            return self._alipay_reply(const.ALIPAY_REPLY_FAIL)
        return self._alipay_reply(const.ALIPAY_REPLY_SUCCESS)

    @http.route(
        "/payment/unionpay/notify/<int:provider_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        max_content_length=unionpay.MAX_MESSAGE_BYTES,  # werkzeug refuses a bigger body unread
    )
    def unionpay_notify(self, provider_id, **_kwargs):
        """Receive a UnionPay (ACP 5.1.0) back notification of a payment or a refund.

        Replies ``ok`` (HTTP 200) when the notice is processed or was already processed;
        anything else is refused with HTTP 4xx (UnionPay retries a few times, then stops).
        """
        if (request.httprequest.content_length or 0) > unionpay.MAX_MESSAGE_BYTES:
            _logger.warning("UnionPay: refused an oversized notification")
            return self._unionpay_reply(413, "fail")
        data = request.httprequest.form.to_dict()
        provider_sudo = self._get_provider_keys(provider_id, "unionpay")
        if not provider_sudo:
            return self._unionpay_reply(404, "fail")
        try:
            provider_sudo._unionpay_verify(data)
        except UnionPayError as error:
            _logger.warning("UnionPay: rejected a notification: %s", error)
            return self._unionpay_reply(401, "fail")
        if data.get("merId") != provider_sudo.unionpay_mer_id:
            _logger.warning("UnionPay: rejected a notification for merchant %s", data.get("merId"))
            return self._unionpay_reply(400, "fail")
        if not self._unionpay_is_fresh(data.get("txnTime")):
            _logger.warning("UnionPay: rejected a stale notification (txnTime %s)", data.get("txnTime"))
            return self._unionpay_reply(400, "fail")

        # Verified: from here on the data come from UnionPay.
        event_id = ":".join(
            (data.get("queryId") or "", data.get("txnType") or "", data.get("respCode") or "")
        )
        try:
            with request.env.cr.savepoint():
                notification = (
                    request.env["property.payment.notification"]
                    .sudo()
                    ._register_event(provider_sudo, event_id, data.get("txnType"), data.get("orderId"))
                )
                if notification:
                    notification.transaction_id = self._process(provider_sudo, data)
                else:
                    _logger.info("UnionPay: notification %s already processed", event_id)
        except ValidationError as error:
            _logger.warning("UnionPay: unable to process notification: %s", error)
            return self._unionpay_reply(400, "fail")
        return self._unionpay_reply(200, const.UNIONPAY_REPLY_OK)

    @http.route(
        "/payment/unionpay/return",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
    )
    def unionpay_return(self, **_kwargs):
        """UnionPay's front notification (the payer's browser posts it back): nothing in it is
        trusted; the payer goes to the status page, which follows the back notification."""
        return request.redirect("/payment/status")

    # === PAYER PAGES === #

    @http.route(
        "/payment/wechatpay/qrcode", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def wechatpay_qrcode(self, reference=None, access_token=None, **_kwargs):
        """Show the QR code of a WeChat Pay Native order (desktop browsers)."""
        tx_sudo = self._get_tx_from_access_token(reference, access_token)
        if not tx_sudo.wechatpay_code_url:
            raise NotFound()
        return request.render(
            "property_payment.wechatpay_qrcode_page",
            {"tx": tx_sudo, "qr_image": self._qr_data_uri(tx_sudo.wechatpay_code_url)},
        )

    @http.route(
        "/payment/wechatpay/jsapi", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def wechatpay_jsapi(self, reference=None, access_token=None, **kwargs):
        """Open WeChat's payment sheet (JSAPI) with the signed parameters of the order."""
        tx_sudo = self._get_tx_from_access_token(reference, access_token)
        keys = ("appId", "timeStamp", "nonceStr", "package", "signType", "paySign")
        parameters = {key: kwargs.get(key, "") for key in keys}
        return request.render(
            "property_payment.wechatpay_jsapi_page",
            {"tx": tx_sudo, "jsapi_parameters": json.dumps(parameters)},
        )

    # === HELPERS === #

    @staticmethod
    def _get_provider_keys(provider_id, code):
        """Return the provider whose keys verify the signature (sudo: the keys are restricted
        to administrators), or an empty recordset."""
        provider_sudo = request.env["payment.provider"].sudo().browse(provider_id).exists()
        if provider_sudo.code != code or provider_sudo.state == "disabled":
            return request.env["payment.provider"]
        return provider_sudo

    @staticmethod
    def _wechatpay_verify(provider_sudo, headers, body):
        """Return the decrypted notification, or None if it is not authentic or not fresh."""
        if headers["Wechatpay-Serial"] != provider_sudo.wechatpay_public_key_id:
            # Never let the library download platform certificates for an unknown serial.
            _logger.warning(
                "WeChat Pay: notification signed with unknown key %s", headers["Wechatpay-Serial"]
            )
            return None
        try:
            timestamp = int(headers["Wechatpay-Timestamp"])
        except ValueError:
            timestamp = 0
        if abs(time.time() - timestamp) > const.WECHATPAY_MAX_NOTIFICATION_AGE:
            _logger.warning("WeChat Pay: rejected a stale notification (timestamp %s)", timestamp)
            return None
        try:
            data = provider_sudo._wechatpay_get_client().callback(headers, body)
        except Exception as error:  # the library raises bare Exceptions
            _logger.warning("WeChat Pay: unreadable notification: %s", error)
            return None
        if data is None:
            _logger.warning("WeChat Pay: rejected a notification with an invalid signature")
        return data

    @staticmethod
    def _alipay_verify(provider_sudo, data, signature):
        try:
            return provider_sudo._alipay_get_client().verify(dict(data), signature)
        except Exception as error:  # bad base64, unknown sign type
            _logger.warning("Alipay: unverifiable notification: %s", error)
            return False

    @staticmethod
    def _alipay_is_fresh(notify_time):
        """Whether Alipay's `notify_time` (Beijing time) is within Alipay's retry window."""
        try:
            sent = datetime.strptime(notify_time or "", "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return False
        sent = pytz.timezone(const.ALIPAY_TIMEZONE).localize(sent).timestamp()
        return abs(time.time() - sent) <= const.ALIPAY_MAX_NOTIFICATION_AGE

    @staticmethod
    def _unionpay_is_fresh(txn_time):
        """Whether a notice's `txnTime` (China time) is within the order-query window."""
        try:
            sent = datetime.strptime(txn_time or "", "%Y%m%d%H%M%S")
        except ValueError:
            return False
        age = time.time() - pytz.timezone(const.UNIONPAY_TIMEZONE).localize(sent).timestamp()
        return -const.UNIONPAY_MAX_CLOCK_SKEW <= age <= const.UNIONPAY_MAX_NOTIFICATION_AGE

    @staticmethod
    def _process(provider_sudo, data):
        """Find and update the transaction of a verified notification; return it."""
        tx_sudo = (
            request.env["payment.transaction"].sudo()._get_tx_from_notification_data(provider_sudo.code, data)
        )
        if tx_sudo.provider_id != provider_sudo:
            raise ValidationError(
                request.env._("The transaction %s belongs to another provider.", tx_sudo.reference)
            )
        tx_sudo._process_notification_data(data)
        return tx_sudo

    @staticmethod
    def _get_tx_from_access_token(reference, access_token):
        if not reference or not payment_utils.check_access_token(access_token, reference):
            raise Forbidden()
        tx_sudo = (
            request.env["payment.transaction"]
            .sudo()
            .search([("reference", "=", reference), ("provider_code", "=", "wechatpay")], limit=1)
        )
        if not tx_sudo:
            raise NotFound()
        return tx_sudo

    @staticmethod
    def _qr_data_uri(value):
        import qrcode

        image = qrcode.make(value, box_size=8, border=2)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()

    @staticmethod
    def _wechatpay_reply(status, message):
        return request.make_json_response({"code": "FAIL", "message": message}, status=status)

    @staticmethod
    def _unionpay_reply(status, body):
        return request.make_response(
            body, headers=[("Content-Type", "text/plain; charset=utf-8")], status=status
        )

    @staticmethod
    def _alipay_reply(body):
        return request.make_response(body, headers=[("Content-Type", "text/plain; charset=utf-8")])
