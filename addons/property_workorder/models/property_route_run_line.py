from odoo import fields, models
from odoo.exceptions import UserError

LINE_STATES = [("pending", "Pending"), ("scanned", "Scanned"), ("missed", "Missed")]


class PropertyRouteRunLine(models.Model):
    _name = "property.route.run.line"
    _description = "Route Run Checkpoint"
    _order = "run_id, sequence, id"

    run_id = fields.Many2one("property.route.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="run_id.estate_id", store=True, index=True)
    checkpoint_id = fields.Many2one("property.route.checkpoint", required=True, ondelete="restrict")
    sequence = fields.Integer(default=10)
    state = fields.Selection(LINE_STATES, default="pending", required=True)
    scan_date = fields.Datetime(readonly=True)
    photo_ids = fields.Many2many(
        "ir.attachment", "property_route_run_line_photo_rel", "line_id", "attachment_id", string="Photos"
    )
    finding = fields.Text()
    has_issue = fields.Boolean(string="Issue Found")
    request_id = fields.Many2one("property.request", readonly=True, copy=False)

    def action_create_request(self):
        """Turn a finding into a service request (source: inspection)."""
        for line in self:
            if line.request_id:
                raise UserError(self.env._("A request already exists for this finding."))
            if not line.finding:
                raise UserError(self.env._("Describe the finding first."))
            run = line.run_id
            request = (
                self.env["property.request"]
                .sudo()
                ._create_from_source(
                    "inspection",
                    {
                        "description": line.finding,
                        "estate_id": run.estate_id.id,
                        "building_id": line.checkpoint_id.building_id.id,
                        "common_area": line.checkpoint_id.name,
                        "origin": run.name,
                        "photo_ids": [fields.Command.set(line.photo_ids.ids)],
                        "company_id": run.company_id.id,
                    },
                )
            )
            line.write({"request_id": request.id, "has_issue": True})
        return True
