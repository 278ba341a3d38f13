from odoo import api, fields, models


class PropertySecurityShift(models.Model):
    """A guard on duty at an estate for a period: who gets dispatched to incidents."""

    _name = "property.security.shift"
    _description = "Guard Shift"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users", string="Guard", required=True, index=True, domain="[('share', '=', False)]"
    )
    estate_id = fields.Many2one("property.estate", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    date_start = fields.Datetime(string="Start", required=True)
    date_end = fields.Datetime(string="End", required=True)
    is_team_leader = fields.Boolean(string="Team Leader")

    _sql_constraints = [("dates_ordered", "CHECK(date_end > date_start)", "A shift ends after it starts.")]

    @api.depends("user_id", "estate_id", "date_start")
    def _compute_display_name(self):
        for shift in self:
            shift.display_name = f"{shift.user_id.name or ''} · {shift.estate_id.name or ''}"

    @api.model
    def _get_on_duty_guards(self, estate, at=None):
        """Guards on duty at ``estate`` at ``at`` (now); without any shift recorded then, every
        guard assigned to the estate, so an alarm is never dispatched to nobody."""
        at = at or fields.Datetime.now()
        shifts = self.sudo().search(
            [("estate_id", "=", estate.id), ("date_start", "<=", at), ("date_end", ">", at)]
        )
        if shifts:
            return shifts.user_id
        guard_group = self.env.ref("property_base.group_property_security")
        return guard_group.sudo().users.filtered(
            lambda u: (
                estate in u.property_estate_ids and not u.has_group("property_base.group_property_manager")
            )
        )
