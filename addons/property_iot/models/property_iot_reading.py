from odoo import api, fields, models
from odoo.tools import SQL

MSG_TYPES = [("telemetry", "Telemetry"), ("event", "Event")]


class PropertyIotReading(models.Model):
    """One value of one device at one time: the append-only table the bridge writes.

    The table is written with raw SQL by the bridge (``services/ingest.py``: one
    ``INSERT … ON CONFLICT DO NOTHING`` per batch) because the ORM cannot keep up with
    thousands of messages a second; the model exists to read it (views, record rules,
    reports). No ``create_uid``/``write_date`` columns: a reading is never edited.

    Extension point: :meth:`_after_ingest` is called once per stored batch, in the batch's
    transaction, before the commit and the acknowledgement of the messages.
    """

    _name = "property.iot.reading"
    _description = "IoT Reading"
    _log_access = False
    _order = "ts desc, id desc"
    _rec_name = "metric"

    device_id = fields.Many2one("property.iot.device", required=True, ondelete="cascade", readonly=True)
    kind = fields.Selection(related="device_id.kind")
    estate_id = fields.Many2one(related="device_id.estate_id")
    company_id = fields.Many2one(related="device_id.company_id")
    ts = fields.Datetime(string="Time", required=True, readonly=True, help="Device time, in UTC.")
    seq = fields.Integer(string="Sequence", readonly=True, aggregator=False)
    msg_type = fields.Selection(MSG_TYPES, string="Type", required=True, readonly=True)
    metric = fields.Char(required=True, readonly=True)
    value = fields.Float(readonly=True, aggregator="avg")
    stored_at = fields.Datetime(readonly=True, help="When the bridge inserted the reading.")
    batch_id = fields.Integer(readonly=True, aggregator=False)
    held_reason = fields.Char(
        string="Held for Review",
        readonly=True,
        help="A meter register value that failed the register checks (jump outside the "
        "plausibility band, rollback, negative value): kept, never billed.",
    )

    def init(self):
        # (device, metric, ts) identifies a reading: a QoS1 redelivery is ignored, and the index
        # serves "the last N values of this metric of this device" for the rules.
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS property_iot_reading_device_metric_ts_uniq
                       ON property_iot_reading (device_id, metric, ts)"""
            )
        )
        self.env.cr.execute(
            SQL("CREATE INDEX IF NOT EXISTS property_iot_reading_ts_idx ON property_iot_reading (ts)")
        )
        self.env.cr.execute(SQL("CREATE SEQUENCE IF NOT EXISTS property_iot_batch_seq"))

    @api.model
    def _after_ingest(self, batch):
        """Called once per stored batch (an ``IngestBatch``), before its commit.

        Override it, call ``super()``, and work on ``batch.rows`` in batch: the billing bridge
        turns meter rows into meter readings here. Never one query per row. After ``super()``,
        ``batch.held`` holds the meter register values held for review,
        ``{(device_id, ts): (value, reason)}``: never bill them."""
        batch.held = self.env["property.iot.device"]._check_registers(batch)
        self.env["property.iot.rule"]._evaluate_batch(batch)
        self.env["property.iot.usage.counter"]._update_from_batch(batch)
        return True
