import base64
import hashlib
from datetime import UTC, datetime
from unittest.mock import patch
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.payment.tests.http_common import PaymentHttpCommon

from ..services import unionpay
from .common import (
    UNIONPAY_CN,
    UNIONPAY_MER_ID,
    PropertyPaymentCommon,
    certificate_pem,
    generate_rsa_key,
    make_certificate,
    private_pem,
    unionpay_sign_as_gateway,
)

CONTROLLER_LOGGER = "odoo.addons.property_payment.controllers.main"
MODEL_LOGGER = "odoo.addons.property_payment.models.payment_provider"
NOW = "2024-11-20 02:30:00"  # UTC: 10:30 in China


@tagged("post_install", "-at_install")
class TestUnionPay(PropertyPaymentCommon, PaymentHttpCommon):
    def _tx(self, reference, **values):
        tx = self._create_gateway_tx(self.unionpay, reference, **values)
        tx._unionpay_prepare_order()
        return tx

    def _post(self, data, provider=None):
        url = self._build_url(f"/payment/unionpay/notify/{(provider or self.unionpay).id}")
        return self.opener.post(url, data=data)

    def _signer(self, cn=UNIONPAY_CN, issuer=None, days=(-1000, 6000)):
        """A signing certificate of our own making: issued by the configured middle CA unless
        another (issuer_cert, issuer_key) is given."""
        pki = self.unionpay_pki
        issuer_cert, issuer_key = issuer or (pki["middle"], pki["middle_key"])
        key = generate_rsa_key()
        return key, make_certificate(cn, key, issuer_cert, issuer_key, days=days)

    # === Signing: the consume order === #

    @freeze_time(NOW)
    def test_consume_order_is_signed_and_auto_posted(self):
        tx = self._create_gateway_tx(self.unionpay, "PB-UP-0001")
        processing_values = tx._get_processing_values()
        form = self._extract_values_from_html_form(processing_values["redirect_form_html"])
        self.assertEqual(form["action"], "https://gateway.test.95516.com/gateway/api/frontTransReq.do")
        self.assertEqual(form["method"], "post")
        params = form["inputs"]
        self.assertEqual(
            {k: params[k] for k in ("version", "encoding", "signMethod", "txnType", "txnSubType")},
            {
                "version": "5.1.0",
                "encoding": "UTF-8",
                "signMethod": "01",
                "txnType": "01",
                "txnSubType": "01",
            },
        )
        self.assertEqual(params["bizType"], "000201")
        self.assertEqual(params["channelType"], "07", "a desktop browser")
        self.assertEqual(params["accessType"], "0")
        self.assertEqual(params["currencyCode"], "156")
        self.assertEqual(params["txnAmt"], "12850", "in fen")
        self.assertEqual(params["merId"], UNIONPAY_MER_ID)
        self.assertEqual(params["txnTime"], "20241120103000", "China time")
        self.assertEqual(params["orderId"], tx.unionpay_order_id)
        self.assertRegex(params["orderId"], r"^[0-9A-Za-z]{8,32}$")
        self.assertTrue(params["backUrl"].endswith(f"/payment/unionpay/notify/{self.unionpay.id}"))
        self.assertEqual(urlsplit(params["frontUrl"]).path, "/payment/unionpay/return")
        self.assertEqual(params["certId"], "68759529225", "the merchant certificate's serial, decimal")
        # The signature, checked as the spec writes it: SHA256withRSA over the hex SHA-256 of
        # the sorted key=value string.
        text = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "signature")
        digest = hashlib.sha256(text.encode()).hexdigest().encode()
        self.unionpay_pki["merchant"].public_key().verify(
            base64.b64decode(params["signature"]), digest, padding.PKCS1v15(), hashes.SHA256()
        )
        self.assertEqual(self.unionpay.unionpay_cert_id, "68759529225")

        # Rendering again sends the very same order (orderId + txnTime identify it).
        again = self._extract_values_from_html_form(tx._get_processing_values()["redirect_form_html"])
        self.assertEqual(again["inputs"]["txnTime"], "20241120103000")
        self.assertEqual(again["inputs"]["orderId"], params["orderId"])

    def test_production_gateway_and_mobile_channel(self):
        self.unionpay.state = "enabled"
        tx = self._create_gateway_tx(self.unionpay, "PB-UP-0002")
        Transaction = type(self.env["payment.transaction"])
        with patch.object(Transaction, "_gateway_detect_device", lambda self: "mobile"):
            values = tx._get_specific_rendering_values({})
        self.assertEqual(values["api_url"], "https://gateway.95516.com/gateway/api/frontTransReq.do")
        self.assertEqual(dict(values["form_inputs"])["channelType"], "08")
        self.assertEqual(tx.gateway_channel, "wap")

    def test_front_return_trusts_nothing(self):
        tx = self._tx("PB-UP-0003")
        url = self._build_url("/payment/unionpay/return")
        response = self.opener.post(url, data=self._unionpay_notice(tx), allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/payment/status"))
        self.assertEqual(tx.state, "draft")

    # === Back notification === #

    @freeze_time(NOW)
    def test_valid_notification_confirms_once(self):
        tx = self._tx("PB-UP-0010")
        notice = self._unionpay_notice(tx)
        response = self._post(notice)
        self.assertEqual((response.status_code, response.text), (200, "ok"))
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.provider_reference, notice["queryId"])
        tx._post_process()
        self.assertEqual(len(self._payments_of(tx)), 1)

        # UnionPay re-sends the same notice (or an attacker replays it): acknowledged, ignored.
        for _attempt in range(2):
            response = self._post(notice)
            self.assertEqual(response.text, "ok")
        tx._post_process()
        self.assertEqual(len(self._payments_of(tx)), 1, "never credited twice")
        self.assertEqual(len(tx.gateway_notification_ids), 1)

    @freeze_time(NOW)
    def test_a6_code_is_paid(self):
        tx = self._tx("PB-UP-0011")
        self.assertEqual(self._post(self._unionpay_notice(tx, resp_code="A6")).text, "ok")
        self.assertEqual(tx.state, "done")

    # === Attacks: nothing changes === #

    def _assert_refused(self, tx, response, status=None):
        self.assertNotEqual(response.text, "ok")
        if status:
            self.assertEqual(response.status_code, status)
        tx.invalidate_recordset()
        self.assertEqual(tx.state, "draft")
        self.assertFalse(tx.gateway_notification_ids)

    @freeze_time(NOW)
    @mute_logger(CONTROLLER_LOGGER)
    def test_forged_signature_is_refused(self):
        tx = self._tx("PB-UP-0020")
        # UnionPay's genuine certificate, but signed with another key.
        forged = self._unionpay_notice(tx, signer=(self.forger_key, self.unionpay_pki["sign"]))
        self._assert_refused(tx, self._post(forged), 401)
        # A genuine notice with one field changed after signing.
        tampered = dict(self._unionpay_notice(tx), txnAmt="1")
        self._assert_refused(tx, self._post(tampered), 401)
        # No signature at all; a signature that is not base64.
        unsigned = self._unionpay_notice(tx)
        del unsigned["signature"]
        self._assert_refused(tx, self._post(unsigned), 401)
        self._assert_refused(tx, self._post(dict(self._unionpay_notice(tx), signature="%%%")), 401)

    @freeze_time(NOW)
    @mute_logger(CONTROLLER_LOGGER)
    def test_certificate_not_chained_to_root_is_refused(self):
        tx = self._tx("PB-UP-0021")
        # A whole rogue PKI with UnionPay's CN: the chain does not reach the configured root.
        rogue_root_key = generate_rsa_key()
        rogue_root = make_certificate("CFCA TEST ROOT", rogue_root_key, is_ca=True)
        rogue_middle_key = generate_rsa_key()
        rogue_middle = make_certificate(
            "CFCA TEST OCA1", rogue_middle_key, rogue_root, rogue_root_key, is_ca=True
        )
        signer = self._signer(issuer=(rogue_middle, rogue_middle_key))
        self._assert_refused(tx, self._post(self._unionpay_notice(tx, signer=signer)), 401)
        # Self-signed with UnionPay's CN.
        key = generate_rsa_key()
        self_signed = (key, make_certificate(UNIONPAY_CN, key))
        self._assert_refused(tx, self._post(self._unionpay_notice(tx, signer=self_signed)), 401)
        # Issued by the root directly, skipping the middle certificate.
        pki = self.unionpay_pki
        signer = self._signer(issuer=(pki["root"], pki["root_key"]))
        self._assert_refused(tx, self._post(self._unionpay_notice(tx, signer=signer)), 401)
        # Issued by a non-CA end certificate of the genuine chain (the merchant's).
        signer = self._signer(issuer=(pki["merchant"], pki["merchant_key"]))
        self._assert_refused(tx, self._post(self._unionpay_notice(tx, signer=signer)), 401)

    @freeze_time(NOW)
    @mute_logger(CONTROLLER_LOGGER)
    def test_wrong_common_name_is_refused(self):
        tx = self._tx("PB-UP-0022")
        for cn in (
            "041@Z12400000000000@某某科技有限公司@00000001",  # another company of the same CA
            "中国银联股份有限公司",  # the name, but not UnionPay's CN form
            "041@Z12400000000000@中国银联股份有限公司 @00000001",
            "041@中国银联股份有限公司@Z12400000000000@00000001",
        ):
            with self.subTest(cn=cn):
                signer = self._signer(cn=cn)
                self._assert_refused(tx, self._post(self._unionpay_notice(tx, signer=signer)), 401)

    @freeze_time(NOW)
    @mute_logger(CONTROLLER_LOGGER)
    def test_test_environment_cn_only_in_test_mode(self):
        tx = self._tx("PB-UP-0023")
        signer = self._signer(cn="041@Z12400000000000@00040000:SIGN@00000001")
        self.assertEqual(self._post(self._unionpay_notice(tx, signer=signer)).text, "ok")
        self.assertEqual(tx.state, "done")

        self.unionpay.state = "enabled"
        live_tx = self._tx("PB-UP-0024")
        self._assert_refused(live_tx, self._post(self._unionpay_notice(live_tx, signer=signer)), 401)

    @freeze_time(NOW)
    @mute_logger(CONTROLLER_LOGGER)
    def test_expired_certificate_is_refused(self):
        tx = self._tx("PB-UP-0025")
        signer = self._signer(days=(-400, -1))
        self._assert_refused(tx, self._post(self._unionpay_notice(tx, signer=signer)), 401)

    @freeze_time(NOW)
    @mute_logger(CONTROLLER_LOGGER)
    def test_other_merchant_is_refused(self):
        tx = self._tx("PB-UP-0026")
        self._assert_refused(tx, self._post(self._unionpay_notice(tx, merId="898111948161234")), 400)

    @freeze_time(NOW)
    @mute_logger(CONTROLLER_LOGGER)
    def test_unknown_order_is_refused(self):
        tx = self._tx("PB-UP-0027")
        self._assert_refused(tx, self._post(self._unionpay_notice(tx, orderId="PBUPUNKNOWN0000000001")), 400)
        self.assertFalse(
            self.env["property.payment.notification"].search([("reference", "=", "PBUPUNKNOWN0000000001")])
        )

    @freeze_time(NOW)
    @mute_logger(CONTROLLER_LOGGER)
    def test_other_order_time_is_refused(self):
        """UnionPay identifies an order by orderId + txnTime: same orderId, other time = other order."""
        tx = self._tx("PB-UP-0028")
        self._assert_refused(tx, self._post(self._unionpay_notice(tx, txnTime="20241120090000")), 400)

    @mute_logger(CONTROLLER_LOGGER)
    def test_stale_and_future_notices_are_refused(self):
        with freeze_time(NOW):
            tx = self._tx("PB-UP-0029")
            notice = self._unionpay_notice(tx)
        with freeze_time("2024-11-23 02:30:00"):  # three days later
            self._assert_refused(tx, self._post(notice), 400)
        with freeze_time("2024-11-20 01:30:00"):  # an hour before the order
            self._assert_refused(tx, self._post(notice), 400)

    @freeze_time(NOW)
    @mute_logger(CONTROLLER_LOGGER)
    def test_other_provider_and_disabled_provider(self):
        tx = self._tx("PB-UP-0030")
        notice = self._unionpay_notice(tx)
        self._assert_refused(tx, self._post(notice, provider=self.alipay), 404)
        self.unionpay.state = "disabled"
        self._assert_refused(tx, self._post(notice), 404)

    @freeze_time(NOW)
    @mute_logger(CONTROLLER_LOGGER, "odoo.http")
    def test_huge_body_is_refused_unread(self):
        tx = self._tx("PB-UP-0031")
        notice = dict(self._unionpay_notice(tx), reserved="x" * (unionpay.MAX_MESSAGE_BYTES + 1))
        self._assert_refused(tx, self._post(notice), 413)

    @freeze_time(NOW)
    @mute_logger(CONTROLLER_LOGGER)
    def test_refund_notice_cannot_pay_a_payment(self):
        tx = self._tx("PB-UP-0032")
        self._assert_refused(tx, self._post(self._unionpay_notice(tx, txnType="04")), 400)

    # === Wrong amount or currency: never done === #

    @freeze_time(NOW)
    def test_wrong_amount_sets_error(self):
        tx = self._tx("PB-UP-0040")
        response = self._post(self._unionpay_notice(tx, txn_amt="12800"))
        self.assertEqual(response.text, "ok", "processed: UnionPay must stop re-sending")
        self.assertEqual(tx.state, "error")
        self.assertIn("12800", tx.state_message)
        self.assertIn("12850", tx.state_message)
        tx._post_process()
        self.assertFalse(self._payments_of(tx))

    @freeze_time(NOW)
    def test_wrong_currency_sets_error(self):
        tx = self._tx("PB-UP-0041")
        self._post(self._unionpay_notice(tx, currencyCode="840"))
        self.assertEqual(tx.state, "error")

    @freeze_time(NOW)
    def test_failure_after_success_does_not_regress(self):
        tx = self._tx("PB-UP-0042")
        self._post(self._unionpay_notice(tx))
        self._post(self._unionpay_notice(tx, resp_code="01"))
        self.assertEqual(tx.state, "done")
        tx._post_process()
        self.assertEqual(len(self._payments_of(tx)), 1)

    # === Order query === #

    def _query_answer(self, tx, resp_code="00", orig_resp_code="00", **extra):
        answer = {
            "accessType": "0",
            "bizType": "000000",
            "merId": UNIONPAY_MER_ID,
            "orderId": tx.unionpay_order_id,
            "txnTime": tx.unionpay_txn_time,
            "txnType": "00",
            "txnSubType": "00",
            "respCode": resp_code,
            "respMsg": "成功[0000000]",
        }
        if resp_code == "00":
            answer.update(
                origRespCode=orig_resp_code,
                origRespMsg="成功[0000000]",
                queryId=f"7511202410{tx.id:010d}",
                txnAmt=str(self._fen(tx)),
                currencyCode="156",
            )
        answer.update(extra)
        return self._unionpay_answer(answer)

    @freeze_time(NOW)
    def test_cron_settles_transaction_without_notification(self):
        old_tx = self._tx("PB-UP-0050", state="pending")
        young_tx = self._tx("PB-UP-0051", state="pending")
        self._age(old_tx, 30)
        self._age(young_tx, 2)
        with self._patch_unionpay_http(self._query_answer(old_tx)) as fake:
            self.env["payment.transaction"]._cron_gateway_query_pending()
        self.assertEqual(fake.call_count, 1, "only the old transaction is queried")
        self.assertEqual(fake.call_args.args[0], "https://gateway.test.95516.com/gateway/api/queryTrans.do")
        sent = fake.call_args.kwargs["data"]
        self.assertEqual((sent["txnType"], sent["txnSubType"], sent["bizType"]), ("00", "00", "000000"))
        self.assertEqual(
            (sent["orderId"], sent["txnTime"]), (old_tx.unionpay_order_id, old_tx.unionpay_txn_time)
        )
        self.assertTrue(fake.call_args.kwargs["timeout"])
        self.assertEqual(old_tx.state, "done")
        self.assertEqual(young_tx.state, "pending")
        with self._patch_unionpay_http() as fake:
            self.env["payment.transaction"]._cron_gateway_query_pending()
        fake.assert_not_called()

    @freeze_time(NOW)
    def test_query_not_found_or_processing_stays_pending(self):
        tx = self._tx("PB-UP-0052", state="pending")
        with self._patch_unionpay_http(self._query_answer(tx, resp_code="34")):
            self.assertTrue(tx.action_gateway_query_status())
        self.assertEqual(tx.state, "pending")
        with self._patch_unionpay_http(self._query_answer(tx, orig_resp_code="05")):
            tx.action_gateway_query_status()
        self.assertEqual(tx.state, "pending")
        with self._patch_unionpay_http(self._query_answer(tx, txnAmt="1")):
            tx.action_gateway_query_status()
        self.assertEqual(tx.state, "error", "a wrong amount in the answer never credits")

    @freeze_time(NOW)
    @mute_logger(MODEL_LOGGER, "odoo.addons.property_payment.models.payment_transaction")
    def test_cron_ignores_forged_answer_and_goes_on(self):
        forged_tx = self._tx("PB-UP-0053", state="pending")
        tx = self._tx("PB-UP-0054", state="pending")
        self._age(forged_tx, 40)
        self._age(tx, 30)
        forged = self._query_answer(forged_tx)
        forged.content = forged.content.replace(b"respMsg=", b"respMsg=x")
        with self._patch_unionpay_http(forged, self._query_answer(tx)):
            self.env["payment.transaction"]._cron_gateway_query_pending()
        self.assertEqual(forged_tx.state, "pending", "an unauthentic answer never credits")
        self.assertEqual(tx.state, "done")

    def test_check_status_button(self):
        tx = self._tx("PB-UP-0055", state="pending")
        view = self.env.ref("property_payment.payment_transaction_form")
        self.assertIn("action_gateway_query_status", view.arch)
        with self._patch_unionpay_http(self._query_answer(tx)):
            tx.action_gateway_query_status()
        self.assertEqual(tx.state, "done")
        untouched = self._create_gateway_tx(self.unionpay, "PB-UP-0056", state="pending")
        with self._patch_unionpay_http() as fake:
            untouched.action_gateway_query_status()
        fake.assert_not_called()  # never sent to UnionPay: nothing to ask

    # === Refunds === #

    @freeze_time(NOW)
    def test_partial_refund(self):
        tx = self._tx("PB-UP-0060")
        self._post(self._unionpay_notice(tx))
        tx._post_process()
        self.assertEqual(self.unionpay.support_refund, "partial")
        accepted = {
            "accessType": "0",
            "bizType": "000201",
            "merId": UNIONPAY_MER_ID,
            "txnType": "04",
            "txnSubType": "00",
            "respCode": "00",
            "respMsg": "成功[0000000]",
            "queryId": "751120241120103000999",
        }
        with self._patch_unionpay_http(self._unionpay_answer(accepted)) as fake:
            tx.action_refund(amount_to_refund=30.0)
        refund_tx = tx.child_transaction_ids
        self.assertEqual(refund_tx.operation, "refund")
        self.assertEqual(refund_tx.state, "pending", "accepted; the back notification settles it")
        self.assertEqual(refund_tx.provider_reference, "751120241120103000999")
        self.assertEqual(fake.call_args.args[0], "https://gateway.test.95516.com/gateway/api/backTransReq.do")
        sent = fake.call_args.kwargs["data"]
        self.assertEqual((sent["txnType"], sent["txnSubType"]), ("04", "00"))
        self.assertEqual(sent["origQryId"], tx.provider_reference)
        self.assertEqual(sent["txnAmt"], "3000")
        self.assertEqual(sent["orderId"], refund_tx.unionpay_order_id)
        self.assertNotEqual(sent["orderId"], tx.unionpay_order_id)

        notice = self._unionpay_notice(refund_tx, queryId="751120241120103000999")
        for _attempt in range(2):
            self.assertEqual(self._post(notice).text, "ok")
        self.assertEqual(refund_tx.state, "done")
        self.assertEqual(tx.state, "done")
        refund_tx._post_process()
        refund_payment = self._payments_of(refund_tx)
        self.assertEqual(len(refund_payment), 1)
        self.assertEqual(refund_payment.payment_type, "outbound")
        self.assertAlmostEqual(refund_payment.amount, 30.0)

    @freeze_time(NOW)
    def test_refund_refused_or_wrong_amount(self):
        tx = self._tx("PB-UP-0061")
        self._post(self._unionpay_notice(tx))
        refused = {"merId": UNIONPAY_MER_ID, "txnType": "04", "respCode": "12", "respMsg": "重复交易"}
        with self._patch_unionpay_http(self._unionpay_answer(refused)):
            refund_tx = tx._send_refund_request(amount_to_refund=10.0)
        self.assertEqual(refund_tx.state, "error")
        self.assertIn("12", refund_tx.state_message)

        accepted = dict(refused, respCode="00", respMsg="成功", queryId="7511")
        with self._patch_unionpay_http(self._unionpay_answer(accepted)):
            refund_tx = tx._send_refund_request(amount_to_refund=10.0)
        self._post(self._unionpay_notice(refund_tx, txn_amt="5000"))
        self.assertEqual(refund_tx.state, "error")

    @freeze_time(NOW)
    def test_unsigned_format_error_answer(self):
        tx = self._tx("PB-UP-0062")
        self._post(self._unionpay_notice(tx))
        answer = self._unionpay_answer({"respCode": "11", "respMsg": "验证签名失败"}, sign=False)
        with self._patch_unionpay_http(answer), self.assertRaises(ValidationError):
            tx._send_refund_request(amount_to_refund=10.0)

    # === Credentials === #

    def test_credentials_are_checked_on_save(self):
        with self.assertRaises(ValidationError):
            self.unionpay.unionpay_sign_cert_password = "wrong"
        pki = self.unionpay_pki
        with self.assertRaises(ValidationError):  # a key that is not the certificate's
            self.unionpay.write(
                {
                    "unionpay_sign_cert_pfx": False,
                    "unionpay_sign_key_pem": private_pem(generate_rsa_key()),
                    "unionpay_sign_cert_pem": certificate_pem(pki["merchant"]),
                    "unionpay_sign_cert_password": False,
                }
            )
        with self.assertRaises(ValidationError):
            self.unionpay.unionpay_root_cert = "-----BEGIN CERTIFICATE-----\nnot a cert\n"
        # The PEM form works as well as the PFX.
        self.unionpay.write(
            {
                "unionpay_sign_cert_pfx": False,
                "unionpay_sign_key_pem": private_pem(pki["merchant_key"]),
                "unionpay_sign_cert_pem": certificate_pem(pki["merchant"]),
                "unionpay_sign_cert_password": False,
            }
        )
        self.assertEqual(self.unionpay.unionpay_cert_id, "68759529225")

    def test_cert_id_shown_in_the_form(self):
        """The form reads binary fields with bin_size: the PFX must still be read whole."""
        provider = self.unionpay.with_context(bin_size=True)
        provider.invalidate_recordset()
        self.assertEqual(provider.web_read({"unionpay_cert_id": {}})[0]["unionpay_cert_id"], "68759529225")

    def test_secrets_are_for_administrators_only(self):
        for name in ("unionpay_sign_cert_pfx", "unionpay_sign_cert_password", "unionpay_sign_key_pem"):
            self.assertEqual(self.unionpay._fields[name].groups, "base.group_system")

    # === The service on its own === #

    def test_parse_answer_keeps_groups_and_base64(self):
        text = "a=1&reserved={x=1&y=2}&signature=ab+/c==&empty=&signPubKeyCert=-----BEGIN CERTIFICATE-----\r\nMI=="
        self.assertEqual(
            unionpay.parse_answer(text),
            {
                "a": "1",
                "reserved": "{x=1&y=2}",
                "signature": "ab+/c==",
                "empty": "",
                "signPubKeyCert": "-----BEGIN CERTIFICATE-----\r\nMI==",
            },
        )

    def test_verify_accepts_gateway_signature(self):
        pki = self.unionpay_pki
        message = {"merId": UNIONPAY_MER_ID, "respCode": "00", "orderId": "ABC12345"}
        data = unionpay_sign_as_gateway(message, pki["sign_key"], pki["sign"])
        root, middle = certificate_pem(pki["root"]), certificate_pem(pki["middle"])
        self.assertEqual(unionpay.verify(data, root, middle), data)
        later = datetime(2100, 1, 1, tzinfo=UTC)
        with self.assertRaises(unionpay.UnionPayError):
            unionpay.verify(data, root, middle, now=later)
