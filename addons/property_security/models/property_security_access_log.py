from odoo import api, fields, models

DIRECTIONS = [("entry", "Entry"), ("exit", "Exit")]
CREDENTIALS = [
    ("qr", "QR Pass"),
    ("face", "Face Recognition"),
    ("plate", "Vehicle Plate"),
    ("manual", "Checked by the Guard"),
]


class PropertySecurityAccessLog(models.Model):
    """Every entry and exit, allowed or refused: who, when, which gate, how, why not."""

    _name = "property.security.access.log"
    _description = "Gate Access Log"
    _order = "date desc, id desc"
    _check_company_auto = True

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, readonly=True)
    gate_id = fields.Many2one(
        "property.security.gate", required=True, index=True, ondelete="restrict", readonly=True
    )
    estate_id = fields.Many2one(related="gate_id.estate_id", store=True, index=True)
    company_id = fields.Many2one(related="gate_id.company_id", store=True, index=True)
    direction = fields.Selection(DIRECTIONS, required=True, default="entry", readonly=True)
    credential = fields.Selection(CREDENTIALS, required=True, default="qr", readonly=True)
    is_allowed = fields.Boolean(string="Allowed", readonly=True)
    reason = fields.Char(readonly=True, help="Why the passage was refused.")
    visitor_id = fields.Many2one("property.security.visitor", index=True, ondelete="set null", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Resident", index=True, readonly=True)
    plate = fields.Char(readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Checked By", default=lambda self: self.env.uid, readonly=True
    )
    passage_count = fields.Integer(
        default=1, readonly=True, help="1 per line: sums to visitor volumes in reports."
    )

    @api.depends("gate_id", "direction", "date")
    def _compute_display_name(self):
        directions = dict(self._fields["direction"]._description_selection(self.env))
        for log in self:
            log.display_name = (
                f"{log.gate_id.name or ''} · {directions.get(log.direction, '')} · {log.date or ''}"
            )

    @api.model
    def _log(
        self,
        gate,
        direction,
        credential,
        *,
        allowed,
        reason=None,
        visitor=None,
        partner=None,
        at=None,
        plate=None,
    ):
        return self.create(
            {
                "gate_id": gate.id,
                "direction": direction,
                "credential": credential,
                "is_allowed": allowed,
                "reason": reason or False,
                "visitor_id": visitor.id if visitor else False,
                "partner_id": partner.id if partner else False,
                "date": at or fields.Datetime.now(),
                "plate": plate,
            }
        )
