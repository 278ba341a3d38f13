from odoo import fields, models


class PropertySmsGatewayTemplate(models.Model):
    """Which pre-approved provider template a message type uses on one gateway.

    Chinese carriers only deliver signed, pre-approved templates: the suite sends a message
    type (``code``, e.g. ``dunning_reminder``) with positional parameters, and the gateway
    translates the code into the provider's template id."""

    _name = "property.sms.gateway.template"
    _description = "SMS Gateway Template"
    _order = "gateway_id, code"

    gateway_id = fields.Many2one("property.sms.gateway", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="gateway_id.company_id", store=True)
    code = fields.Char(
        string="Message Type", required=True, help="Code used by the suite, e.g. dunning_reminder."
    )
    provider_template_id = fields.Char(
        string="Provider Template ID", required=True, help="Template id approved by the provider."
    )
    content = fields.Char(
        help="Approved wording with positional placeholders {1}, {2}…; used for previews and the log."
    )

    _sql_constraints = [
        ("gateway_code_uniq", "unique(gateway_id, code)", "A message type has one template per gateway."),
    ]
