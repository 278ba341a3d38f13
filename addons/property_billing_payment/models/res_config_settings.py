from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    property_bill_payment_test_mode = fields.Boolean(
        related="company_id.property_bill_payment_test_mode", readonly=False
    )
