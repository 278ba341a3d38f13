from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    property_auto_dispatch = fields.Boolean(
        string="Automatic Dispatch",
        default=True,
        help="Requests from residents, phone calls and devices are dispatched on creation when the "
        "classifier is confident and a service team covers the category. Estates may opt out.",
    )
    property_request_require_after_photo = fields.Boolean(
        string="Require an After-Photo",
        help="A service request can only be marked done with at least one photo after the work.",
    )
    property_request_require_signature = fields.Boolean(
        string="Require the Resident's Signature",
        help="A service request can only be marked done once the resident has signed on site.",
    )
