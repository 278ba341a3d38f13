from odoo import api, fields, models


class PropertyPaymentNotification(models.Model):
    """A verified gateway notification, kept to deduplicate on the gateway's event id.

    Only notifications whose signature was verified are recorded, so a forger cannot burn
    event ids. The unique key (provider, event id) makes a repeated delivery a no-op.
    """

    _name = "property.payment.notification"
    _description = "Payment Gateway Notification"
    _order = "received_at desc, id desc"
    _rec_name = "event_id"

    provider_id = fields.Many2one(comodel_name="payment.provider", required=True, ondelete="cascade")
    provider_code = fields.Selection(related="provider_id.code")
    company_id = fields.Many2one(related="provider_id.company_id", store=True, index=True)
    event_id = fields.Char(string="Event ID", required=True, index=True, readonly=True)
    event_type = fields.Char(readonly=True)
    transaction_id = fields.Many2one(
        comodel_name="payment.transaction",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
    )
    reference = fields.Char(string="Order Number", readonly=True)
    received_at = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    summary = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "event_uniq",
            "unique(provider_id, event_id)",
            "A gateway notification is recorded only once per provider.",
        ),
    ]

    @api.model
    def _register_event(self, provider, event_id, event_type=None, reference=None):
        """Record a verified notification; return the new record, or False if it was already
        received (the caller must then acknowledge it without processing it again)."""
        if self.search_count([("provider_id", "=", provider.id), ("event_id", "=", event_id)], limit=1):
            return False
        return self.create(
            {
                "provider_id": provider.id,
                "event_id": event_id,
                "event_type": event_type,
                "reference": reference,
            }
        )
