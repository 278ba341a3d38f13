from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _get_property_route_types(self):
        """The route kinds this user walks (record rules of the route engine)."""
        self.ensure_one()
        groups = self.env["property.route"].sudo()._get_route_type_groups()
        return [
            route_type
            for route_type, xmlids in groups.items()
            if any(self.has_group(xmlid) for xmlid in xmlids)
        ]
