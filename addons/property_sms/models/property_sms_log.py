from odoo import fields, models


class PropertySmsLog(models.Model):
    """One message to one number through a gateway: what was sent and what the provider said."""

    _name = "property.sms.log"
    _description = "SMS Gateway Log"
    _order = "id desc"

    gateway_id = fields.Many2one("property.sms.gateway", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="gateway_id.company_id", store=True, index=True)
    channel = fields.Selection([("sms", "SMS"), ("voice", "Voice Call")], required=True, default="sms")
    number = fields.Char(required=True)
    template_code = fields.Char(string="Message Type")
    params = fields.Char(string="Parameters", help="Template parameters (JSON list).")
    body = fields.Text()
    state = fields.Selection([("sent", "Sent"), ("error", "Error")], required=True, index=True)
    result_code = fields.Char(help="Provider's result code, e.g. Ok.")
    provider_ref = fields.Char(string="Provider Reference")
