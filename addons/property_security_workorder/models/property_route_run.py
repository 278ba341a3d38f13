from odoo import models


class PropertyRouteRun(models.Model):
    _inherit = "property.route.run"

    def _scan(self, token, finding=None, at=None, needs_repair=False):
        """``needs_repair``: the finding is something to fix (a broken light, a leaking pipe):
        besides the incident, it becomes a work order. The scan wizard passes it in the
        context as ``property_patrol_needs_repair``."""
        line = super()._scan(token, finding=finding, at=at)
        needs_repair = needs_repair or self.env.context.get("property_patrol_needs_repair")
        if finding and needs_repair:
            line._create_request()
        return line
