from odoo import api, fields, models
from odoo.exceptions import UserError


class PropertyRequestPartLine(models.Model):
    """A spare part used by a maintenance request. Consuming it moves it out of the estate's
    spare-parts location into the maintenance consumption location, at its current cost."""

    _name = "property.request.part.line"
    _description = "Maintenance Spare Part"
    _order = "request_id, id"
    _check_company_auto = True

    request_id = fields.Many2one("maintenance.request", required=True, index=True, ondelete="cascade")
    product_id = fields.Many2one(
        "product.product",
        string="Spare Part",
        required=True,
        domain="[('is_storable', '=', True)]",
        check_company=True,
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit of Measure")
    location_id = fields.Many2one(
        "stock.location",
        string="From Location",
        compute="_compute_location_id",
        store=True,
        readonly=False,
        domain="[('usage', '=', 'internal')]",
        check_company=True,
    )
    unit_cost = fields.Float(digits="Product Price", readonly=True)
    cost = fields.Float(compute="_compute_cost", store=True, digits="Product Price")
    state = fields.Selection(
        [("draft", "To Consume"), ("consumed", "Consumed")], default="draft", required=True
    )
    move_id = fields.Many2one("stock.move", readonly=True, copy=False)
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    estate_id = fields.Many2one(related="request_id.equipment_estate_id", store=True)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a spare part must be positive.")
    ]

    @api.depends("request_id.equipment_estate_id")
    def _compute_location_id(self):
        for line in self:
            if not line.location_id and line.request_id.equipment_estate_id:
                line.location_id = line.request_id.equipment_estate_id.spare_location_id

    @api.depends("quantity", "unit_cost", "product_id", "state")
    def _compute_cost(self):
        for line in self:
            price = line.unit_cost if line.state == "consumed" else line.product_id.standard_price
            line.cost = line.quantity * price

    def write(self, vals):
        if self.filtered(lambda line: line.state == "consumed") and {
            "product_id",
            "quantity",
            "location_id",
        } & set(vals):
            raise UserError(self.env._("A consumed spare part cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_consumed(self):
        if any(line.state == "consumed" for line in self):
            raise UserError(self.env._("A consumed spare part has left stock and cannot be deleted."))

    def _consume(self):
        """Move the parts out of stock (done moves) and freeze their cost. Runs as superuser:
        the caller has checked the user may work on the requests."""
        consumption = self.env.ref("property_asset.stock_location_maintenance_consumption")
        Move = self.env["stock.move"].sudo()
        for line in self.filtered(lambda line: line.state == "draft"):
            location = line.location_id or line.request_id.equipment_estate_id._get_spare_part_location()
            move = Move.create(
                {
                    "name": self.env._(
                        "%(request)s: %(part)s", request=line.request_id.name, part=line.product_id.name
                    ),
                    "product_id": line.product_id.id,
                    "product_uom_qty": line.quantity,
                    "product_uom": line.product_id.uom_id.id,
                    "location_id": location.id,
                    "location_dest_id": consumption.id,
                    "company_id": line.company_id.id,
                    "origin": line.request_id.name,
                }
            )
            move._action_confirm()
            move._action_assign()
            if move.state != "assigned":
                raise UserError(
                    self.env._(
                        "Not enough %(part)s in %(location)s: %(quantity)s needed.",
                        part=line.product_id.display_name,
                        location=location.display_name,
                        quantity=line.quantity,
                    )
                )
            move.picked = True
            move._action_done()
            line.sudo().write(
                {
                    "state": "consumed",
                    "move_id": move.id,
                    "location_id": location.id,
                    "unit_cost": line.product_id.standard_price,
                }
            )
        return True
