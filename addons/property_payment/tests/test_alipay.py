from urllib.parse import parse_qs, urlsplit

from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.payment.tests.http_common import PaymentHttpCommon

from .common import ALIPAY_APP_ID, PropertyPaymentCommon

CONTROLLER_LOGGER = "odoo.addons.property_payment.controllers.main"


@tagged("post_install", "-at_install")
class TestAlipay(PropertyPaymentCommon, PaymentHttpCommon):
    def _post(self, data):
        url = self._build_url(f"/payment/alipay/notify/{self.alipay.id}")
        return self.opener.post(url, data=data)

    # === Valid and duplicate notifications === #

    def test_valid_notification_confirms_once(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0001")
        notification = self._alipay_notification(tx)
        response = self._post(notification)
        self.assertEqual(response.text, "success")
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.provider_reference, notification["trade_no"])
        tx._post_process()
        self.assertEqual(len(self._payments_of(tx)), 1)

        # Alipay retries the same notification, then sends TRADE_FINISHED when the trade ends.
        self.assertEqual(self._post(notification).text, "success")
        finished = self._alipay_notification(tx, trade_status="TRADE_FINISHED")
        self.assertEqual(self._post(finished).text, "success")
        tx._post_process()
        self.assertEqual(tx.state, "done")
        self.assertEqual(len(self._payments_of(tx)), 1, "never credited twice")
        self.assertEqual(len(tx.gateway_notification_ids), 2)

    # === Rejected notifications === #

    @mute_logger(CONTROLLER_LOGGER)
    def test_forged_signature_is_rejected(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0002")
        response = self._post(self._alipay_notification(tx, signing_key=self.forger_key))
        self.assertEqual(response.text, "fail")
        self.assertEqual(tx.state, "draft")
        self.assertFalse(tx.gateway_notification_ids)

    @mute_logger(CONTROLLER_LOGGER)
    def test_tampered_amount_is_rejected(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0003")
        notification = self._alipay_notification(tx)
        notification["total_amount"] = "1.00"
        self.assertEqual(self._post(notification).text, "fail")
        self.assertEqual(tx.state, "draft")

    @mute_logger(CONTROLLER_LOGGER)
    def test_stale_notification_is_rejected(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0007")
        response = self._post(self._alipay_notification(tx, notify_time="2024-11-01 10:00:00"))
        self.assertEqual(response.text, "fail")
        self.assertEqual(tx.state, "draft")
        self.assertFalse(tx.gateway_notification_ids)

    @mute_logger(CONTROLLER_LOGGER)
    def test_missing_signature_is_rejected(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0004")
        notification = self._alipay_notification(tx)
        del notification["sign"]
        self.assertEqual(self._post(notification).text, "fail")
        self.assertEqual(tx.state, "draft")

    @mute_logger(CONTROLLER_LOGGER)
    def test_other_app_is_rejected(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0005")
        response = self._post(self._alipay_notification(tx, app_id="2021000999999999"))
        self.assertEqual(response.text, "fail")
        self.assertEqual(tx.state, "draft")

    @mute_logger(CONTROLLER_LOGGER)
    def test_unknown_order_is_refused(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0006")
        response = self._post(self._alipay_notification(tx, out_trade_no="PB-ALI-UNKNOWN"))
        self.assertEqual(response.text, "fail")
        self.assertFalse(
            self.env["property.payment.notification"].search([("reference", "=", "PB-ALI-UNKNOWN")])
        )

    # === Wrong amounts: never done === #

    def test_wrong_amount_sets_error(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0010")
        response = self._post(self._alipay_notification(tx, total_amount="128.00"))
        self.assertEqual(response.text, "success", "processed: Alipay must stop retrying")
        self.assertEqual(tx.state, "error")
        self.assertIn("128.00", tx.state_message)
        self.assertIn("128.50", tx.state_message)
        tx._post_process()
        self.assertFalse(self._payments_of(tx))

    def test_amount_is_compared_as_exact_decimal_string(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0011", amount=0.1 + 0.2)
        self._post(self._alipay_notification(tx, total_amount="0.30"))
        self.assertEqual(tx.state, "done")

    # === Out of order === #

    def test_closed_after_success_does_not_regress(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0020")
        self._post(self._alipay_notification(tx))
        self._post(self._alipay_notification(tx, trade_status="TRADE_CLOSED"))
        self._post(self._alipay_notification(tx, trade_status="WAIT_BUYER_PAY"))
        self.assertEqual(tx.state, "done")
        tx._post_process()
        self.assertEqual(len(self._payments_of(tx)), 1)

    def test_success_after_manual_cancel_is_not_credited(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0021")
        tx._set_canceled()
        self.assertEqual(self._post(self._alipay_notification(tx)).text, "success")
        self.assertEqual(tx.state, "cancel")
        self.assertTrue(tx.gateway_review_message)
        tx._post_process()
        self.assertFalse(self._payments_of(tx))

    def test_closed_before_payment_cancels(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0022")
        self._post(self._alipay_notification(tx, trade_status="TRADE_CLOSED"))
        self.assertEqual(tx.state, "cancel")

    # === Order query cron === #

    @freeze_time("2024-11-20 02:30:00")
    def test_cron_settles_transaction_without_notification(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0030", state="pending")
        self._age(tx, 30)
        answer = self._alipay_answer(
            "alipay_trade_query_response",
            {
                "code": "10000",
                "msg": "Success",
                "trade_no": "2024112022001400000030",
                "out_trade_no": tx.reference,
                "trade_status": "TRADE_SUCCESS",
                "total_amount": "128.50",
                "buyer_pay_amount": "128.50",
            },
        )
        with self._patch_alipay_http(answer) as urlopen:
            self.env["payment.transaction"]._cron_gateway_query_pending()
        query = parse_qs(urlsplit(urlopen.call_args.args[0]).query)
        self.assertEqual(query["method"], ["alipay.trade.query"])
        self.assertEqual(query["app_id"], [ALIPAY_APP_ID])
        self.assertEqual(urlopen.call_args.kwargs["timeout"], 20)
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.provider_reference, "2024112022001400000030")

    @freeze_time("2024-11-20 02:30:00")
    def test_cron_leaves_unknown_order_pending(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0031", state="pending")
        self._age(tx, 30)
        answer = self._alipay_answer(
            "alipay_trade_query_response",
            {
                "code": "40004",
                "msg": "Business Failed",
                "sub_code": "ACQ.TRADE_NOT_EXIST",
                "sub_msg": "交易不存在",
                "out_trade_no": tx.reference,
            },
        )
        with self._patch_alipay_http(answer):
            self.env["payment.transaction"]._cron_gateway_query_pending()
        self.assertEqual(tx.state, "pending")

    # === Refunds === #

    def test_partial_refund(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0040")
        self._post(self._alipay_notification(tx))
        answer = self._alipay_answer(
            "alipay_trade_refund_response",
            {
                "code": "10000",
                "msg": "Success",
                "trade_no": "2024112022001400000040",
                "out_trade_no": tx.reference,
                "refund_fee": "30.00",
                "fund_change": "Y",
            },
        )
        with self._patch_alipay_http(answer) as urlopen:
            tx.action_refund(amount_to_refund=30.0)
        refund_tx = tx.child_transaction_ids
        self.assertEqual(refund_tx.state, "done")
        self.assertAlmostEqual(refund_tx.amount, -30.0)
        query = parse_qs(urlsplit(urlopen.call_args.args[0]).query)
        self.assertEqual(query["method"], ["alipay.trade.refund"])
        self.assertIn('"refund_amount":"30.00"', query["biz_content"][0])
        self.assertIn(f'"out_request_no":"{refund_tx.reference}"', query["biz_content"][0])
        refund_tx._post_process()
        self.assertEqual(self._payments_of(refund_tx).payment_type, "outbound")

        # Alipay's refund notification (TRADE_SUCCESS with refund fields) changes nothing.
        refund_notification = self._alipay_notification(
            tx, refund_fee="30.00", gmt_refund="2024-11-20 12:00:00", out_biz_no=refund_tx.reference
        )
        self.assertEqual(self._post(refund_notification).text, "success")
        self.assertEqual(tx.state, "done")
        self.assertEqual(refund_tx.state, "done")

    def test_refused_refund_sets_error(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0041")
        self._post(self._alipay_notification(tx))
        answer = self._alipay_answer(
            "alipay_trade_refund_response",
            {
                "code": "40004",
                "msg": "Business Failed",
                "sub_code": "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
                "sub_msg": "退款金额超限",
            },
        )
        with self._patch_alipay_http(answer):
            refund_tx = tx._send_refund_request(amount_to_refund=500.0)
        self.assertEqual(refund_tx.state, "error")
        self.assertIn("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", refund_tx.state_message)

    # === Rendering === #

    def test_page_pay_redirects_to_gateway(self):
        tx = self._create_gateway_tx(self.alipay, "PB-ALI-0050")
        processing_values = tx._get_processing_values()
        form = self._extract_values_from_html_form(processing_values["redirect_form_html"])
        self.assertEqual(form["action"], "https://openapi-sandbox.dl.alipaydev.com/gateway.do")
        self.assertEqual(form["inputs"]["method"], "alipay.trade.page.pay")
        self.assertIn('"total_amount":"128.50"', form["inputs"]["biz_content"])
        self.assertIn('"out_trade_no":"PB-ALI-0050"', form["inputs"]["biz_content"])
        self.assertTrue(form["inputs"]["notify_url"].endswith(f"/payment/alipay/notify/{self.alipay.id}"))
        self.assertTrue(form["inputs"]["sign"])
        self.assertEqual(tx.gateway_channel, "page")
