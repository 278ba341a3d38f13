from odoo import models


class PropertyOccupancy(models.Model):
    _inherit = "property.occupancy"

    # The low-level write, not write(): every way of ending an occupancy goes through it,
    # including modules that wrap write() (OCA auditlog patches it on the registry class).
    def _write_multi(self, vals_list):
        ending = self.browse(
            {occupancy.id for occupancy, vals in zip(self, vals_list, strict=True) if vals.get("date_end")}
        )
        if ending:
            # move-out, transfer (过户): the household changes, the resident signs in again
            # (same transaction as the write)
            users = self.env["res.users"].sudo().search([("partner_id", "in", ending.sudo().partner_id.ids)])
            self.env["property.portal.api.token"]._revoke_users(users)
        return super()._write_multi(vals_list)
