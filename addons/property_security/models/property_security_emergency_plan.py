from odoo import api, fields, models
from odoo.exceptions import UserError

from .property_security_alarm import ALARM_TYPES

PLAN_STATES = [("draft", "Draft"), ("active", "Active"), ("superseded", "Superseded")]
LINE_TYPES = [
    ("step", "Step"),
    ("role", "Role"),
    ("contact", "Contact"),
    ("assembly_point", "Assembly Point"),
]
# plan fields whose change on an active plan makes a new version
VERSIONED_FIELDS = {
    "name",
    "estate_id",
    "alarm_type",
    "description",
    "line_ids",
    "step_ids",
    "role_ids",
    "contact_ids",
    "assembly_point_ids",
}


class PropertySecurityEmergencyPlan(models.Model):
    """What to do, who does it, whom to call and where to gather, per estate and alarm type.

    Versioned: changing an active plan first keeps its current content as a read-only
    superseded copy, then the active plan (same record) carries the next version number."""

    _name = "property.security.emergency.plan"
    _description = "Emergency Plan"
    _inherit = ["mail.thread"]
    _order = "estate_id, alarm_type, version desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    estate_id = fields.Many2one("property.estate", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    alarm_type = fields.Selection(ALARM_TYPES, required=True, default="fire")
    version = fields.Integer(required=True, default=1, readonly=True, copy=False)
    state = fields.Selection(PLAN_STATES, required=True, default="draft", readonly=True, tracking=True)
    description = fields.Html()
    line_ids = fields.One2many("property.security.emergency.plan.line", "plan_id", copy=True)
    step_ids = fields.One2many(
        "property.security.emergency.plan.line",
        "plan_id",
        domain=[("line_type", "=", "step")],
        string="Steps",
    )
    role_ids = fields.One2many(
        "property.security.emergency.plan.line",
        "plan_id",
        domain=[("line_type", "=", "role")],
        string="Roles",
    )
    contact_ids = fields.One2many(
        "property.security.emergency.plan.line",
        "plan_id",
        domain=[("line_type", "=", "contact")],
        string="Contacts",
    )
    assembly_point_ids = fields.One2many(
        "property.security.emergency.plan.line",
        "plan_id",
        domain=[("line_type", "=", "assembly_point")],
        string="Assembly Points",
    )
    current_plan_id = fields.Many2one(
        "property.security.emergency.plan",
        string="Current Version",
        readonly=True,
        copy=False,
        index=True,
        help="On an old version: the plan that replaced it.",
    )
    old_version_ids = fields.One2many(
        "property.security.emergency.plan", "current_plan_id", string="Old Versions"
    )
    date_activated = fields.Datetime(readonly=True, copy=False)

    @api.depends("name", "version")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = f"{plan.name} v{plan.version}"

    def action_activate(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft plan can be activated."))
            others = self.search(
                [
                    ("estate_id", "=", plan.estate_id.id),
                    ("alarm_type", "=", plan.alarm_type),
                    ("state", "=", "active"),
                    ("id", "!=", plan.id),
                ]
            )
            others.with_context(plan_versioning=True).write(
                {"state": "superseded", "current_plan_id": plan.id}
            )
        self.with_context(plan_versioning=True).write(
            {"state": "active", "date_activated": fields.Datetime.now()}
        )
        return True

    def _snapshot_version(self):
        """Keep the current content of active plans as superseded copies, bump the version."""
        for plan in self.filtered(lambda p: p.state == "active"):
            plan.with_context(plan_versioning=True).copy(
                {
                    "state": "superseded",
                    "version": plan.version,
                    "current_plan_id": plan.id,
                    "date_activated": plan.date_activated,
                }
            )
            plan.with_context(plan_versioning=True).write(
                {"version": plan.version + 1, "date_activated": fields.Datetime.now()}
            )

    def write(self, vals):
        if not self.env.context.get("plan_versioning"):
            if self.filtered(lambda p: p.state == "superseded"):
                raise UserError(
                    self.env._("An old version of a plan is kept as it was; edit the current version.")
                )
            if VERSIONED_FIELDS & set(vals):
                self._snapshot_version()
        # the lines written through the plan are covered by the snapshot just taken
        return super(PropertySecurityEmergencyPlan, self.with_context(plan_versioning=True)).write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Active and old plans are kept; only drafts can be deleted."))


class PropertySecurityEmergencyPlanLine(models.Model):
    _name = "property.security.emergency.plan.line"
    _description = "Emergency Plan Line"
    _order = "plan_id, line_type, sequence, id"

    plan_id = fields.Many2one(
        "property.security.emergency.plan", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="plan_id.estate_id", store=True, index=True)
    line_type = fields.Selection(LINE_TYPES, required=True, default="step")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    role = fields.Char(help="Who does it (a step), or the role's title.")
    user_id = fields.Many2one("res.users", string="Person", domain="[('share', '=', False)]")
    phone = fields.Char()
    description = fields.Text()

    def _check_plan_editable(self, plans):
        if self.env.context.get("plan_versioning"):
            return
        if plans.filtered(lambda p: p.state == "superseded"):
            raise UserError(
                self.env._("An old version of a plan is kept as it was; edit the current version.")
            )
        plans._snapshot_version()

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["property.security.emergency.plan"].browse(
            {v.get("plan_id") for v in vals_list if v.get("plan_id")}
        )
        self._check_plan_editable(plans)
        return super().create(vals_list)

    def write(self, vals):
        self._check_plan_editable(self.plan_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_versioned(self):
        self._check_plan_editable(self.plan_id)
