from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_property_spare_part = fields.Boolean(
        string="Spare Part",
        index=True,
        help="Offered to technicians as material on service requests.",
    )
