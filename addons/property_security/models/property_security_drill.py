from odoo import api, fields, models
from odoo.exceptions import UserError

DRILL_SCENARIOS = [
    ("fire_evacuation", "Fire Evacuation"),
    ("flood", "Flood"),
    ("elevator_entrapment", "Elevator Entrapment"),
    ("earthquake", "Earthquake"),
    ("gas_leak", "Gas Leak"),
    ("power_outage", "Power Outage"),
    ("other", "Other"),
]


class PropertySecurityDrill(models.Model):
    _name = "property.security.drill"
    _description = "Emergency Drill"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    estate_id = fields.Many2one("property.estate", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    plan_id = fields.Many2one(
        "property.security.emergency.plan",
        string="Emergency Plan",
        domain="[('estate_id', '=', estate_id), ('state', '!=', 'draft')]",
        check_company=True,
    )
    scenario = fields.Selection(DRILL_SCENARIOS, required=True, default="fire_evacuation", tracking=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done")],
        required=True,
        default="planned",
        readonly=True,
        tracking=True,
    )
    participant_ids = fields.Many2many(
        "res.users", string="Staff Taking Part", domain="[('share', '=', False)]"
    )
    resident_count = fields.Integer(string="Residents Taking Part")
    participant_count = fields.Integer(
        compute="_compute_participant_count", store=True, string="Participants"
    )
    duration_minutes = fields.Float(string="Duration (min)", digits=(16, 1), aggregator="avg")
    evacuation_minutes = fields.Float(string="Evacuation Time (min)", digits=(16, 1), aggregator="avg")
    issues = fields.Text(string="Issues Found")
    action_ids = fields.One2many("property.security.drill.action", "drill_id", string="Corrective Actions")
    open_action_count = fields.Integer(compute="_compute_open_action_count")
    photo_ids = fields.Many2many(
        "ir.attachment",
        "property_security_drill_photo_rel",
        "drill_id",
        "attachment_id",
        string="Photos",
    )

    _sql_constraints = [
        (
            "figures_positive",
            "CHECK(duration_minutes >= 0 AND evacuation_minutes >= 0 AND resident_count >= 0)",
            "Durations and counts cannot be negative.",
        ),
    ]

    @api.depends("participant_ids", "resident_count")
    def _compute_participant_count(self):
        for drill in self:
            drill.participant_count = len(drill.participant_ids) + drill.resident_count

    @api.depends("action_ids.state")
    def _compute_open_action_count(self):
        for drill in self:
            drill.open_action_count = len(drill.action_ids.filtered(lambda a: a.state == "open"))

    def action_done(self):
        for drill in self:
            if drill.state != "planned":
                raise UserError(self.env._("Drill %s is already recorded as done.", drill.name))
        self.write({"state": "done"})
        return True


class PropertySecurityDrillAction(models.Model):
    """A corrective action found in a drill, followed up as a to-do activity of its owner."""

    _name = "property.security.drill.action"
    _description = "Drill Corrective Action"
    _order = "state desc, date_deadline, id"

    drill_id = fields.Many2one("property.security.drill", required=True, index=True, ondelete="cascade")
    estate_id = fields.Many2one(related="drill_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="drill_id.company_id", store=True, index=True)
    name = fields.Char(string="Action", required=True)
    user_id = fields.Many2one("res.users", string="Responsible", domain="[('share', '=', False)]")
    date_deadline = fields.Date(string="Deadline")
    state = fields.Selection([("open", "Open"), ("done", "Done")], required=True, default="open")
    activity_id = fields.Many2one("mail.activity", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        for action in actions.filtered("user_id"):
            action.activity_id = action.drill_id.sudo().activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                summary=action.name,
                user_id=action.user_id.id,
                date_deadline=action.date_deadline or fields.Date.context_today(self),
            )
        return actions

    def action_done(self):
        self.write({"state": "done"})
        self.activity_id.sudo().action_feedback(feedback=self.env._("Corrective action done."))
        return True
