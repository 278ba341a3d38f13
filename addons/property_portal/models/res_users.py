from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _set_encrypted_password(self, uid, pw):
        # a new password signs the resident out of the API (mini-program, app) everywhere
        result = super()._set_encrypted_password(uid, pw)
        self.env["property.portal.api.token"]._revoke_users(self.browse(uid))
        return result

    def _action_revoke_all_devices(self):
        # "Log out from all devices" also ends the API sessions
        self.env["property.portal.api.token"]._revoke_users(self)
        return super()._action_revoke_all_devices()
