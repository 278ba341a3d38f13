"""UnionPay online payment (银联在线支付 / 全渠道, ACP API version 5.1.0), written with `cryptography`.

UnionPay publishes SDKs for Java, PHP and .NET only; no maintained Python SDK exists. This module
is the few pieces of the SDK the suite needs, with no Odoo in it:

* signing a request (``signMethod=01``): the parameters except ``signature``, sorted by name,
  joined as ``key=value&…``; the lowercase hex SHA-256 digest of that string is signed with
  SHA256withRSA (PKCS#1 v1.5) by the merchant's signing key; ``certId`` is the serial number of
  the merchant's signing certificate, in decimal;
* verifying UnionPay's messages (back notifications and synchronous answers): the signing
  certificate travels in ``signPubKeyCert``. It is trusted only when (ACP 5.1.0, the SDKs'
  ``verifyCertificate``)

  1. it is valid now (not before / not after),
  2. it is directly issued by the configured UnionPay middle certificate, which is a CA directly
     issued by the configured root certificate, itself self-signed; all three valid now,
  3. its subject CN, split on ``@``, has ``中国银联股份有限公司`` as its third part (UnionPay's CN
     form ``<type>@<org code>@中国银联股份有限公司@<n>``). The SDKs accept ``00040000:SIGN``
     there only when CN checking is off, for the test environment: we accept it only for a
     provider in test mode;
  4. if it has a key usage extension, the extension allows digital signatures;

  then the signature is checked over the digest of the sorted parameters (``signPubKeyCert``
  included, ``signature`` excluded);
* posting to the back-end gateway and parsing its ``key=value&…`` answer (values are not
  URL-encoded; a value may be a ``{…}`` group containing ``&``).
"""

import base64
import hashlib
from datetime import UTC, datetime

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

VERSION = "5.1.0"
ENCODING = "UTF-8"
SIGN_METHOD_RSA = "01"
CURRENCY_CNY = "156"
UNIONPAY_CN_NAME = "中国银联股份有限公司"
TEST_CN_NAME = "00040000:SIGN"

GATEWAYS = {
    "enabled": "https://gateway.95516.com/gateway/api/",
    "test": "https://gateway.test.95516.com/gateway/api/",
}
FRONT_TRANS = "frontTransReq.do"
BACK_TRANS = "backTransReq.do"
QUERY_TRANS = "queryTrans.do"

# Longest message we read from UnionPay (a notice is about 3 KB with its certificate).
MAX_MESSAGE_BYTES = 32 * 1024
TIMEOUT = (5, 20)  # connect, read (seconds)


class UnionPayError(Exception):
    """A message or a credential UnionPay's rules do not accept."""


# === Credentials === #


def load_pfx(pfx_data, password):
    """Return (private key, certificate) from the merchant's signing certificate (.pfx)."""
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(pfx_data, (password or "").encode() or None)
    except (ValueError, TypeError) as error:
        raise UnionPayError(f"unreadable PFX or wrong password: {error}") from error
    if key is None or cert is None:
        raise UnionPayError("the PFX holds no private key or no certificate")
    return _check_pair(key, cert)


def load_pem_pair(key_pem, cert_pem, password=None):
    """Return (private key, certificate) from a PEM private key and its PEM certificate."""
    try:
        key = serialization.load_pem_private_key(
            key_pem.encode() if isinstance(key_pem, str) else key_pem,
            (password or "").encode() or None,
        )
    except (ValueError, TypeError) as error:
        raise UnionPayError(f"unreadable private key: {error}") from error
    return _check_pair(key, load_certificate(cert_pem))


def _check_pair(key, cert):
    if not isinstance(key, rsa.RSAPrivateKey):
        raise UnionPayError("the signing key must be an RSA key")
    if key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise UnionPayError("the private key does not belong to the certificate")
    return key, cert


def load_certificate(pem):
    try:
        return x509.load_pem_x509_certificate(pem.encode() if isinstance(pem, str) else pem)
    except (ValueError, TypeError) as error:
        raise UnionPayError(f"unreadable certificate: {error}") from error


def cert_id(cert):
    """The certId of a signing certificate: its serial number in decimal."""
    return str(cert.serial_number)


