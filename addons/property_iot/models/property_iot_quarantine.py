from odoo import fields, models


class PropertyIotQuarantine(models.Model):
    """A message the bridge refused: kept with the reason, acknowledged, never retried.

    Written by the bridge in one ``create`` per batch; read by managers to find broken
    devices, wrong topics or garbage."""

    _name = "property.iot.quarantine"
    _description = "IoT Quarantined Message"
    _order = "received_at desc, id desc"
    _rec_name = "topic"

    topic = fields.Char(required=True, readonly=True, index=True)
    payload = fields.Text(readonly=True)
    reason = fields.Char(required=True, readonly=True)
    received_at = fields.Datetime(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, help="Empty when the device is unknown.")
    is_reviewed = fields.Boolean(string="Reviewed")

    def action_mark_reviewed(self):
        self.is_reviewed = True
