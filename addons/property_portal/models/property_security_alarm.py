from odoo import api, models
from odoo.exceptions import UserError

# one-click alarms per household (unit) and window, in seconds
ALARM_LIMIT = (2, 60)


class PropertySecurityAlarm(models.Model):
    _inherit = "property.security.alarm"

    @api.model
    def _raise_from_portal(self, partner, unit, alarm_type, note=None):
        """At most ALARM_LIMIT one-click alarms a minute for a home: a repeated press does not
        flood the guards; the alarm already raised stands."""
        if unit:
            limit, window = ALARM_LIMIT
            allowed = (
                self.env["property.portal.rate.limit"]
                .sudo()
                ._hit_limits([(f"alarm:unit:{unit.id}", limit, window)])
            )
            if not allowed:
                raise UserError(
                    self.env._(
                        "An alarm was just raised for your home: security is on the way. In a "
                        "life-threatening emergency, also call 110, 119 or 120."
                    )
                )
        return super()._raise_from_portal(partner, unit, alarm_type, note=note)
