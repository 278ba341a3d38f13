from datetime import timedelta

from odoo import api, models

DEFAULT_INTERVAL_MINUTES = 60


class PropertyIotUsageCounter(models.Model):
    _inherit = "property.iot.usage.counter"

    def _on_usage_updated(self):
        res = super()._on_usage_updated()
        self._record_asset_usage()
        return res

    @api.model
    def _get_usage_interval(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("property_iot_asset.usage_interval_minutes", DEFAULT_INTERVAL_MINUTES)
        )
        return timedelta(minutes=float(value))

    def _record_asset_usage(self):
        """Record the counters on their equipment (``property.equipment.counter.reading``
        through ``_record_usage``, which generates the requests of the usage plans due).

        A controller reports every minute or so; an equipment counter reading is recorded when
        the last IoT reading of that counter is older than the configured interval
        (``property_iot_asset.usage_interval_minutes``, 60 by default), or at once when the
        value reaches the next due usage of one of the equipment's usage plans. A value lower
        than the equipment's counter (a controller reset) is skipped: counters never go back."""
        counters = self.sudo().filtered(lambda c: c.equipment_id and c.last_update)
        if not counters:
            return self.env["property.equipment.counter.reading"]
        equipments = counters.equipment_id
        CounterReading = self.env["property.equipment.counter.reading"].sudo()
        last_iot = {
            (equipment.id, counter_type): date
            for equipment, counter_type, date in CounterReading._read_group(
                [("equipment_id", "in", equipments.ids), ("source", "=", "iot")],
                ["equipment_id", "counter_type"],
                ["date:max"],
            )
        }
        due = {}
        for plan in (
            self.env["maintenance.plan"]
            .sudo()
            .search([("equipment_id", "in", equipments.ids), ("trigger_type", "=", "usage")])
        ):
            # the next threshold of the plan that has no request yet
            done = plan._get_generated_requests().mapped("plan_due_usage")
            threshold = max(done + [plan.usage_start]) + plan.usage_interval
            key = (plan.equipment_id.id, plan.counter_type)
            due[key] = min(due.get(key, threshold), threshold)
        interval = self._get_usage_interval()
        readings = CounterReading.browse()
        for counter in counters:
            equipment = counter.equipment_id
            key = (equipment.id, counter.counter_type)
            if counter.value < equipment._get_counter_value(counter.counter_type):
                continue
            last = last_iot.get(key)
            if last and counter.last_update <= last:
                continue
            if last and counter.last_update - last < interval and counter.value < due.get(key, float("inf")):
                continue
            readings |= CounterReading._record_usage(
                equipment, counter.counter_type, counter.value, counter.last_update, source="iot"
            )
        return readings
