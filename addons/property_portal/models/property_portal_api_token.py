import hashlib
import secrets
from datetime import timedelta

from odoo import api, fields, models

TOKEN_HOURS = 24 * 7


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class PropertyPortalApiToken(models.Model):
    """A bearer token of the residents' API. Only its SHA-256 is stored."""

    _name = "property.portal.api.token"
    _description = "Resident API Token"
    _order = "id desc"

    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade")
    token_hash = fields.Char(required=True, index=True)
    expiry = fields.Datetime(required=True, index=True)
    login_method = fields.Selection([("wechat", "WeChat"), ("otp", "SMS Code")], required=True)
    company_id = fields.Many2one(related="user_id.company_id", store=True)

    _sql_constraints = [("token_hash_uniq", "unique(token_hash)", "A token is unique.")]

    @api.model
    def _issue(self, user, method):
        """Create a token for ``user``; return the clear token (shown once)."""
        token = secrets.token_urlsafe(32)
        self.sudo().create(
            {
                "user_id": user.id,
                "token_hash": hash_token(token),
                "expiry": fields.Datetime.now() + timedelta(hours=TOKEN_HOURS),
                "login_method": method,
            }
        )
        return token

    @api.model
    def _authenticate(self, token):
        """The active user of a valid, unexpired token, or an empty recordset."""
        if not token:
            return self.env["res.users"]
        record = self.sudo().search(
            [("token_hash", "=", hash_token(token)), ("expiry", ">", fields.Datetime.now())], limit=1
        )
        return record.user_id.filtered("active")

    @api.model
    def _revoke(self, token):
        self.sudo().search([("token_hash", "=", hash_token(token))]).unlink()

    @api.model
    def _revoke_users(self, users):
        """Sign ``users`` out of the API everywhere (password change, move-out, "sign out
        everywhere")."""
        if users:
            self.sudo().search([("user_id", "in", users.ids)]).unlink()

    @api.autovacuum
    def _gc_expired(self):
        self.sudo().search([("expiry", "<", fields.Datetime.now())]).unlink()
