from odoo import models


class PropertyOccupancy(models.Model):
    _inherit = "property.occupancy"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("date_end"):
            # move-out, transfer (过户): the household changed, the resident signs in again
            users = self.env["res.users"].sudo().search([("partner_id", "in", self.sudo().partner_id.ids)])
            self.env["property.portal.api.token"]._revoke_users(users)
        return result
