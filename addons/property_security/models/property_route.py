from odoo import api, fields, models


class PropertyRoute(models.Model):
    """Guard patrols on the route engine: timed runs, late and missed checkpoints, findings
    raise incidents."""

    _inherit = "property.route"

    route_type = fields.Selection(selection_add=[("patrol", "Patrol")], ondelete={"patrol": "cascade"})

    @api.model
    def _get_route_type_groups(self):
        groups = super()._get_route_type_groups()
        groups["patrol"] = ["property_base.group_property_security"]
        return groups