# === Signing and verification === #


def signing_digest(params):
    """Hex SHA-256 of the sorted ``key=value&…`` string, ``signature`` excluded (ACP 5.1.0)."""
    text = "&".join(f"{key}={params[key]}" for key in sorted(params) if key != "signature")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sign(params, key, cert):
    """Return a copy of ``params`` with version, encoding, signMethod, certId and signature."""
    signed = {
        key_: str(value) for key_, value in params.items() if value not in (None, "") and key_ != "signature"
    }
    signed.update(version=VERSION, encoding=ENCODING, signMethod=SIGN_METHOD_RSA, certId=cert_id(cert))
    signature = key.sign(signing_digest(signed).encode(), padding.PKCS1v15(), hashes.SHA256())
    signed["signature"] = base64.b64encode(signature).decode()
    return signed


def _cn_identity(cert):
    """The third ``@``-separated part of the subject CN (the SDKs' getIdentitiesFromCertficate)."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if len(names) != 1:
        return None
    parts = names[0].value.split("@")
    return parts[2] if len(parts) > 2 else None


def _check_validity(cert, now, what):
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise UnionPayError(f"the {what} certificate is expired or not yet valid")


def verify_certificate(cert_pem, root_pem, middle_pem, allow_test_cn=False, now=None):
    """Return UnionPay's signing certificate if it passes the ACP 5.1.0 checks (module doc)."""
    now = now or datetime.now(UTC)
    cert = load_certificate(cert_pem)
    root = load_certificate(root_pem)
    middle = load_certificate(middle_pem)
    _check_validity(cert, now, "signing")
    _check_validity(middle, now, "middle")
    _check_validity(root, now, "root")
    try:
        root.verify_directly_issued_by(root)
        middle.verify_directly_issued_by(root)
        cert.verify_directly_issued_by(middle)
    except (ValueError, TypeError, InvalidSignature) as error:
        raise UnionPayError("the signing certificate does not chain to the UnionPay root") from error
    try:
        is_ca = middle.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca:
        raise UnionPayError("the middle certificate is not a certificate authority")
    identity = _cn_identity(cert)
    if identity != UNIONPAY_CN_NAME and not (allow_test_cn and identity == TEST_CN_NAME):
        raise UnionPayError(f"the signing certificate does not belong to UnionPay (CN part {identity!r})")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not usage.digital_signature:
        raise UnionPayError("the signing certificate is not meant for signatures")
    return cert


def verify(params, root_pem, middle_pem, allow_test_cn=False, now=None):
    """Verify a message of UnionPay (notice or answer); raise UnionPayError if not authentic."""
    if params.get("signMethod") != SIGN_METHOD_RSA or params.get("version") != VERSION:
        raise UnionPayError("unsupported version or sign method")
    if not params.get("signPubKeyCert") or not params.get("signature"):
        raise UnionPayError("unsigned message")
    cert = verify_certificate(params["signPubKeyCert"], root_pem, middle_pem, allow_test_cn, now)
    try:
        signature = base64.b64decode(params["signature"], validate=True)
        cert.public_key().verify(
            signature, signing_digest(params).encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except (ValueError, TypeError, InvalidSignature) as error:
        raise UnionPayError("invalid signature") from error
    return params


# === Transport === #


def parse_answer(text):
    """Parse UnionPay's ``key=value&…`` answer; ``{…}`` groups may contain ``&`` and ``=``."""
    result, depth, start = {}, 0, 0
    fields = []
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == "&" and depth == 0:
            fields.append(text[start:index])
            start = index + 1
    fields.append(text[start:])
    for field in fields:
        if "=" in field:
            key, value = field.split("=", 1)
            result[key] = value
    return result


def post(url, params, timeout=TIMEOUT):
    """POST signed parameters to a back-end gateway URL and return the parsed answer."""
    response = requests.post(
        url,
        data=params,
        headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
        timeout=timeout,
    )
    if response.status_code != 200:
        raise UnionPayError(f"HTTP {response.status_code}")
    if len(response.content) > MAX_MESSAGE_BYTES:
        raise UnionPayError("answer too large")
    return parse_answer(response.content.decode("utf-8"))
