import pytz

from odoo import models
from odoo.tools import SQL

from odoo.addons.property_iot.models.property_iot_device import METER_REGISTER
from odoo.addons.property_iot.models.property_iot_rule import local_timezone


class PropertyIotReading(models.Model):
    _inherit = "property.iot.reading"

    def _after_ingest(self, batch):
        res = super()._after_ingest(batch)
        self._record_billing_readings(batch)
        return res

    def _record_billing_readings(self, batch):
        """Turn the batch's meter register values into billing meter readings (source IoT).

        One reading per billing meter and local day, holding the last value of the day: a new
        day is created through ``property.meter.reading._import_readings`` (which skips a day
        that already has a reading, so a replay is harmless); a later value of a day already
        read by IoT updates that reading unless it is billed. A reading entered by hand for the
        day wins over the meter. Works on the whole batch: a few queries, whatever its size."""
        register_metrics = set(METER_REGISTER.values())
        rows = list(batch.rows_for(msg_type="telemetry", metrics=register_metrics))
        if not rows:
            return self.env["property.meter.reading"]
        devices = self.env["property.iot.device"].sudo().browse({row[0] for row in rows})
        devices.fetch(["kind", "billing_meter_id"])
        devices = devices.filtered(lambda d: d.kind in METER_REGISTER)._link_billing_meters()
        meter_of = {
            device.id: (device.billing_meter_id.id, METER_REGISTER[device.kind]) for device in devices
        }
        timezone = local_timezone(self.env)
        latest = {}
        for device_id, ts, _msg_type, metric, value in rows:
            meter_id, register = meter_of.get(device_id, (None, None))
            if not meter_id or metric != register or value < 0:
                continue
            day = pytz.utc.localize(ts).astimezone(timezone).date()
            key = (meter_id, day)
            if key not in latest or ts > latest[key][0]:
                latest[key] = (ts, value)
        if not latest:
            return self.env["property.meter.reading"]
        Reading = self.env["property.meter.reading"].sudo()
        existing = {
            (reading.meter_id.id, reading.date): reading
            for reading in Reading.search_fetch(
                [
                    ("meter_id", "in", list({key[0] for key in latest})),
                    ("date", "in", list({key[1] for key in latest})),
                ],
                ["meter_id", "date", "source", "iot_ts", "bill_line_id"],
            )
        }
        to_create, to_update = [], []
        for (meter_id, day), (ts, value) in sorted(latest.items(), key=lambda item: item[0][1]):
            reading = existing.get((meter_id, day))
            if reading is None:
                to_create.append(
                    {"meter_id": meter_id, "date": day, "value": value, "source": "iot", "ts": ts}
                )
            elif (
                reading.source == "iot"
                and not reading.bill_line_id
                and (not reading.iot_ts or ts > reading.iot_ts)
            ):
                to_update.append((reading, ts, value))
        created = Reading._import_readings(to_create)
        if created:
            stamps = {(vals["meter_id"], vals["date"]): vals["ts"] for vals in to_create}
            # the device time is not an argument of _import_readings: one UPDATE for all
            self.env.cr.execute(
                SQL(
                    """UPDATE property_meter_reading r SET iot_ts = v.ts
                         FROM unnest(%s::int[], %s::timestamp[]) AS v(id, ts) WHERE r.id = v.id""",
                    created.ids,
                    [stamps[(reading.meter_id.id, reading.date)] for reading in created],
                )
            )
            created.invalidate_recordset(["iot_ts"])
        updated = Reading.browse()
        for reading, ts, value in to_update:
            # a later value of the same day: the day's reading keeps the last one
            reading.write({"value": value, "iot_ts": ts})
            updated |= reading
        return created | updated
