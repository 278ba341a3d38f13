import hashlib
import hmac
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessDenied
from odoo.tools import SQL

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
    otp_attempts = fields.Integer(help="Wrong codes tried against this one-time code.")

    @api.model
    def _hit(self, keys, limit, window_seconds):
        """Record an attempt for each key; return False when one of them is over ``limit``
        attempts in the last ``window_seconds``."""
        return self._hit_limits([(key, limit, window_seconds) for key in keys])

    @api.model
    def _hit_limits(self, limits):
        """``limits``: ``[(key, limit, window_seconds)]``. Record an attempt for each key, unless
        one of them already has ``limit`` attempts in its window: then record nothing and
        return False."""
        now = fields.Datetime.now()
        for key, limit, window_seconds in limits:
            since = now - timedelta(seconds=window_seconds)
            if self.sudo().search_count([("key", "=", key), ("hit_date", ">=", since)], limit=limit) >= limit:
                return False
        self.sudo().create([{"key": key} for key, _limit, _window in limits])
        return True

    @api.model
    def _otp_issue(self, phone):
        """A new code for ``phone``; the codes sent before it are void (only the last one sent
        works, so an older code cannot be replayed once a newer one was used)."""
        code = f"{secrets.randbelow(10**6):06d}"
        self.sudo().search([("key", "=", f"otp:{phone}"), ("otp_hash", "!=", False)]).otp_hash = False
        self.sudo().create({"key": f"otp:{phone}", "otp_hash": self._otp_hash(phone, code)})
        return code

    @api.model
    def _otp_hash(self, phone, code):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        return hmac.new(secret.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()

    @api.model
    def _otp_check(self, phone, code):
        """Check the last code sent to ``phone`` (valid OTP_MINUTES, single use). Wrong tries
        are counted on the code itself: after OTP_MAX_ATTEMPTS it is void, and the resident asks
        for a new one. Nobody is locked out by somebody else's guesses: the phone is not."""
        since = fields.Datetime.now() - timedelta(minutes=OTP_MINUTES)
        last = self.sudo().search(
            [("key", "=", f"otp:{phone}"), ("hit_date", ">=", since), ("otp_hash", "!=", False)],
            order="id desc",
            limit=1,
        )
        if not last:
            raise AccessDenied()
        if code and hmac.compare_digest(last.otp_hash, self._otp_hash(phone, code)):
            last.otp_hash = False
            return True
        # a wrong code: counted atomically (concurrent guesses each count), void at the limit
        self.env.cr.execute(
            SQL(
                """UPDATE property_portal_rate_limit SET otp_attempts = COALESCE(otp_attempts, 0) + 1,
                          otp_hash = CASE WHEN COALESCE(otp_attempts, 0) + 1 >= %s THEN NULL ELSE otp_hash END
                    WHERE id = %s""",
                OTP_MAX_ATTEMPTS,
                last.id,
            )
        )
        last.invalidate_recordset(["otp_attempts", "otp_hash"])
        raise AccessDenied()

    @api.autovacuum
    def _gc_old(self):
        self.sudo().search([("hit_date", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
