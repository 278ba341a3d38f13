from odoo import fields, models


class PropertyIotRule(models.Model):
    _inherit = "property.iot.rule"

    is_creating_request = fields.Boolean(
        string="Create Work Order",
        default=True,
        help="A new alarm of this rule opens a work order (source IoT).",
    )
    request_category_id = fields.Many2one(
        "property.request.category",
        string="Work Order Category",
        ondelete="set null",
        help="Category of the work orders of this rule. Empty: chosen from the device kind.",
    )
    is_request_resolving_alarm = fields.Boolean(
        string="Work Order Resolves Alarm",
        help="When the work order is done, the alarm is resolved if it is still open.",
    )
