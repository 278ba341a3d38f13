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
        day wins over the meter. Works on the whole batch: a few queries, whatever its size.

        Values the register checks held (``batch.held``: a jump outside the plausibility band,
        a rollback, a negative value) are never billed: a day with no accepted value gets a
        reading *to review* that holds the value and the reason (``iot_hold_reason``), which is
        not the base of the next readings' consumption either; a held value never replaces an
        accepted one. Approving the reading accepts the value."""
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
        latest, latest_held = {}, {}
        for device_id, ts, _msg_type, metric, value in rows:
            meter_id, register = meter_of.get(device_id, (None, None))
            if not meter_id or metric != register or value < 0:
                continue
            day = pytz.utc.localize(ts).astimezone(timezone).date()
            key = (meter_id, day)
            hold = batch.held.get((device_id, ts))
            target = latest_held if hold else latest
            if key not in target or ts > target[key][0]:
                target[key] = (ts, value, hold[1] if hold else False)
        # a held value stands for its day only when the day has no accepted value
        latest_held = {key: held for key, held in latest_held.items() if key not in latest}
        if not latest and not latest_held:
            return self.env["property.meter.reading"]
        latest.update(latest_held)
        Reading = self.env["property.meter.reading"].sudo()
        existing = {
            (reading.meter_id.id, reading.date): reading
            for reading in Reading.search_fetch(
                [
                    ("meter_id", "in", list({key[0] for key in latest})),
                    ("date", "in", list({key[1] for key in latest})),
                ],
                ["meter_id", "date", "source", "iot_ts", "bill_line_id", "iot_hold_reason", "state"],
            )
        }
        to_create, to_update = [], []
        for (meter_id, day), (ts, value, hold) in sorted(latest.items(), key=lambda item: item[0][1]):
            reading = existing.get((meter_id, day))
            if reading is None:
                to_create.append(
                    {
                        "meter_id": meter_id,
                        "date": day,
                        "value": value,
                        "source": "iot",
                        "ts": ts,
                        "hold": hold,
                    }
                )
            elif (
                reading.source == "iot"
                and not reading.bill_line_id
                and reading.state != "rejected"
                and (not reading.iot_ts or ts > reading.iot_ts)
                # a held value never replaces an accepted one
                and (not hold or reading.iot_hold_reason)
            ):
                to_update.append((reading, ts, value, hold))
        holds = {(vals["meter_id"], vals["date"]): vals.pop("hold") for vals in to_create}
        created = Reading.with_context(iot_hold_reasons=holds)._import_readings(to_create)
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
        for reading, ts, value, hold in to_update:
            # a later value of the same day: the day's reading keeps the last one
            reading.write({"value": value, "iot_ts": ts, "iot_hold_reason": hold})
            updated |= reading
        return created | updated
