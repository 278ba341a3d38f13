from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    property_invitation_days = fields.Integer(related="company_id.property_invitation_days", readonly=False)
