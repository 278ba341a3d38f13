from odoo import fields, models
from odoo.exceptions import UserError


class PropertyRouteRunLine(models.Model):
    """Findings → work orders, for every kind of route."""

    _inherit = "property.route.run.line"

    request_id = fields.Many2one(
        "property.request", string="Work Order", readonly=True, copy=False, index="btree_not_null"
    )

    def _prepare_request_values(self):
        self.ensure_one()
        run = self.run_id
        checkpoint = self.checkpoint_id
        return {
            "description": self.finding,
            "estate_id": run.estate_id.id,
            "building_id": checkpoint.building_id.id or run.route_id.building_id.id,
            "common_area": checkpoint.name,
            "origin": run.name,
            "photo_ids": [fields.Command.set(self.photo_ids.ids)],
            "company_id": run.company_id.id,
        }

    def _create_request(self):
        """Turn the findings into work orders (source: inspection). The caller must be able
        to write the lines; the requests are created as the system (staff who walk routes
        do not all create requests)."""
        self.check_access("write")
        for line in self:
            if line.request_id:
                raise UserError(
                    self.env._("A work order already exists for checkpoint %s.", line.checkpoint_id.name)
                )
            if not line.finding:
                raise UserError(self.env._("Describe the finding at %s first.", line.checkpoint_id.name))
        requests = (
            self.env["property.request"]
            .sudo()
            ._create_from_source("inspection", [line._prepare_request_values() for line in self])
        )
        for line, request in zip(self, requests, strict=True):
            line.write({"request_id": request.id, "has_issue": True})
        return requests

    def action_create_request(self):
        self._create_request()
        return True
