from odoo import api, fields, models
from odoo.tools import SQL

# the bridge's redelivery counters are kept this long after their message's last delivery
DELIVERY_RETENTION_DAYS = 2


class PropertyIotQuarantine(models.Model):
    """A message the bridge refused: kept with the reason, acknowledged, never retried.

    Written by the bridge in one ``create`` per batch; read by managers to find broken
    devices, wrong topics or garbage. A *parked* message is one the broker delivered too many
    times without the bridge acknowledging it (a message that kills the worker that reads it):
    it is stored here as it came and acknowledged, so that it cannot stall the stream.

    The table ``property_iot_delivery`` (created here, written only by the bridge) counts the
    redeliveries of messages by a hash of their topic and payload, in transactions of its own
    so that the count survives the death of a worker."""

    _name = "property.iot.quarantine"
    _description = "IoT Quarantined Message"
    _order = "received_at desc, id desc"
    _rec_name = "topic"

    topic = fields.Char(required=True, readonly=True, index=True)
    payload = fields.Text(
        readonly=True, help="As received; NUL, control characters and invalid UTF-8 escaped."
    )
    reason = fields.Char(required=True, readonly=True)
    received_at = fields.Datetime(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, help="Empty when the device is unknown.")
    is_reviewed = fields.Boolean(string="Reviewed")
    is_parked = fields.Boolean(
        string="Parked",
        readonly=True,
        help="Delivered by the broker too many times without being stored: set aside unprocessed.",
    )
    delivery_count = fields.Integer(string="Deliveries", readonly=True, default=1)

    def init(self):
        self.env.cr.execute(
            SQL(
                """CREATE TABLE IF NOT EXISTS property_iot_delivery (
                       key bytea PRIMARY KEY,
                       redeliveries int4 NOT NULL DEFAULT 0,
                       last_seen timestamp NOT NULL DEFAULT (now() at time zone 'UTC'))"""
            )
        )

    def action_mark_reviewed(self):
        self.is_reviewed = True

    @api.model
    def _cron_clean_deliveries(self):
        """Forget the redelivery counters of messages not seen for a while."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM property_iot_delivery WHERE last_seen < (now() at time zone 'UTC') - %s::interval",
                f"{DELIVERY_RETENTION_DAYS} days",
            )
        )
        return True
