from collections import defaultdict

from odoo import api, fields, models

COUNTER_TYPES = [("running_hours", "Running Hours"), ("cycles", "Cycles")]
# telemetry metrics of elevator controllers that are cumulative usage counters
COUNTER_METRICS = {"running_hours": "running_hours", "cycles": "cycles"}


class PropertyIotUsageCounter(models.Model):
    """The latest cumulative usage of an equipment, reported by its controller.

    Updated in batch after each ingest batch from the ``running_hours`` and ``cycles``
    telemetry of devices attached to an equipment. Extension point: :meth:`_on_usage_updated`
    is called on the counters that changed; the property_asset bridge feeds its usage-based
    maintenance plans from there."""

    _name = "property.iot.usage.counter"
    _description = "IoT Usage Counter"
    _order = "equipment_id, counter_type"
    _check_company_auto = True

    equipment_id = fields.Many2one("maintenance.equipment", required=True, index=True, ondelete="cascade")
    device_id = fields.Many2one("property.iot.device", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="device_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="device_id.estate_id", store=True, index=True)
    counter_type = fields.Selection(COUNTER_TYPES, required=True)
    value = fields.Float(digits=(16, 2), aggregator="max")
    last_update = fields.Datetime(help="Device time of the latest value.")

    _sql_constraints = [
        ("device_type_uniq", "unique(device_id, counter_type)", "One counter per device and type."),
    ]

    @api.model
    def _update_from_batch(self, batch):
        latest = {}
        for device_id, ts, _msg_type, metric, value in batch.rows_for(
            msg_type="telemetry", metrics=COUNTER_METRICS
        ):
            key = (device_id, COUNTER_METRICS[metric])
            if key not in latest or ts > latest[key][0]:
                latest[key] = (ts, value)
        if not latest:
            return self.browse()
        devices = (
            self.env["property.iot.device"].sudo().browse({k[0] for k in latest}).filtered("equipment_id")
        )
        if not devices:
            return self.browse()
        counters = self.sudo().search([("device_id", "in", devices.ids)])
        by_key = {(c.device_id.id, c.counter_type): c for c in counters}
        changed, to_create = self.sudo().browse(), []
        for device in devices:
            for counter_type, _label in COUNTER_TYPES:
                if (device.id, counter_type) not in latest:
                    continue
                ts, value = latest[(device.id, counter_type)]
                counter = by_key.get((device.id, counter_type))
                if counter is None:
                    to_create.append(
                        {
                            "equipment_id": device.equipment_id.id,
                            "device_id": device.id,
                            "counter_type": counter_type,
                            "value": value,
                            "last_update": ts,
                        }
                    )
                elif not counter.last_update or ts > counter.last_update:
                    counter.write({"value": value, "last_update": ts})
                    changed |= counter
        changed |= self.sudo().create(to_create)
        if changed:
            changed._on_usage_updated()
        return changed

    def _on_usage_updated(self):
        """Called on the counters a batch changed. Override in the property_asset bridge."""
        return True

    @api.model
    def _totals_by_equipment(self, equipments):
        """{equipment: {counter_type: value}}."""
        totals = defaultdict(dict)
        for equipment, counter_type, value in self._read_group(
            [("equipment_id", "in", equipments.ids)], ["equipment_id", "counter_type"], ["value:max"]
        ):
            totals[equipment][counter_type] = value
        return totals
