from odoo import api, fields, models
from odoo.exceptions import UserError


class PropertyRequestMaterial(models.Model):
    _name = "property.request.material"
    _description = "Material Used on a Request"
    _order = "request_id, id"
    _check_company_auto = True

    request_id = fields.Many2one("property.request", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        domain="[('is_storable', '=', True), ('is_property_spare_part', '=', True)]",
        check_company=True,
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit of Measure")
    unit_cost = fields.Float(compute="_compute_unit_cost", store=True, readonly=False, digits="Product Price")
    currency_id = fields.Many2one(related="request_id.currency_id")
    subtotal = fields.Monetary(compute="_compute_subtotal", store=True, currency_field="currency_id")
    move_id = fields.Many2one("stock.move", readonly=True, copy=False, index=True)
    is_consumed = fields.Boolean(compute="_compute_is_consumed", store=True)

    _sql_constraints = [("quantity_positive", "CHECK(quantity > 0)", "A material quantity must be positive.")]

    @api.depends("product_id")
    def _compute_unit_cost(self):
        for line in self:
            line.unit_cost = line.product_id.standard_price

    @api.depends("quantity", "unit_cost")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = line.quantity * line.unit_cost

    @api.depends("move_id.state")
    def _compute_is_consumed(self):
        for line in self:
            line.is_consumed = line.move_id.state == "done"

    def write(self, vals):
        if self.filtered("move_id") and {"product_id", "quantity"} & set(vals):
            raise UserError(self.env._("A material already taken out of stock cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_consumed(self):
        if self.filtered("move_id"):
            raise UserError(self.env._("A material already taken out of stock cannot be deleted."))

    @api.model
    def _get_consumption_location(self):
        return self.env.ref("property_workorder.stock_location_consumption")

    def _consume(self):
        """Take the lines out of the estate's warehouse: one picking per request, from the
        warehouse's stock location to the work-order consumption location, validated at once."""
        todo = self.sudo().filtered(lambda line: not line.move_id)
        for request in todo.request_id:
            lines = todo.filtered(lambda line, r=request: line.request_id == r)
            warehouse = request.estate_id.warehouse_id or self.env["stock.warehouse"].search(
                [("company_id", "=", request.company_id.id)], limit=1
            )
            if not warehouse:
                raise UserError(
                    self.env._("Set a warehouse on estate %s first.", request.estate_id.display_name)
                )
            source = warehouse.lot_stock_id
            destination = self._get_consumption_location()
            picking = (
                self.env["stock.picking"]
                .sudo()
                .create(
                    {
                        "picking_type_id": warehouse.out_type_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "origin": request.name,
                        "property_request_id": request.id,
                        "company_id": request.company_id.id,
                        "move_ids": [
                            fields.Command.create(
                                {
                                    "name": line.product_id.display_name,
                                    "product_id": line.product_id.id,
                                    "product_uom_qty": line.quantity,
                                    "product_uom": line.product_id.uom_id.id,
                                    "location_id": source.id,
                                    "location_dest_id": destination.id,
                                    "company_id": request.company_id.id,
                                    "property_request_material_id": line.id,
                                }
                            )
                            for line in lines
                        ],
                    }
                )
            )
            picking.action_confirm()
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            picking._action_done()
            for move in picking.move_ids:
                move.property_request_material_id.sudo().move_id = move
            request.message_post(
                body=self.env._(
                    "Materials taken out of %(location)s: %(picking)s",
                    location=source.display_name,
                    picking=picking.name,
                )
            )
        return True
