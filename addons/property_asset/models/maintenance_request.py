from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError


class MaintenanceRequest(models.Model):
    _inherit = "maintenance.request"

    equipment_estate_id = fields.Many2one(
        related="equipment_id.estate_id", string="Estate", store=True, index=True
    )
    equipment_building_id = fields.Many2one(related="equipment_id.building_id", string="Building", store=True)
    plan_due_date = fields.Date(
        readonly=True,
        copy=False,
        index=True,
        help="The due date this plan request covers.",
    )
    plan_due_usage = fields.Float(
        string="Plan Due Counter",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Counter value that made it due.",
    )
    failure_date = fields.Datetime(
        compute="_compute_failure_date",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="When the failure started (corrective requests); MTBF and MTTR are measured from it.",
    )
    repair_end_date = fields.Datetime(
        tracking=True, help="When the equipment worked again; set when the request reaches a done stage."
    )
    checklist_line_ids = fields.One2many("property.request.checklist.line", "request_id", string="Checklist")
    checklist_total = fields.Integer(compute="_compute_checklist")
    checklist_done = fields.Integer(compute="_compute_checklist")
    checklist_progress = fields.Float(compute="_compute_checklist", string="Checklist (%)")
    part_line_ids = fields.One2many("property.request.part.line", "request_id", string="Spare Parts")
    currency_id = fields.Many2one(related="company_id.currency_id")
    parts_cost = fields.Monetary(compute="_compute_costs", store=True)
    labour_rate = fields.Monetary(
        compute="_compute_labour_rate", store=True, readonly=False, help="Cost of one hour of work."
    )
    labour_cost = fields.Monetary(compute="_compute_costs", store=True, help="Duration x labour rate.")
    total_cost = fields.Monetary(compute="_compute_costs", store=True)

    _sql_constraints = [
        (
            "plan_due_date_uniq",
            "unique(maintenance_plan_id, equipment_id, plan_due_date)",
            "A maintenance plan cannot generate two requests for the same due date.",
        ),
    ]

    @api.depends("maintenance_type", "request_date")
    def _compute_failure_date(self):
        today = fields.Date.context_today(self)
        for request in self:
            if request.maintenance_type != "corrective":
                request.failure_date = False
            elif not request.failure_date:
                day = request.request_date or today
                request.failure_date = (
                    fields.Datetime.now() if day == today else datetime.combine(day, time.min)
                )

    @api.depends("checklist_line_ids.is_done")
    def _compute_checklist(self):
        for request in self:
            total = len(request.checklist_line_ids)
            done = len(request.checklist_line_ids.filtered("is_done"))
            request.checklist_total = total
            request.checklist_done = done
            request.checklist_progress = 100.0 * done / total if total else 0.0

    @api.depends("company_id")
    def _compute_labour_rate(self):
        for request in self:
            if not request.labour_rate:
                request.labour_rate = (request.company_id or self.env.company).property_labour_rate

    @api.depends("part_line_ids.cost", "part_line_ids.state", "duration", "labour_rate")
    def _compute_costs(self):
        for request in self:
            parts = sum(request.part_line_ids.filtered(lambda line: line.state == "consumed").mapped("cost"))
            labour = request.duration * request.labour_rate
            request.parts_cost = parts
            request.labour_cost = labour
            request.total_cost = parts + labour

    def write(self, vals):
        if vals.get("stage_id"):
            stage = self.env["maintenance.stage"].browse(vals["stage_id"])
            if stage.done:
                unfinished = self.filtered(
                    lambda r: not r.stage_id.done and r.checklist_line_ids.filtered(lambda c: not c.is_done)
                )
                if unfinished:
                    raise UserError(
                        self.env._(
                            "Finish the checklist of %s before closing it.",
                            ", ".join(unfinished.mapped("name")),
                        )
                    )
                if "repair_end_date" not in vals:
                    to_close = self.filtered(lambda r: not r.repair_end_date)
                    res = super().write(vals)
                    to_close.write({"repair_end_date": fields.Datetime.now()})
                    return res
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_property_manager(self):
        if (
            not self.env.su
            and self.filtered("equipment_estate_id")
            and not self.env.user.has_group("property_base.group_property_manager")
        ):
            raise UserError(
                self.env._("Only property managers can delete maintenance requests of estate equipment.")
            )

    def action_consume_parts(self):
        """Take the spare parts of the request out of stock. Technicians may do it on the
        requests they can edit; the stock moves themselves are made as superuser."""
        self.check_access("write")
        lines = self.part_line_ids.filtered(lambda line: line.state == "draft")
        if not lines:
            raise UserError(self.env._("There is no spare part left to consume on this request."))
        for request in self:
            if not request.equipment_estate_id and lines.filtered(
                lambda line, r=request: line.request_id == r and not line.location_id
            ):
                raise UserError(
                    self.env._("Choose the stock location of the spare parts of %s.", request.name)
                )
        lines._consume()
        return True
