from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    property_auto_dispatch = fields.Boolean(
        string="Automatic Dispatch",
        default=True,
        help="Requests from residents, phone calls and devices are dispatched on creation when the "
        "classifier is confident and a service team covers the category. Estates may opt out.",
    )
