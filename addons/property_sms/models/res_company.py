from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    property_sms_gateway_id = fields.Many2one(
        "property.sms.gateway",
        string="Property SMS Gateway",
        check_company=True,
        help="When set, the company's SMS go through this gateway instead of Odoo's IAP service.",
    )
