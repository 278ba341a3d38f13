import hashlib
import hmac
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessDenied

OTP_MINUTES = 5
OTP_MAX_ATTEMPTS = 5


class PropertyPortalRateLimit(models.Model):
    """Attempts on the API's login and one-time-code endpoints, per key (phone, IP). Stored in
    PostgreSQL: every worker sees the same counts."""

    _name = "property.portal.rate.limit"
    _description = "Resident API Rate Limit"
    _log_access = False

    key = fields.Char(required=True, index=True)
    hit_date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    otp_hash = fields.Char(help="Hash of the one-time code sent with this attempt (OTP requests).")

    @api.model
    def _hit(self, keys, limit, window_seconds):
        """Record an attempt for each key; return False when one of them is over ``limit``
        attempts in the last ``window_seconds``."""
        since = fields.Datetime.now() - timedelta(seconds=window_seconds)
        counts = dict(
            self.sudo()._read_group([("key", "in", keys), ("hit_date", ">=", since)], ["key"], ["__count"])
        )
        if any(counts.get(key, 0) >= limit for key in keys):
            return False
        self.sudo().create([{"key": key} for key in keys])
        return True

    @api.model
    def _otp_issue(self, phone):
        code = f"{secrets.randbelow(10**6):06d}"
        self.sudo().create({"key": f"otp:{phone}", "otp_hash": self._otp_hash(phone, code)})
        return code

    @api.model
    def _otp_hash(self, phone, code):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        return hmac.new(secret.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()

    @api.model
    def _otp_check(self, phone, code):
        """Check the last code sent to ``phone`` (valid OTP_MINUTES, single use)."""
        since = fields.Datetime.now() - timedelta(minutes=OTP_MINUTES)
        last = self.sudo().search(
            [("key", "=", f"otp:{phone}"), ("hit_date", ">=", since), ("otp_hash", "!=", False)],
            order="id desc",
            limit=1,
        )
        if not last or not code or not hmac.compare_digest(last.otp_hash, self._otp_hash(phone, code)):
            raise AccessDenied()
        last.otp_hash = False
        return True

    @api.autovacuum
    def _gc_old(self):
        self.sudo().search([("hit_date", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
