from odoo import api, fields, models


class PropertyRequestChecklistLine(models.Model):
    """A check of a maintenance request, ticked by the technician: done, note, who and when."""

    _name = "property.request.checklist.line"
    _description = "Maintenance Request Checklist Line"
    _order = "request_id, sequence, id"

    request_id = fields.Many2one("maintenance.request", required=True, index=True, ondelete="cascade")
    plan_line_id = fields.Many2one("property.plan.checklist.line", ondelete="set null")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True)
    description = fields.Text(string="How to Check")
    is_done = fields.Boolean(string="Done")
    note = fields.Text(string="Technician Note")
    done_user_id = fields.Many2one("res.users", string="Done By", readonly=True)
    done_date = fields.Datetime(string="Done On", readonly=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    estate_id = fields.Many2one(related="request_id.equipment_estate_id", store=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_done"):
                vals.update(self._done_values())
        return super().create(vals_list)

    def write(self, vals):
        if "is_done" in vals:
            vals = {
                **vals,
                **(self._done_values() if vals["is_done"] else {"done_user_id": False, "done_date": False}),
            }
        return super().write(vals)

    def _done_values(self):
        return {"done_user_id": self.env.user.id, "done_date": fields.Datetime.now()}

    def action_toggle_done(self):
        for line in self:
            line.is_done = not line.is_done
        return True
