from odoo import api, fields, models

from .property_security_alarm import ALARM_TYPES

ESCALATION_TARGETS = [
    ("team_leader", "Security Team Leader of the Estate"),
    ("estate_manager", "Estate Manager"),
    ("users", "Chosen Users"),
]


class PropertySecurityEscalationRule(models.Model):
    """After ``minutes`` without acknowledgement, an alarm escalates to ``level``."""

    _name = "property.security.escalation.rule"
    _description = "Alarm Escalation Rule"
    _order = "level, minutes, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    level = fields.Integer(required=True, default=1, help="1: team leader, 2: property manager, …")
    minutes = fields.Integer(required=True, default=5, help="Minutes without acknowledgement.")
    estate_id = fields.Many2one("property.estate", help="Empty: every estate.")
    alarm_type = fields.Selection(ALARM_TYPES, help="Empty: every type of alarm.")
    target = fields.Selection(ESCALATION_TARGETS, required=True, default="team_leader")
    user_ids = fields.Many2many("res.users", string="Users", domain="[('share', '=', False)]")
    company_id = fields.Many2one("res.company", index=True)

    _sql_constraints = [
        ("level_positive", "CHECK(level >= 1)", "Escalation levels start at 1."),
        ("minutes_positive", "CHECK(minutes >= 0)", "Minutes cannot be negative."),
    ]

    def _applies_to(self, alarm):
        self.ensure_one()
        return (
            (not self.estate_id or self.estate_id == alarm.estate_id)
            and (not self.alarm_type or self.alarm_type == alarm.alarm_type)
            and (not self.company_id or self.company_id == alarm.company_id)
        )

    def _get_recipients(self, alarm):
        self.ensure_one()
        estate = alarm.estate_id
        if self.target == "users":
            return self.user_ids
        if self.target == "team_leader":
            return estate.security_team_leader_id or estate.manager_id
        return estate.manager_id

    @api.model
    def _get_rules(self, alarm):
        return self.search([]).filtered(lambda r: r._applies_to(alarm))
