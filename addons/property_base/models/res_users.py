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

    def _apply_groups_to_existing_employees(self):
        """Installing an app must not make every staff member its administrator.

        Odoo adds each new app's manager group to the default user template and, from there, to
        every internal user. A property company's guards, technicians and front desk would then
        administer Invoicing, Inventory, Purchase and Employees. Rights come from the property
        roles (and whatever an administrator grants by hand); new users still start from the
        template."""
        return False

    def write(self, vals):
        res = super().write(vals)
        if "property_estate_ids" in vals:
            # record rules read the user's estates: their cache must follow
            self.env.registry.clear_cache()
        return res
