from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    property_labour_rate = fields.Float(
        string="Maintenance Labour Rate (per hour)",
        digits="Product Price",
        default=80.0,
        help="Cost of one technician hour, used for the labour cost of maintenance requests.",
    )
