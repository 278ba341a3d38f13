"""Shared fixtures: providers configured with keys generated here, and helpers that build and
sign notifications and gateway answers exactly as WeChat Pay (API v3), Alipay and UnionPay
(ACP 5.1.0) do."""

import base64
import functools
import hashlib
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from unittest.mock import MagicMock, patch

import pytz
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from odoo import Command, fields
from odoo.tools import SQL

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.tests.common import PaymentCommon

WECHATPAY_MCH_ID = "1900000109"
WECHATPAY_APPID = "wxd678efh567hg6787"
WECHATPAY_APIV3_KEY = "a12d3924fd499edac8a5efc5e1f2a3b4"  # 32 bytes: AES-256
WECHATPAY_PUBLIC_KEY_ID = "PUB_KEY_ID_0119000001092024112000000000000001"
WECHATPAY_CERT_SERIAL = "444F4864EA9B34415A2E4B7B1B1A2C3D4E5F6A7B"
ALIPAY_APP_ID = "2021000123456789"
UNIONPAY_MER_ID = "777290058110048"
UNIONPAY_PFX_PASSWORD = "000000"
UNIONPAY_CN = "041@Z12400000000000@中国银联股份有限公司@00000001"


def generate_rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(key):
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def rsa2_sign(key, message):
    """SHA256withRSA (PKCS#1 v1.5), base64: the signature of both gateways."""
    return base64.b64encode(key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def make_certificate(
    subject_cn,
    key,
    issuer_cert=None,
    issuer_key=None,
    *,
    is_ca=False,
    days=(-1000, 6000),
    key_usage=True,
    serial=None,
):
    """An X.509 certificate for ``key``, issued by ``issuer_cert``/``issuer_key`` (self-signed
    when not given), valid from ``days[0]`` to ``days[1]`` days around 2024-11-20 (the date
    tests freeze; the defaults cover today too)."""
    now = datetime(2024, 11, 20, tzinfo=UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "China UnionPay"),
            x509.NameAttribute(NameOID.COMMON_NAME, subject_cn),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject if issuer_cert else subject)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(now + timedelta(days=days[0]))
        .not_valid_after(now + timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if key_usage:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=not is_ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=is_ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def certificate_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


@functools.lru_cache(maxsize=1)
def unionpay_test_pki():
    """A fake UnionPay PKI, generated once per test run: root CA → middle CA → UnionPay's
    signing certificate (UnionPay's CN), and the merchant's signing certificate in a PFX."""
    pki = {}
    pki["root_key"] = generate_rsa_key()
    pki["root"] = make_certificate("CFCA TEST ROOT", pki["root_key"], is_ca=True, days=(-2000, 7000))
    pki["middle_key"] = generate_rsa_key()
    pki["middle"] = make_certificate(
        "CFCA TEST OCA1", pki["middle_key"], pki["root"], pki["root_key"], is_ca=True, days=(-2000, 7000)
    )
    pki["sign_key"] = generate_rsa_key()
    pki["sign"] = make_certificate(UNIONPAY_CN, pki["sign_key"], pki["middle"], pki["middle_key"])
    pki["merchant_key"] = generate_rsa_key()
    pki["merchant"] = make_certificate(
        "041@Z12400000000001@测试商户@00000001",
        pki["merchant_key"],
        pki["middle"],
        pki["middle_key"],
        serial=68759529225,
    )
    pki["merchant_pfx"] = pkcs12.serialize_key_and_certificates(
        b"acp_test_sign",
        pki["merchant_key"],
        pki["merchant"],
        None,
        serialization.BestAvailableEncryption(UNIONPAY_PFX_PASSWORD.encode()),
    )
    return pki


def unionpay_test_credentials(pki=None):
    """A UnionPay provider's credentials in tests: the merchant's PFX and the fake PKI."""
    pki = pki or unionpay_test_pki()
    return {
        "unionpay_mer_id": UNIONPAY_MER_ID,
        "unionpay_sign_cert_pfx": base64.b64encode(pki["merchant_pfx"]),
        "unionpay_sign_cert_password": UNIONPAY_PFX_PASSWORD,
        "unionpay_root_cert": certificate_pem(pki["root"]),
        "unionpay_middle_cert": certificate_pem(pki["middle"]),
    }


def unionpay_sign_as_gateway(params, key, cert):
    """Sign ``params`` as UnionPay does (ACP 5.1.0, signMethod 01), written out from the spec
    independently of the module under test: signPubKeyCert is added, then the sorted
    ``key=value&…`` string is hashed (SHA-256, lowercase hex) and the hex is signed
    (SHA256withRSA)."""
    signed = dict(params, version="5.1.0", encoding="UTF-8", signMethod="01")
    signed["signPubKeyCert"] = certificate_pem(cert)
    text = "&".join(f"{k}={signed[k]}" for k in sorted(signed))
    digest = hashlib.sha256(text.encode()).hexdigest()
    signed["signature"] = base64.b64encode(
        key.sign(digest.encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    return signed


def wechatpay_test_credentials(merchant_key, platform_key):
    """A WeChat Pay provider's credentials in tests: fixed ids, keys generated by the test."""
    return {
        "wechatpay_mch_id": WECHATPAY_MCH_ID,
        "wechatpay_appid": WECHATPAY_APPID,
        "wechatpay_apiv3_key": WECHATPAY_APIV3_KEY,
        "wechatpay_private_key": private_pem(merchant_key),
        "wechatpay_cert_serial_no": WECHATPAY_CERT_SERIAL,
        "wechatpay_public_key": public_pem(platform_key),
        "wechatpay_public_key_id": WECHATPAY_PUBLIC_KEY_ID,
    }


class PropertyPaymentCommon(AccountTestInvoicingCommon, PaymentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enable_post_process_patcher = False  # we assert the account.payment records
        cls.currency = cls._prepare_currency("CNY")
        cls.amount = 128.50
        cls.partner = cls.env["res.partner"].create(
            {"name": "王小明", "email": "wang.xiaoming@example.com", "phone": "13800138000"}
        )

        # Keys: the merchant's, WeChat Pay's "platform" key, the Alipay app's and Alipay's.
        cls.merchant_key = generate_rsa_key()
        cls.wechat_platform_key = generate_rsa_key()
        cls.alipay_app_key = generate_rsa_key()
        cls.alipay_key = generate_rsa_key()
        cls.forger_key = generate_rsa_key()

        bank_journal = cls.company_data["default_journal_bank"]
        cls.wechatpay = cls._prepare_provider(
            "wechatpay",
            update_values={
                **wechatpay_test_credentials(cls.merchant_key, cls.wechat_platform_key),
                "available_currency_ids": [Command.set(cls.currency.ids)],
            },
        )
        cls.alipay = cls._prepare_provider(
            "alipay",
            update_values={
                "alipay_app_id": ALIPAY_APP_ID,
                "alipay_app_private_key": private_pem(cls.alipay_app_key),
                "alipay_public_key": public_pem(cls.alipay_key),
                "available_currency_ids": [Command.set(cls.currency.ids)],
            },
        )
        cls.unionpay_pki = unionpay_test_pki()
        cls.unionpay = cls._prepare_provider(
            "unionpay",
            update_values={
                **unionpay_test_credentials(cls.unionpay_pki),
                "available_currency_ids": [Command.set(cls.currency.ids)],
            },
        )
        (cls.wechatpay | cls.alipay | cls.unionpay).journal_id = bank_journal
        cls.provider = cls.wechatpay
        cls.payment_method_id = cls.env.ref("payment.payment_method_wechat_pay").id

    # === Transactions === #

    def _age(self, tx, minutes):
        """Backdate a transaction's creation (the cron picks transactions by age)."""
        self.env.cr.execute(
            SQL(
                "UPDATE payment_transaction SET create_date = %s WHERE id = %s",
                fields.Datetime.now() - timedelta(minutes=minutes),
                tx.id,
            )
        )
        tx.invalidate_recordset(["create_date"])

    def _create_gateway_tx(self, provider, reference, amount=None, **values):
        method = "payment.payment_method_wechat_pay"
        if provider.code == "alipay":
            method = "payment.payment_method_alipay"
        elif provider.code == "unionpay":
            method = "payment.payment_method_card"  # `unionpay` is a brand of the card method
        return self._create_transaction(
            "redirect",
            provider_id=provider.id,
            payment_method_id=self.env.ref(method).id,
            reference=reference,
            amount=amount or self.amount,
            **values,
        )

    def _payments_of(self, tx):
        return self.env["account.payment"].search([("payment_transaction_id", "=", tx.id)])

    def _fen(self, tx):
        return payment_utils.to_minor_currency_units(tx.amount, tx.currency_id)

    # === WeChat Pay === #

    def _wechatpay_resource(self, tx, trade_state="SUCCESS", total=None, currency="CNY", **extra):
        """The decrypted `transaction` resource of WeChat Pay (also the order query answer)."""
        total = self._fen(tx) if total is None else total
        resource = {
            "mchid": WECHATPAY_MCH_ID,
            "appid": WECHATPAY_APPID,
            "out_trade_no": tx.reference,
            "transaction_id": f"42000019{tx.id:012d}",
            "trade_type": "NATIVE",
            "trade_state": trade_state,
            "trade_state_desc": "支付成功" if trade_state == "SUCCESS" else trade_state,
            "bank_type": "OTHERS",
            "attach": "",
            "success_time": "2024-11-20T10:00:00+08:00",
            "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            "amount": {
                "total": total,
                "payer_total": total,
                "currency": currency,
                "payer_currency": currency,
            },
        }
        resource.update(extra)
        return resource

    def _wechatpay_refund_resource(self, refund_tx, refund_status="SUCCESS", refund=None):
        source = refund_tx.source_transaction_id
        refund = (
            payment_utils.to_minor_currency_units(-refund_tx.amount, refund_tx.currency_id)
            if refund is None
            else refund
        )
        return {
            "mchid": WECHATPAY_MCH_ID,
            "out_trade_no": source.reference,
            "transaction_id": f"42000019{source.id:012d}",
            "out_refund_no": refund_tx.reference,
            "refund_id": f"50300{refund_tx.id:012d}",
            "refund_status": refund_status,
            "success_time": "2024-11-20T12:00:00+08:00",
            "user_received_account": "招商银行信用卡0403",
            "amount": {
                "total": self._fen(source),
                "refund": refund,
                "payer_total": self._fen(source),
                "payer_refund": refund,
            },
        }

    def _wechatpay_notification(
        self,
        resource,
        *,
        event_type="TRANSACTION.SUCCESS",
        event_id=None,
        timestamp=None,
        signing_key=None,
        serial=WECHATPAY_PUBLIC_KEY_ID,
    ):
        """Encrypt the resource with the APIv3 key (AEAD_AES_256_GCM) and sign
        ``timestamp\\nnonce\\nbody\\n`` with the platform key: return (headers, body)."""
        nonce = uuid.uuid4().hex[:12]
        associated_data = "transaction" if event_type.startswith("TRANSACTION") else "refund"
        ciphertext = AESGCM(WECHATPAY_APIV3_KEY.encode()).encrypt(
            nonce.encode(),
            json.dumps(resource, ensure_ascii=False).encode(),
            associated_data.encode(),
        )
        body = json.dumps(
            {
                "id": event_id or str(uuid.uuid4()),
                "create_time": "2024-11-20T10:00:01+08:00",
                "resource_type": "encrypt-resource",
                "event_type": event_type,
                "summary": "支付成功",
                "resource": {
                    "original_type": associated_data,
                    "algorithm": "AEAD_AES_256_GCM",
                    "ciphertext": base64.b64encode(ciphertext).decode(),
                    "associated_data": associated_data,
                    "nonce": nonce,
                },
            },
            ensure_ascii=False,
        )
        return self._wechatpay_signed_headers(body, timestamp, signing_key, serial), body

    def _wechatpay_signed_headers(self, body, timestamp=None, signing_key=None, serial=None):
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        header_nonce = uuid.uuid4().hex.upper()
        signature = rsa2_sign(
            signing_key or self.wechat_platform_key, f"{timestamp}\n{header_nonce}\n{body}\n"
        )
        return {
            "Wechatpay-Signature": signature,
            "Wechatpay-Timestamp": timestamp,
            "Wechatpay-Nonce": header_nonce,
            "Wechatpay-Serial": serial or WECHATPAY_PUBLIC_KEY_ID,
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
            "Content-Type": "application/json",
        }

    def _wechatpay_answer(self, payload, status_code=200):
        """A signed answer of WeChat Pay's HTTP API, as `requests` returns it."""
        text = json.dumps(payload, ensure_ascii=False)
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if 200 <= status_code < 300:
            headers.update(self._wechatpay_signed_headers(text))
        response = MagicMock(status_code=status_code, text=text, content=text.encode())
        response.headers = headers
        return response

    def _patch_wechatpay_http(self, *answers):
        """Fake WeChat Pay's HTTP API at its edge (the `requests` module of wechatpayv3)."""
        fake_requests = MagicMock()
        fake_requests.get.side_effect = list(answers)
        fake_requests.post.side_effect = list(answers)
        return patch("wechatpayv3.core.requests", fake_requests)

    # === Alipay === #

    def _alipay_notification(
        self, tx, trade_status="TRADE_SUCCESS", total_amount=None, signing_key=None, **extra
    ):
        """Alipay's asynchronous notification (form fields), signed RSA2 over the sorted
        ``key=value`` pairs without `sign` and `sign_type`."""
        data = {
            "notify_time": datetime.now(pytz.timezone("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S"),
            "notify_type": "trade_status_sync",
            "notify_id": uuid.uuid4().hex,
            "charset": "utf-8",
            "version": "1.0",
            "app_id": ALIPAY_APP_ID,
            "trade_no": f"2024112022001{tx.id:010d}",
            "out_trade_no": tx.reference,
            "buyer_id": "2088102177846880",
            "seller_id": "2088101117955611",
            "trade_status": trade_status,
            "total_amount": total_amount or f"{tx.amount:.2f}",
            "receipt_amount": total_amount or f"{tx.amount:.2f}",
            "subject": f"物业费 {tx.reference}",
            "gmt_create": "2024-11-20 09:59:30",
            "gmt_payment": "2024-11-20 10:00:00",
        }
        data.update(extra)
        return self._alipay_sign(data, signing_key)

    def _alipay_sign(self, data, signing_key=None):
        unsigned = "&".join(
            f"{key}={value}" for key, value in sorted(data.items()) if key not in ("sign", "sign_type")
        )
        return dict(data, sign=rsa2_sign(signing_key or self.alipay_key, unsigned), sign_type="RSA2")

    def _alipay_answer(self, response_type, payload):
        """A signed synchronous answer of Alipay's gateway, as `urlopen` returns it."""
        content = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        raw = f'{{"{response_type}":{content},"sign":"{rsa2_sign(self.alipay_key, content)}"}}'
        answer = MagicMock()
        answer.read.return_value = raw.encode()
        return answer

    def _patch_alipay_http(self, *answers):
        return patch("alipay.urlopen", side_effect=list(answers))

    # === UnionPay === #

    def _unionpay_notice(self, tx, resp_code="00", txn_amt=None, signer=None, **extra):
        """UnionPay's back notification of ``tx`` (consume or refund), signed by UnionPay's
        signing certificate of the fake PKI (or by ``signer`` = (key, cert))."""
        pki = self.unionpay_pki
        refund = tx.operation == "refund"
        amount = -tx.amount if refund else tx.amount
        data = {
            "accessType": "0",
            "bizType": "000201",
            "currencyCode": "156",
            "merId": UNIONPAY_MER_ID,
            "orderId": tx.unionpay_order_id,
            "queryId": f"7511202410{tx.id:010d}",
            "respCode": resp_code,
            "respMsg": "成功[0000000]" if resp_code == "00" else "失败",
            "settleAmt": str(payment_utils.to_minor_currency_units(amount, tx.currency_id)),
            "settleCurrencyCode": "156",
            "settleDate": "1120",
            "traceNo": f"{tx.id:06d}",
            "traceTime": "1120100000",
            "txnAmt": str(payment_utils.to_minor_currency_units(amount, tx.currency_id))
            if txn_amt is None
            else txn_amt,
            "txnSubType": "00" if refund else "01",
            "txnTime": tx.unionpay_txn_time,
            "txnType": "04" if refund else "01",
        }
        if refund:
            data["origQryId"] = tx.source_transaction_id.provider_reference
        data.update(extra)
        key, cert = signer or (pki["sign_key"], pki["sign"])
        return unionpay_sign_as_gateway(data, key, cert)

    def _unionpay_answer(self, params, signer=None, sign=True):
        """A synchronous answer of UnionPay's back-end gateway, as `requests.post` returns it:
        ``key=value&…``, values not URL-encoded."""
        pki = self.unionpay_pki
        if sign:
            key, cert = signer or (pki["sign_key"], pki["sign"])
            params = unionpay_sign_as_gateway(params, key, cert)
        text = "&".join(f"{k}={v}" for k, v in params.items())
        return MagicMock(status_code=200, text=text, content=text.encode())

    def _patch_unionpay_http(self, *answers):
        """Fake UnionPay's HTTP API at its edge (`requests.post` of the UnionPay service)."""
        return patch(
            "odoo.addons.property_payment.services.unionpay.requests.post", side_effect=list(answers)
        )
