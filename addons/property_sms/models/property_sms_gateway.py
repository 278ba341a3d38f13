import hashlib
import hmac
import json
import logging
import re
import time
from datetime import UTC, datetime

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.property_base.tools.pii import mask_phone

_logger = logging.getLogger(__name__)

TENCENT_SERVICE = "sms"
TENCENT_VERSION = "2021-01-11"
TENCENT_BATCH = 200  # SendSms accepts at most 200 numbers per request
# Tencent per-number codes -> the result states of sms.sms._send (IAP vocabulary).
# Unlisted codes are passed through: core bookkeeping records them as the failure reason.
TENCENT_CODE_TO_STATE = {
    "Ok": "success",
    "InvalidParameterValue.IncorrectPhoneNumber": "wrong_number_format",
    "FailedOperation.InsufficientBalanceInSmsPackage": "insufficient_credit",
    "UnsupportedOperation.UnsupportedRegion": "country_not_supported",
    "UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone": "country_not_supported",
    "FailedOperation.PhoneNumberInBlacklist": "blacklisted",
    "AuthFailure.SecretIdNotFound": "unregistered",
    "AuthFailure.SignatureFailure": "unregistered",
}
SUCCESS_STATES = ("success", "sent")
# message type of one-time login codes ("code {1}, valid {2} minutes")
OTP_TEMPLATE = "otp"
# message types whose first parameter is a secret (a one-time login code): masked in the log
SECRET_TEMPLATE_CODES = (OTP_TEMPLATE,)


def format_cn_number(number):
    """``13812341234``, ``138 1234 1234``, ``+86-138…`` or ``0086138…`` -> ``+8613812341234``."""
    digits = re.sub(r"[^\d+]", "", number or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+"):
        return digits
    if digits.startswith("86") and len(digits) == 13:
        return "+" + digits
    return "+86" + digits


def tc3_sign(secret_id, secret_key, *, host, action, payload, timestamp, region, service=TENCENT_SERVICE):
    """Headers of a Tencent Cloud API 3.0 request signed with TC3-HMAC-SHA256."""
    day = datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d")
    content_type = "application/json; charset=utf-8"
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{content_type}\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(payload).hexdigest(),
        ]
    )
    scope = f"{day}/{service}/tc3_request"
    to_sign = "\n".join(
        ["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )

    def _hmac(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    signing_key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode(), day), service), "tc3_request")
    signature = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
    return {
        "Authorization": (
            f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
            f"SignedHeaders=content-type;host, Signature={signature}"
        ),
        "Content-Type": content_type,
        "Host": host,
        "X-TC-Action": action,
        "X-TC-Timestamp": str(timestamp),
        "X-TC-Version": TENCENT_VERSION,
        "X-TC-Region": region,
    }


