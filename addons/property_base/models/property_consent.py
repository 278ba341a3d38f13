from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

CONSENT_PURPOSES = [
    ("personal_data", "Processing of Personal Data"),
    ("sensitive_data", "Sensitive Personal Data (ID Card)"),
    ("marketing", "Marketing Messages"),
    ("face_recognition", "Face Recognition"),
    ("wechat", "WeChat Notifications"),
    ("third_party", "Sharing with Third Parties"),
]
CONSENT_CHANNELS = [
    ("paper", "Signed Paper Form"),
    ("portal", "Resident Portal"),
    ("wechat", "WeChat"),
    ("phone", "Phone Call (Recorded)"),
    ("in_person", "In Person at the Front Desk"),
]


class PropertyConsent(models.Model):
    """One consent of one resident for one purpose (PIPL art. 14): what, when, how.

    A withdrawn consent stays as history; giving it again creates a new record."""

    _name = "property.consent"
    _description = "Personal Data Consent"
    _inherit = ["mail.thread"]
    _order = "date_given desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Resident", required=True, index=True, ondelete="cascade", tracking=True
    )
    purpose = fields.Selection(CONSENT_PURPOSES, required=True, tracking=True)
    channel = fields.Selection(CONSENT_CHANNELS, required=True, default="in_person", tracking=True)
    date_given = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    evidence = fields.Char(help="Reference to the signed form, recording or portal log.")
    state = fields.Selection(
        [("given", "Given"), ("withdrawn", "Withdrawn")],
        required=True,
        default="given",
        tracking=True,
    )
    date_withdrawn = fields.Datetime(readonly=True, tracking=True)
    withdrawal_channel = fields.Selection(CONSENT_CHANNELS, readonly=True, tracking=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)

    @api.constrains("partner_id", "purpose", "state")
    def _check_one_active(self):
        for consent in self.filtered(lambda c: c.state == "given"):
            if self.search_count(
                [
                    ("partner_id", "=", consent.partner_id.id),
                    ("purpose", "=", consent.purpose),
                    ("state", "=", "given"),
                    ("id", "!=", consent.id),
                ]
            ):
                raise ValidationError(
                    self.env._(
                        "%(partner)s has already given this consent (%(purpose)s).",
                        partner=consent.partner_id.name,
                        purpose=dict(CONSENT_PURPOSES)[consent.purpose],
                    )
                )

    @api.depends("partner_id", "purpose")
    def _compute_display_name(self):
        purposes = dict(self._fields["purpose"]._description_selection(self.env))
        for consent in self:
            consent.display_name = f"{consent.partner_id.name or ''} · {purposes.get(consent.purpose, '')}"

    def action_withdraw(self, channel="in_person"):
        for consent in self:
            if consent.state != "given":
                raise UserError(self.env._("Consent %s is already withdrawn.", consent.display_name))
        self.write(
            {"state": "withdrawn", "date_withdrawn": fields.Datetime.now(), "withdrawal_channel": channel}
        )
        return True

    def write(self, vals):
        # A consent is evidence: what was given, when and how cannot be edited afterwards.
        frozen = {"partner_id", "purpose", "channel", "date_given"} & set(vals)
        if frozen and not self.env.su:
            raise UserError(
                self.env._("A recorded consent cannot be edited; withdraw it and record a new one.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        if not self.env.su:
            raise UserError(self.env._("Consents are evidence and cannot be deleted; withdraw them instead."))
