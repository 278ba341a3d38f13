from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    property_estate_ids = fields.Many2many(
        "property.estate",
        "property_estate_res_users_rel",
        "user_id",
        "estate_id",
        string="Estates",
        help="Estates this user works on. Property staff below manager level see only these.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["property_estate_ids"]

    def write(self, vals):
        res = super().write(vals)
        if "property_estate_ids" in vals:
            # record rules read the user's estates: their cache must follow
            self.env.registry.clear_cache()
        return res
