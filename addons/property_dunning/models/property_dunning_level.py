from odoo import api, fields, models
from odoo.exceptions import ValidationError

CHANNELS = [("email", "Email"), ("sms", "SMS"), ("portal", "Portal Notification"), ("voice", "Voice Call")]
# names of the values a level may pass to its SMS / voice template, in the order it lists them
SMS_PARAM_NAMES = ("partner_name", "amount_due", "days_overdue", "bill_count", "date_due", "company_name")


class PropertyDunningLevel(models.Model):
    """A step of the reminder ladder: reached when a household's oldest unpaid bill is
    ``days_overdue`` days late, it is sent through each of its channels."""

    _name = "property.dunning.level"
    _description = "Dunning Level"
    _order = "days_overdue, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: used by every company.")
    days_overdue = fields.Integer(
        required=True,
        default=1,
        help="Reached when the oldest unpaid bill is at least this many days past due.",
    )
    has_email = fields.Boolean(string="Email", default=True)
    has_sms = fields.Boolean(string="SMS")
    has_portal = fields.Boolean(string="Portal Notification", default=True)
    has_voice = fields.Boolean(string="Voice Call")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "property.dunning.log")],
        ondelete="restrict",
    )
    sms_template_code = fields.Char(
        string="SMS Message Type",
        help="Message type of the gateway's approved template, e.g. dunning_reminder.",
    )
    sms_params = fields.Char(
        string="SMS Parameters",
        default="partner_name,amount_due,days_overdue",
        help="Comma-separated, in the template's order. Available: " + ", ".join(SMS_PARAM_NAMES),
    )
    voice_template_code = fields.Char(string="Voice Message Type")
    log_count = fields.Integer(compute="_compute_log_count", string="Reminders")

    @api.constrains("days_overdue")
    def _check_days_overdue(self):
        if any(level.days_overdue < 1 for level in self):
            raise ValidationError(self.env._("A dunning level starts at least one day after the due date."))

    @api.constrains("sms_params")
    def _check_sms_params(self):
        for level in self:
            unknown = set(level._get_sms_param_names()) - set(SMS_PARAM_NAMES)
            if unknown:
                raise ValidationError(
                    self.env._("Unknown SMS parameters: %(names)s", names=", ".join(sorted(unknown)))
                )

    @api.constrains("has_email", "mail_template_id")
    def _check_mail_template(self):
        if any(level.has_email and not level.mail_template_id for level in self):
            raise ValidationError(self.env._("A level that sends emails needs an email template."))

    def _compute_log_count(self):
        counts = dict(
            self.env["property.dunning.log"]._read_group(
                [("level_id", "in", self.ids)], ["level_id"], ["__count"]
            )
        )
        for level in self:
            level.log_count = counts.get(level, 0)

    def _get_sms_param_names(self):
        self.ensure_one()
        return [name.strip() for name in (self.sms_params or "").split(",") if name.strip()]

    def _get_channels(self):
        """The channels this level sends through, in a fixed order."""
        self.ensure_one()
        return [code for code, __ in CHANNELS if self[f"has_{code}"]]
