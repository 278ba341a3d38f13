"""Materials of service requests: taken out of the estate's warehouse as stock moves, with
their cost on the request."""

from odoo import api, fields, models


# property.request split by concern: one class per file on purpose (property_request.py's docstring)
class PropertyRequest(models.Model):
    _inherit = "property.request"  # pylint: disable=consider-merging-classes-inherited

    material_ids = fields.One2many("property.request.material", "request_id", string="Materials", copy=False)
    material_cost = fields.Monetary(
        compute="_compute_material_cost", store=True, currency_field="currency_id"
    )
    picking_ids = fields.One2many(
        "stock.picking",
        "property_request_id",
        string="Transfers",
        copy=False,
        groups="stock.group_stock_user",
    )
    picking_count = fields.Integer(compute="_compute_picking_count", compute_sudo=True)

    @api.depends("material_ids.subtotal")
    def _compute_material_cost(self):
        for request in self:
            request.material_cost = sum(request.material_ids.mapped("subtotal"))

    def _compute_picking_count(self):
        counts = dict(
            self.env["stock.picking"]._read_group(
                [("property_request_id", "in", self.ids)], ["property_request_id"], ["__count"]
            )
        )
        for request in self:
            request.picking_count = counts.get(request, 0)

    def action_consume_materials(self):
        """Take the request's materials out of stock. Anyone who may edit the request may do
        it (technicians have no stock rights): the stock operations run as superuser."""
        self.check_access("write")
        self._check_state(
            ("accepted", "in_progress", "paused", "done"), self.env._("Taking materials out of stock")
        )
        self.material_ids.sudo()._consume()
        return True

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("property_request_id", "=", self.id)]
        action["context"] = {}
        return action
