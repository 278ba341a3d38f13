from odoo import fields, models
from odoo.exceptions import UserError


class PropertySecurityPatrolRunLine(models.Model):
    _inherit = "property.security.patrol.run.line"

    needs_repair = fields.Boolean(
        readonly=True, copy=False, help="The finding needs repair: a work order was requested."
    )
    request_id = fields.Many2one(
        "property.request", string="Work Order", readonly=True, copy=False, index="btree_not_null"
    )

    def _prepare_repair_request_values(self):
        self.ensure_one()
        run = self.run_id
        checkpoint = self.checkpoint_id
        return {
            "description": self.finding,
            "estate_id": self.estate_id.id,
            "building_id": checkpoint.building_id.id,
            "common_area": checkpoint.name,
            "origin": run.display_name,
            "security_incident_id": self.incident_id.id,
            "company_id": self.company_id.id,
        }

    def _create_repair_request(self):
        """Turn findings that need repair into work orders (source: inspection), linked to
        the incident the finding raised. Runs with the caller's rights."""
        for line in self:
            if line.request_id:
                raise UserError(
                    self.env._("A work order already exists for checkpoint %s.", line.checkpoint_id.name)
                )
            if not line.finding:
                raise UserError(self.env._("Describe the finding at %s first.", line.checkpoint_id.name))
        requests = self.env["property.request"]._create_from_source(
            "inspection", [line._prepare_repair_request_values() for line in self]
        )
        for line, request in zip(self, requests, strict=True):
            line.write({"request_id": request.id, "needs_repair": True})
        return requests

    def action_create_request(self):
        self._create_repair_request()
        return True
