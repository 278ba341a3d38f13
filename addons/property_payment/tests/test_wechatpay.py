import base64
import json
import time
from unittest.mock import patch

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.payment.tests.http_common import PaymentHttpCommon

from .common import WECHATPAY_MCH_ID, PropertyPaymentCommon

CONTROLLER_LOGGER = "odoo.addons.property_payment.controllers.main"


@tagged("post_install", "-at_install")
class TestWeChatPay(PropertyPaymentCommon, PaymentHttpCommon):
    def _post(self, headers, body):
        url = self._build_url(f"/payment/wechatpay/notify/{self.wechatpay.id}")
        return self.opener.post(url, data=body.encode(), headers=headers)

    def _notify(self, resource, **kwargs):
        return self._post(*self._wechatpay_notification(resource, **kwargs))

    # === Valid and duplicate notifications === #

    def test_valid_notification_confirms_once(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0001")
        resource = self._wechatpay_resource(tx)
        headers, body = self._wechatpay_notification(resource, event_id="EV-1")

        response = self._post(headers, body)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.provider_reference, resource["transaction_id"])
        self.assertEqual(tx.gateway_notification_ids.event_id, "EV-1")
        tx._post_process()
        payment = self._payments_of(tx)
        self.assertEqual(len(payment), 1)
        self.assertAlmostEqual(payment.amount, 128.50)
        self.assertIn(payment.state, ("in_process", "paid"))

        # The very same delivery again, then a redelivery under a new event id.
        self.assertEqual(self._post(headers, body).status_code, 204)
        self.assertEqual(self._notify(resource, event_id="EV-2").status_code, 204)
        tx._post_process()
        self.assertEqual(tx.state, "done")
        self.assertEqual(len(self._payments_of(tx)), 1, "never credited twice")
        self.assertEqual(
            self.env["property.payment.notification"].search_count(
                [("provider_id", "=", self.wechatpay.id), ("event_id", "in", ["EV-1", "EV-2"])]
            ),
            2,
        )

    # === Rejected notifications: nothing changes === #

    @mute_logger(CONTROLLER_LOGGER)
    def test_forged_signature_is_rejected(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0002")
        headers, body = self._wechatpay_notification(
            self._wechatpay_resource(tx), signing_key=self.forger_key
        )
        response = self._post(headers, body)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["code"], "FAIL")
        self.assertEqual(tx.state, "draft")
        self.assertFalse(tx.gateway_notification_ids)

    @mute_logger(CONTROLLER_LOGGER)
    def test_tampered_body_is_rejected(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0003")
        headers, body = self._wechatpay_notification(self._wechatpay_resource(tx))
        tampered = json.loads(body)
        tampered["event_type"] = "TRANSACTION.SUCCESS "
        response = self._post(headers, json.dumps(tampered, ensure_ascii=False))
        self.assertEqual(response.status_code, 401)
        self.assertEqual(tx.state, "draft")

    @mute_logger(CONTROLLER_LOGGER)
    def test_unknown_key_serial_is_rejected_without_network(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0004")
        headers, body = self._wechatpay_notification(
            self._wechatpay_resource(tx), serial="5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
        )
        with self._patch_wechatpay_http() as fake_requests:
            response = self._post(headers, body)
        self.assertEqual(response.status_code, 401)
        fake_requests.get.assert_not_called()  # no platform certificate download
        self.assertEqual(tx.state, "draft")

    @mute_logger(CONTROLLER_LOGGER)
    def test_stale_timestamp_is_rejected(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0005")
        headers, body = self._wechatpay_notification(
            self._wechatpay_resource(tx), timestamp=int(time.time()) - 600
        )
        self.assertEqual(self._post(headers, body).status_code, 401)
        self.assertEqual(tx.state, "draft")
        self.assertFalse(tx.gateway_notification_ids)

    @mute_logger(CONTROLLER_LOGGER)
    def test_other_merchant_is_rejected(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0006")
        resource = self._wechatpay_resource(tx, mchid="1900000999")
        response = self._notify(resource)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(tx.state, "draft")
        self.assertFalse(tx.gateway_notification_ids, "a refused notification can be retried")

    @mute_logger(CONTROLLER_LOGGER)
    def test_unknown_provider_is_rejected(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0007")
        headers, body = self._wechatpay_notification(self._wechatpay_resource(tx))
        url = self._build_url(f"/payment/wechatpay/notify/{self.alipay.id}")
        response = self.opener.post(url, data=body.encode(), headers=headers)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(tx.state, "draft")

    # === Wrong amounts: never done === #

    def test_wrong_amount_sets_error(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0010")
        response = self._notify(self._wechatpay_resource(tx, total=self._fen(tx) - 1))
        self.assertEqual(response.status_code, 204)
        self.assertEqual(tx.state, "error")
        self.assertIn("12849", tx.state_message)
        self.assertIn("not credited", tx.state_message)
        tx._post_process()
        self.assertFalse(self._payments_of(tx))

    def test_wrong_currency_sets_error(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0011")
        self._notify(self._wechatpay_resource(tx, currency="USD"))
        self.assertEqual(tx.state, "error")

    def test_wrong_amount_after_done_is_flagged_not_applied(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0012")
        self._notify(self._wechatpay_resource(tx))
        self._notify(self._wechatpay_resource(tx, total=1))
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.gateway_review_message)

    # === Out of order === #

    def test_closed_after_success_does_not_regress(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0020")
        self._notify(self._wechatpay_resource(tx))
        tx._handle_notification_data("wechatpay", self._wechatpay_resource(tx, trade_state="CLOSED"))
        tx._handle_notification_data("wechatpay", self._wechatpay_resource(tx, trade_state="NOTPAY"))
        self.assertEqual(tx.state, "done")

    def test_pending_then_success(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0021")
        tx._handle_notification_data("wechatpay", self._wechatpay_resource(tx, trade_state="USERPAYING"))
        self.assertEqual(tx.state, "pending")
        self._notify(self._wechatpay_resource(tx))
        self.assertEqual(tx.state, "done")

    def test_success_after_manual_cancel_is_not_credited(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0022")
        tx._set_canceled()
        self.assertEqual(self._notify(self._wechatpay_resource(tx)).status_code, 204)
        self.assertEqual(tx.state, "cancel")
        self.assertIn("cancelled in Odoo", tx.gateway_review_message)
        tx._post_process()
        self.assertFalse(self._payments_of(tx))

    # === Order query cron === #

    @freeze_time("2024-11-20 02:30:00")
    def test_cron_settles_transaction_without_notification(self):
        old_tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0030", state="pending")
        young_tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0031", state="pending")
        self._age(old_tx, 30)
        self._age(young_tx, 2)
        self.wechatpay.gateway_query_delay = 10
        with self._patch_wechatpay_http(self._wechatpay_answer(self._wechatpay_resource(old_tx))) as fake:
            self.env["payment.transaction"]._cron_gateway_query_pending()
        self.assertEqual(fake.get.call_count, 1, "only the old transaction is queried")
        url = fake.get.call_args.kwargs["url"]
        self.assertIn("/v3/pay/transactions/out-trade-no/PB-WX-0030", url)
        self.assertIn(f"mchid={WECHATPAY_MCH_ID}", url)
        self.assertEqual(old_tx.state, "done")
        self.assertEqual(young_tx.state, "pending")

        # Running again finds nothing left to do for the settled one.
        with self._patch_wechatpay_http() as fake:
            self.env["payment.transaction"]._cron_gateway_query_pending()
        fake.get.assert_not_called()

    @freeze_time("2024-11-20 02:30:00")
    def test_cron_leaves_unknown_and_unpaid_orders_pending(self):
        unknown = self._create_gateway_tx(self.wechatpay, "PB-WX-0032", state="pending")
        unpaid = self._create_gateway_tx(self.wechatpay, "PB-WX-0033", state="pending")
        self._age(unknown, 30)
        self._age(unpaid, 20)
        not_found = self._wechatpay_answer(
            {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}, status_code=404
        )
        notpay = self._wechatpay_answer(self._wechatpay_resource(unpaid, trade_state="NOTPAY"))
        with self._patch_wechatpay_http(not_found, notpay):
            self.env["payment.transaction"]._cron_gateway_query_pending()
        self.assertEqual(unknown.state, "pending")
        self.assertEqual(unpaid.state, "pending")

    @freeze_time("2024-11-20 02:30:00")
    def test_cron_rejects_wrong_amount_from_query(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0034", state="pending")
        self._age(tx, 30)
        answer = self._wechatpay_answer(self._wechatpay_resource(tx, total=100))
        with self._patch_wechatpay_http(answer):
            self.env["payment.transaction"]._cron_gateway_query_pending()
        self.assertEqual(tx.state, "error")

    @freeze_time("2024-11-20 02:30:00")
    @mute_logger("odoo.addons.property_payment.models.payment_transaction")
    def test_cron_ignores_forged_answer_and_goes_on(self):
        forged_tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0035", state="pending")
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0036", state="pending")
        self._age(forged_tx, 40)
        self._age(tx, 30)
        forged = self._wechatpay_answer(self._wechatpay_resource(forged_tx))
        forged.headers.update(self._wechatpay_signed_headers(forged.text, signing_key=self.forger_key))
        valid = self._wechatpay_answer(self._wechatpay_resource(tx))
        with self._patch_wechatpay_http(forged, valid):
            self.env["payment.transaction"]._cron_gateway_query_pending()
        self.assertEqual(forged_tx.state, "pending", "an unsigned answer never credits")
        self.assertEqual(tx.state, "done")

    # === Refunds === #

    def test_partial_refund(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0040")
        self._notify(self._wechatpay_resource(tx))
        tx._post_process()
        self.assertEqual(self.wechatpay.support_refund, "partial")

        processing = {
            "refund_id": "50300908092022112015397400000",
            "out_refund_no": f"R-{tx.reference}",
            "status": "PROCESSING",
            "amount": {"total": 12850, "refund": 3000, "currency": "CNY"},
        }
        with self._patch_wechatpay_http(self._wechatpay_answer(processing)) as fake:
            tx.action_refund(amount_to_refund=30.0)
        refund_tx = tx.child_transaction_ids
        self.assertEqual(refund_tx.operation, "refund")
        self.assertAlmostEqual(refund_tx.amount, -30.0)
        self.assertEqual(refund_tx.state, "pending")
        sent = fake.post.call_args.kwargs
        self.assertTrue(sent["url"].endswith("/v3/refund/domestic/refunds"))
        self.assertEqual(sent["json"]["amount"], {"refund": 3000, "total": 12850, "currency": "CNY"})
        self.assertEqual(sent["json"]["out_trade_no"], tx.reference)
        self.assertEqual(sent["json"]["out_refund_no"], refund_tx.reference)

        # WeChat Pay then notifies the refund, twice.
        resource = self._wechatpay_refund_resource(refund_tx)
        for _attempt in range(2):
            response = self._notify(resource, event_type="REFUND.SUCCESS", event_id="EV-R1")
            self.assertEqual(response.status_code, 204)
        self.assertEqual(refund_tx.state, "done")
        self.assertEqual(tx.state, "done")
        refund_tx._post_process()
        refund_payment = self._payments_of(refund_tx)
        self.assertEqual(len(refund_payment), 1)
        self.assertEqual(refund_payment.payment_type, "outbound")
        self.assertAlmostEqual(refund_payment.amount, 30.0)

    def test_refund_with_wrong_amount_is_not_done(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0041")
        self._notify(self._wechatpay_resource(tx))
        processing = {"out_refund_no": f"R-{tx.reference}", "status": "PROCESSING"}
        with self._patch_wechatpay_http(self._wechatpay_answer(processing)):
            refund_tx = tx._send_refund_request(amount_to_refund=10.0)
        self._notify(self._wechatpay_refund_resource(refund_tx, refund=5000), event_type="REFUND.SUCCESS")
        self.assertEqual(refund_tx.state, "error")

    # === Rendering === #

    def test_native_order_renders_qr_code(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0050")
        answer = self._wechatpay_answer({"code_url": "weixin://wxpay/bizpayurl?pr=abcdefg"})
        with self._patch_wechatpay_http(answer) as fake:
            processing_values = tx._get_processing_values()
        sent = fake.post.call_args.kwargs
        self.assertTrue(sent["url"].endswith("/v3/pay/transactions/native"))
        self.assertEqual(sent["json"]["amount"], {"total": 12850, "currency": "CNY"})
        self.assertEqual(sent["json"]["mchid"], WECHATPAY_MCH_ID)
        self.assertTrue(sent["json"]["notify_url"].endswith(f"/payment/wechatpay/notify/{self.wechatpay.id}"))
        self.assertEqual(tx.gateway_channel, "native")
        form = self._extract_values_from_html_form(processing_values["redirect_form_html"])
        self.assertEqual(form["action"], "/payment/wechatpay/qrcode")

        response = self._make_http_get_request(self._build_url(form["action"]), form["inputs"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("data:image/png;base64,", response.text)

        forged = dict(form["inputs"], access_token="forged")
        response = self._make_http_get_request(self._build_url(form["action"]), forged)
        self.assertEqual(response.status_code, 403)

    def test_portal_checkout_goes_through_payment_engine(self):
        """The resident's checkout (/payment/transaction) creates the order at WeChat Pay."""
        self.provider = self.wechatpay
        self.assertIn("wechat_pay", self.wechatpay.payment_method_ids.mapped("code"))
        values = self._prepare_transaction_values(self.payment_method_id, None, "redirect")
        values.update(tokenization_requested=False, reference_prefix="PB-PORTAL")
        answer = self._wechatpay_answer({"code_url": "weixin://wxpay/bizpayurl?pr=portal"})
        with self._patch_wechatpay_http(answer):
            processing_values = self._get_processing_values(**values)
        tx = self._get_tx(processing_values["reference"])
        self.assertEqual(tx.provider_id, self.wechatpay)
        self.assertEqual(tx.wechatpay_code_url, "weixin://wxpay/bizpayurl?pr=portal")
        form = self._extract_values_from_html_form(processing_values["redirect_form_html"])
        self.assertEqual(form["action"], "/payment/wechatpay/qrcode")

        # The payer scans and pays: the notification settles the very same transaction.
        self.assertEqual(self._notify(self._wechatpay_resource(tx)).status_code, 204)
        self.assertEqual(tx.state, "done")

    def test_jsapi_order_inside_wechat(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0052")
        Transaction = type(self.env["payment.transaction"])
        answer = self._wechatpay_answer({"prepay_id": "wx201410272009395522657a690389285100"})
        with (
            self._patch_wechatpay_http(answer) as fake,
            patch.object(Transaction, "_gateway_detect_device", return_value="wechat"),
            patch.object(Transaction, "_wechatpay_get_payer_openid", return_value="oUpF8uMuAJO"),
        ):
            processing_values = tx._get_processing_values()
        sent = fake.post.call_args.kwargs
        self.assertTrue(sent["url"].endswith("/v3/pay/transactions/jsapi"))
        self.assertEqual(sent["json"]["payer"], {"openid": "oUpF8uMuAJO"})
        form = self._extract_values_from_html_form(processing_values["redirect_form_html"])
        self.assertEqual(form["action"], "/payment/wechatpay/jsapi")
        inputs = form["inputs"]
        self.assertEqual(inputs["package"], "prepay_id=wx201410272009395522657a690389285100")
        # paySign is the merchant's signature of appId, timeStamp, nonceStr and package.
        message = "".join(f"{inputs[key]}\n" for key in ("appId", "timeStamp", "nonceStr", "package"))
        self.merchant_key.public_key().verify(
            base64.b64decode(inputs["paySign"]), message.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        response = self._make_http_get_request(self._build_url(form["action"]), inputs)
        self.assertEqual(response.status_code, 200)
        self.assertIn("getBrandWCPayRequest", response.text)

    def test_unbound_payer_inside_wechat_gets_qr_code(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0053")
        answer = self._wechatpay_answer({"code_url": "weixin://wxpay/bizpayurl?pr=xyz"})
        with (
            self._patch_wechatpay_http(answer),
            patch.object(
                type(self.env["payment.transaction"]), "_gateway_detect_device", return_value="wechat"
            ),
        ):
            tx._get_processing_values()
        self.assertEqual(tx.gateway_channel, "native")

    def test_h5_order_redirects_to_wechat(self):
        tx = self._create_gateway_tx(self.wechatpay, "PB-WX-0051")
        h5_url = "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx2016&package=1037687096"
        with (
            self._patch_wechatpay_http(self._wechatpay_answer({"h5_url": h5_url})) as fake,
            patch.object(
                type(self.env["payment.transaction"]), "_gateway_detect_device", return_value="mobile"
            ),
        ):
            processing_values = tx._get_processing_values()
        self.assertTrue(fake.post.call_args.kwargs["url"].endswith("/v3/pay/transactions/h5"))
        form = self._extract_values_from_html_form(processing_values["redirect_form_html"])
        self.assertEqual(form["action"], "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb")
        self.assertEqual(form["inputs"]["prepay_id"], "wx2016")
        self.assertTrue(form["inputs"]["redirect_url"].endswith("/payment/status"))
        self.assertEqual(tx.gateway_channel, "h5")
