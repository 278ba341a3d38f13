from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    property_classifier_threshold = fields.Float(
        string="Classifier Confidence Threshold",
        config_parameter="property_workorder.classifier_threshold",
        default=0.5,
        help="Below this confidence the suggested category is not applied and the request is "
        "flagged 'needs triage' for a person.",
    )
    property_auto_dispatch = fields.Boolean(
        related="company_id.property_auto_dispatch",
        readonly=False,
        string="Automatic Dispatch",
    )
    property_escalation_delay_hours = fields.Float(
        string="Escalation Delay (h)",
        config_parameter="property_workorder.escalation_delay_hours",
        default=2.0,
        help="Hours after the escalation to the team leader before a breached request goes to the manager.",
    )
    property_request_require_after_photo = fields.Boolean(
        related="company_id.property_request_require_after_photo", readonly=False
    )
    property_request_require_signature = fields.Boolean(
        related="company_id.property_request_require_signature", readonly=False
    )
