from odoo import fields, models


class PropertyServiceTeam(models.Model):
    _name = "property.service.team"
    _description = "Service Team"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    estate_id = fields.Many2one("property.estate", index=True, tracking=True, check_company=True)
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        domain="[('share', '=', False)]",
        help="First level of SLA escalation.",
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Service Manager",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Second level of SLA escalation (default: the estate manager).",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Shift Schedule",
        check_company=True,
        help="Working time of the team: members without their own schedule follow it. SLA deadlines "
        "count in the estate's service hours.",
    )
    category_ids = fields.Many2many(
        "property.request.category",
        "property_service_team_request_category_rel",
        "team_id",
        "category_id",
        string="Categories Covered",
        help="Requests of these categories from residents, phone calls and devices are dispatched "
        "automatically to the team's technicians. Requests of other categories wait for triage.",
    )
    member_ids = fields.One2many("hr.employee", "property_team_id", string="Members")
    member_count = fields.Integer(compute="_compute_member_count")

    def _compute_member_count(self):
        counts = dict(
            self.env["hr.employee"]._read_group(
                [("property_team_id", "in", self.ids)], ["property_team_id"], ["__count"]
            )
        )
        for team in self:
            team.member_count = counts.get(team, 0)
