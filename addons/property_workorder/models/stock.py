from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    property_request_id = fields.Many2one(
        "property.request", string="Service Request", index=True, readonly=True
    )


class StockMove(models.Model):
    _inherit = "stock.move"

    property_request_material_id = fields.Many2one(
        "property.request.material", string="Request Material", index=True, readonly=True
    )
