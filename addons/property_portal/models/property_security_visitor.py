from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

VISITOR_MAX_DAYS = 7


class PropertySecurityVisitor(models.Model):
    _inherit = "property.security.visitor"

    @api.model
    def _portal_max_days(self):
        """How long a pass a resident registers may last (days; setting
        ``property_portal.visitor_max_days``, default 7)."""
        value = self.env["ir.config_parameter"].sudo().get_param("property_portal.visitor_max_days")
        try:
            days = int(value)
        except (TypeError, ValueError):
            return VISITOR_MAX_DAYS
        return days if days > 0 else VISITOR_MAX_DAYS

    @api.model
    def _portal_register(self, partner, vals):
        """A resident's pass ends within ``_portal_max_days`` from now, after it starts."""
        start = fields.Datetime.to_datetime(vals.get("visit_start"))
        end = fields.Datetime.to_datetime(vals.get("visit_end"))
        max_days = self._portal_max_days()
        latest = fields.Datetime.now() + timedelta(days=max_days)
        if (start and start > latest) or (end and end > latest):
            raise ValidationError(
                self.env._("A visitor pass can be registered for the next %s days at most.", max_days)
            )
        if start and end and end <= start:
            raise ValidationError(self.env._("The visit must end after it starts."))
        return super()._portal_register(partner, vals)
