from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    property_sms_gateway_id = fields.Many2one(
        related="company_id.property_sms_gateway_id", readonly=False, check_company=True
    )