class PropertySmsGateway(models.Model):
    """A way to reach residents by SMS or voice call.

    Every provider implements ``_<provider>_send_template`` (and may implement
    ``_<provider>_send_text`` / ``_<provider>_send_voice``), each returning one result per
    number, in input order: ``{'number', 'state', 'code', 'provider_ref'}`` where ``state``
    is in the vocabulary of ``sms.sms._send`` (``success``, ``server_error``,
    ``wrong_number_format``…). Add a provider with ``selection_add`` on ``provider``."""

    _name = "property.sms.gateway"
    _description = "SMS Gateway"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    provider = fields.Selection(
        [("log", "Log Only"), ("tencent", "Tencent Cloud SMS")],
        required=True,
        default="log",
        help="Log Only writes each message to the gateway log and marks it sent: for tests and demos.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    timeout = fields.Integer(string="Timeout (s)", default=10, required=True)
    template_ids = fields.One2many("property.sms.gateway.template", "gateway_id", string="Templates")
    log_ids = fields.One2many("property.sms.log", "gateway_id")
    tencent_secret_id = fields.Char(string="SecretId", groups="property_base.group_property_manager")
    tencent_secret_key = fields.Char(string="SecretKey", groups="property_base.group_property_manager")
    tencent_sdk_app_id = fields.Char(string="SdkAppId", help="SMS application id (SmsSdkAppId).")
    tencent_sign_name = fields.Char(string="Sign Name", help="Approved signature, e.g. 翠湖物业.")
    tencent_region = fields.Char(string="Region", default="ap-guangzhou")
    tencent_host = fields.Char(string="API Host", default="sms.tencentcloudapi.com")

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------
    @api.model
    def _get_company_gateway(self, company=None):
        """The gateway configured for ``company`` (default: the current one), sudo'ed, or empty."""
        company = company or self.env.company
        return company.sudo().property_sms_gateway_id.filtered("active")

    def _send_template(self, numbers, template_code, params, partners=None):
        """Send the approved template ``template_code`` with positional ``params`` to ``numbers``.

        ``partners``: the recipient of each number (same order), when known: the gateway log
        of a resident's message belongs to the resident's estate."""
        self.ensure_one()
        params = [str(p) for p in params or []]
        results = self._dispatch("send_template", numbers, template_code, params)
        self._log_results("sms", results, template_code=template_code, params=params, partners=partners)
        return results

    def _send_text(self, numbers, body, partners=None):
        """Send free text. Chinese carriers refuse it: only providers that implement
        ``_<provider>_send_text`` accept it, the others fail every number."""
        self.ensure_one()
        if hasattr(self, f"_{self.provider}_send_text"):
            results = self._dispatch("send_text", numbers, body)
        else:
            results = [
                {"number": n, "state": "server_error", "code": "free_text_unsupported", "provider_ref": False}
                for n in numbers
            ]
        self._log_results("sms", results, body=body, partners=partners)
        return results

    def _send_voice(self, number, template_code, params, partner=None):
        """Call ``number`` and read the voice template ``template_code`` with ``params``."""
        self.ensure_one()
        params = [str(p) for p in params or []]
        if hasattr(self, f"_{self.provider}_send_voice"):
            result = self._dispatch("send_voice", number, template_code, params)
        else:
            result = {
                "number": number,
                "state": "server_error",
                "code": "voice_unsupported",
                "provider_ref": False,
            }
        self._log_results(
            "voice", [result], template_code=template_code, params=params, partners=partner and [partner]
        )
        return result

    def _render_template(self, template_code, params):
        """Human-readable text of a template message (previews, chatter, log)."""
        template = self.template_ids.filtered(lambda t: t.code == template_code)[:1]
        text = template.content or f"[{template_code}] " + ", ".join(str(p) for p in params or [])
        for index, value in enumerate(params or [], start=1):
            text = text.replace(f"{{{index}}}", str(value))
        return text

    def _get_provider_template_id(self, template_code):
        template = self.template_ids.filtered(lambda t: t.code == template_code)[:1]
        return template.provider_template_id

    # ------------------------------------------------------------------
    # Plumbing
    # ------------------------------------------------------------------
    def _dispatch(self, operation, *args):
        method = getattr(self, f"_{self.provider}_{operation}", None)
        if method is None:
            raise UserError(self.env._("The SMS provider %s cannot do this.", self.provider))
        return method(*args)

    @api.model
    def _log_params(self, template_code, params):
        """Parameters as they may be written down: a one-time code never is."""
        if template_code in SECRET_TEMPLATE_CODES and params:
            return ["******", *params[1:]]
        return params

    def _log_results(self, channel, results, *, template_code=False, params=None, body=False, partners=None):
        params = self._log_params(template_code, params)
        text = body or self._render_template(template_code, params)
        partners = list(partners or []) + [None] * (len(results) - len(partners or []))
        estates = self.env["property.sms.log"]._get_partner_estates([p for p in partners if p])
        self.env["property.sms.log"].sudo().create(
            [
                {
                    "gateway_id": self.id,
                    "partner_id": partner.id if partner else False,
                    "estate_id": estates.get(partner.id, False) if partner else False,
                    "channel": channel,
                    "number": result["number"],
                    "template_code": template_code,
                    "params": json.dumps(params or [], ensure_ascii=False),
                    "body": text,
                    "state": "sent" if result["state"] in SUCCESS_STATES else "error",
                    "result_code": result.get("code") or result["state"],
                    "provider_ref": result.get("provider_ref") or False,
                }
                for result, partner in zip(results, partners, strict=True)
            ]
        )

    # ------------------------------------------------------------------
    # Provider: log only. The server log is read by more people than residents' data may
    # be (PIPL): numbers are masked and one-time codes left out.
    # ------------------------------------------------------------------
    @api.model
    def _log_numbers(self, numbers):
        return ", ".join(mask_phone(n) or "-" for n in numbers)

    def _log_send_template(self, numbers, template_code, params):
        _logger.info(
            "SMS gateway %s (log): template %s %s to %s",
            self.id,
            template_code,
            self._log_params(template_code, params),
            self._log_numbers(numbers),
        )
        return [{"number": n, "state": "success", "code": "Ok", "provider_ref": False} for n in numbers]

    def _log_send_text(self, numbers, body):
        _logger.info(
            "SMS gateway %s (log): %s characters to %s", self.id, len(body or ""), self._log_numbers(numbers)
        )
        return [{"number": n, "state": "success", "code": "Ok", "provider_ref": False} for n in numbers]

    def _log_send_voice(self, number, template_code, params):
        _logger.info(
            "Voice gateway %s (log): template %s %s to %s",
            self.id,
            template_code,
            self._log_params(template_code, params),
            self._log_numbers([number]),
        )
        return {"number": number, "state": "success", "code": "Ok", "provider_ref": False}

    # ------------------------------------------------------------------
    # Provider: Tencent Cloud SMS (API 3.0, SendSms, TC3-HMAC-SHA256)
    # ------------------------------------------------------------------
    def _tencent_request(self, action, payload):
        """POST a signed API call; returns the ``Response`` object. Raises on HTTP errors."""
        sudo = self.sudo()
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = tc3_sign(
            sudo.tencent_secret_id or "",
            sudo.tencent_secret_key or "",
            host=self.tencent_host,
            action=action,
            payload=body,
            timestamp=int(time.time()),
            region=self.tencent_region,
        )
        response = requests.post(
            f"https://{self.tencent_host}/", data=body, headers=headers, timeout=self.timeout
        )
        response.raise_for_status()
        return response.json().get("Response", {})

    def _tencent_send_template(self, numbers, template_code, params):
        template_id = self._get_provider_template_id(template_code)
        if not template_id:
            return [
                {"number": n, "state": "server_error", "code": "template_missing", "provider_ref": False}
                for n in numbers
            ]
        results = []
        for start in range(0, len(numbers), TENCENT_BATCH):
            chunk = numbers[start : start + TENCENT_BATCH]
            results += self._tencent_send_chunk(chunk, template_id, params)
        return results

    def _tencent_send_chunk(self, numbers, template_id, params):
        formatted = [format_cn_number(n) for n in numbers]
        payload = {
            "PhoneNumberSet": formatted,
            "SmsSdkAppId": self.tencent_sdk_app_id or "",
            "SignName": self.tencent_sign_name or "",
            "TemplateId": template_id,
            "TemplateParamSet": params,
        }
        try:
            response = self._tencent_request("SendSms", payload)
        except (requests.RequestException, ValueError) as error:
            _logger.info("Tencent SMS request failed: %s", error)
            return [
                {"number": n, "state": "server_error", "code": "request_failed", "provider_ref": False}
                for n in numbers
            ]
        if response.get("Error"):
            code = response["Error"].get("Code", "")
            _logger.info("Tencent SMS error %s: %s", code, response["Error"].get("Message"))
            state = TENCENT_CODE_TO_STATE.get(code, "server_error")
            return [{"number": n, "state": state, "code": code, "provider_ref": False} for n in numbers]
        by_number = {status.get("PhoneNumber"): status for status in response.get("SendStatusSet") or []}
        results = []
        for number, phone in zip(numbers, formatted, strict=True):
            status = by_number.get(phone)
            if not status:
                results.append(
                    {"number": number, "state": "server_error", "code": "no_status", "provider_ref": False}
                )
                continue
            code = status.get("Code", "")
            results.append(
                {
                    "number": number,
                    "state": TENCENT_CODE_TO_STATE.get(code, code or "server_error"),
                    "code": code,
                    "provider_ref": status.get("SerialNo") or False,
                }
            )
        return results
