from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime

from ..services import schema

DEVICE_KINDS = [
    ("water_meter", "Water Meter"),
    ("electricity_meter", "Electricity Meter"),
    ("gas_meter", "Gas Meter"),
    ("smoke_detector", "Smoke Detector"),
    ("temperature_sensor", "Temperature & Humidity Sensor"),
    ("leak_sensor", "Water-Leak Sensor"),
    ("elevator_controller", "Elevator Controller"),
    ("access_reader", "Access-Control Reader"),
]
METER_KINDS = {"water_meter": "water", "electricity_meter": "electricity", "gas_meter": "gas"}
METER_TYPES = [("water", "Water"), ("electricity", "Electricity"), ("gas", "Gas")]
# the cumulative register a meter reports in its telemetry: m³ for water and gas, kWh for power
METER_REGISTER = {"water_meter": "volume", "electricity_meter": "energy", "gas_meter": "volume"}
# largest plausible consumption per hour by kind (m³/h, kWh/h): a household's DN15 water meter
# passes 3 m³/h at most, a gas meter 6 m³/h, a 60 A supply 13 kW
DEFAULT_MAX_HOURLY = {"water_meter": 3.0, "gas_meter": 6.0, "electricity_meter": 30.0}
# the band is never narrower than this many hours of the largest consumption: two readings a
# few seconds apart still leave room for a real flow
MIN_BAND_HOURS = 0.25
DEVICE_STATUSES = [("online", "Online"), ("offline", "Offline"), ("fault", "Fault")]


class PropertyIotDevice(models.Model):
    _name = "property.iot.device"
    _description = "IoT Device"
    _inherit = ["property.location.mixin", "mail.thread"]
    _order = "estate_id, kind, identifier"
    _rec_names_search = ["name", "identifier"]
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    identifier = fields.Char(
        string="Device ID",
        required=True,
        index=True,
        tracking=True,
        help="The id the device uses in its MQTT topic and as its broker user name.",
    )
    kind = fields.Selection(DEVICE_KINDS, required=True, tracking=True)
    meter_type = fields.Selection(METER_TYPES, compute="_compute_meter_type", store=True)
    active = fields.Boolean(default=True)
    estate_id = fields.Many2one(required=True)
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        index=True,
        ondelete="restrict",
        tracking=True,
        help="The equipment the device watches, e.g. the elevator of an elevator controller.",
    )
    topic = fields.Char(compute="_compute_topic", help="Topic prefix: append /telemetry, /event or /status.")
    last_seen = fields.Datetime(readonly=True)
    status = fields.Selection(DEVICE_STATUSES, default="offline", required=True, readonly=True, tracking=True)
    alarm_ids = fields.One2many("property.iot.alarm", "device_id", string="Alarms")
    open_alarm_count = fields.Integer(compute="_compute_open_alarm_count")
    note = fields.Text()
    # meter register checks (see _check_registers)
    register_size = fields.Float(
        digits=(16, 3),
        tracking=True,
        help="The meter's register rolls over to zero at this value, e.g. 100000 for five digits. "
        "Zero: it never rolls over, a lower value is a rollback.",
    )
    max_hourly_consumption = fields.Float(
        string="Plausible Consumption per Hour",
        compute="_compute_max_hourly_consumption",
        store=True,
        readonly=False,
        digits=(16, 3),
        tracking=True,
        help="Plausibility band of the register: between two readings it may grow by at most this "
        "much per hour (at least a quarter of an hour's worth). A larger jump, a rollback or a "
        "negative value is held for review: never billed, and it raises the register alarm. "
        "Zero: no upper limit.",
    )
    register_value = fields.Float(
        string="Accepted Register",
        readonly=True,
        digits=(16, 3),
        help="The last register value that passed the checks: the next one is compared with it.",
    )
    register_ts = fields.Datetime(string="Accepted Register Time", readonly=True)

    _sql_constraints = [
        ("identifier_uniq", "unique(identifier)", "A device id must be unique."),
        ("register_size_positive", "CHECK(register_size >= 0)", "The register size cannot be negative."),
        (
            "max_hourly_consumption_positive",
            "CHECK(max_hourly_consumption >= 0)",
            "The plausible consumption cannot be negative.",
        ),
    ]

    @api.depends("kind")
    def _compute_max_hourly_consumption(self):
        for device in self:
            if not device.max_hourly_consumption or device.kind not in DEFAULT_MAX_HOURLY:
                device.max_hourly_consumption = DEFAULT_MAX_HOURLY.get(device.kind, 0.0)

    @api.depends("kind")
    def _compute_meter_type(self):
        for device in self:
            device.meter_type = METER_KINDS.get(device.kind, False)

    @api.depends("estate_id.code", "identifier")
    def _compute_topic(self):
        for device in self:
            code = device.estate_id.code
            device.topic = (
                f"{schema.TOPIC_ROOT}/{code}/{device.identifier}" if code and device.identifier else False
            )

    def _compute_open_alarm_count(self):
        counts = dict(
            self.env["property.iot.alarm"]._read_group(
                [("device_id", "in", self.ids), ("state", "!=", "resolved")], ["device_id"], ["__count"]
            )
        )
        for device in self:
            device.open_alarm_count = counts.get(device, 0)

    @api.constrains("identifier", "estate_id")
    def _check_identifier(self):
        for device in self:
            if not schema.SEGMENT_RE.fullmatch(device.identifier or ""):
                raise ValidationError(
                    self.env._(
                        "Device id %s may hold only letters, digits, '.', '_' and '-' (no spaces, no '/').",
                        device.identifier,
                    )
                )
            if not schema.SEGMENT_RE.fullmatch(device.estate_id.code or ""):
                raise ValidationError(
                    self.env._(
                        "The code of estate %s cannot be used in an MQTT topic.", device.estate_id.name
                    )
                )

    @api.constrains("kind", "unit_id")
    def _check_meter_unit(self):
        for device in self:
            if device.kind in METER_KINDS and not device.unit_id:
                raise ValidationError(self.env._("Meter %s must be attached to a unit.", device.name))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_has_readings(self):
        self.env.cr.execute(
            "SELECT 1 FROM property_iot_reading WHERE device_id = ANY(%s) LIMIT 1", [self.ids]
        )
        if self.env.cr.fetchone():
            raise UserError(self.env._("Devices that have readings cannot be deleted: archive them instead."))

    def action_view_readings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_iot.property_iot_reading_action")
        action["domain"] = [("device_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_alarms(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_iot.property_iot_alarm_action")
        action["domain"] = [("device_id", "=", self.id)]
        action["context"] = {}
        return action

    # meter register checks ---------------------------------------------------------------
    @api.model
    def _check_registers(self, batch):
        """Check the meters' register values of an ingest batch; return the held ones as
        ``{(device_id, ts): (value, reason)}``.

        A register value must be at least the last accepted one (``register_value``), or have
        rolled over at ``register_size``; and it may grow by at most
        ``max_hourly_consumption`` × the hours since (never less than a quarter of an hour's
        worth). A jump beyond that band, a rollback and a negative value are held: marked on
        the reading, never billed, and they raise the register alarm; the accepted register
        stays where it was. Values older than the accepted register are not judged. The meters
        of the batch are locked (``FOR UPDATE``): two bridge workers check one meter in turn.
        Three queries when the batch has meter values, none otherwise."""
        registers = set(METER_REGISTER.values())
        rows = [row for row in batch.rows if row[2] == "telemetry" and row[3] in registers]
        if not rows:
            return {}
        self.flush_model(["kind", "register_size", "max_hourly_consumption", "register_value", "register_ts"])
        self.env.cr.execute(
            SQL(
                """SELECT id, kind, register_size, max_hourly_consumption, register_value, register_ts
                     FROM property_iot_device WHERE id = ANY(%s) AND kind IN %s ORDER BY id FOR UPDATE""",
                list({row[0] for row in rows}),
                tuple(METER_REGISTER),
            )
        )
        meters = {row[0]: list(row[1:]) for row in self.env.cr.fetchall()}
        held, accepted = {}, {}
        for device_id, ts, _msg_type, metric, value in sorted(rows, key=lambda r: r[1]):
            meter = meters.get(device_id)
            if meter is None or metric != METER_REGISTER[meter[0]]:
                continue
            reason = self._check_register_value(meter, ts, value)
            if reason:
                held[(device_id, ts)] = (value, reason)
            elif meter[4] is None or ts > meter[4]:
                meter[3], meter[4] = value, ts
                accepted[device_id] = (value, ts)
        if accepted:
            ids = list(accepted)
            self.env.cr.execute(
                SQL(
                    """UPDATE property_iot_device d SET register_value = v.value, register_ts = v.ts
                         FROM unnest(%s::int[], %s::float8[], %s::timestamp[]) AS v(id, value, ts)
                        WHERE d.id = v.id""",
                    ids,
                    [accepted[i][0] for i in ids],
                    [accepted[i][1] for i in ids],
                )
            )
            self.invalidate_model(["register_value", "register_ts"])
        if held:
            keys = list(held)
            self.env.cr.execute(
                SQL(
                    """UPDATE property_iot_reading r SET held_reason = v.reason
                         FROM unnest(%s::int[], %s::varchar[], %s::timestamp[], %s::varchar[])
                              AS v(device_id, metric, ts, reason)
                        WHERE r.device_id = v.device_id AND r.metric = v.metric AND r.ts = v.ts""",
                    [k[0] for k in keys],
                    [METER_REGISTER[meters[k[0]][0]] for k in keys],
                    [k[1] for k in keys],
                    [held[k][1] for k in keys],
                )
            )
            self.env["property.iot.reading"].invalidate_model(["held_reason"])
        return held

    def _check_register_value(self, meter, ts, value):
        """The reason to hold a register value, or None. ``meter``: [kind, register_size,
        max_hourly, accepted value, accepted ts]."""
        _kind, size, max_hourly, last_value, last_ts = meter
        if value < 0:
            return self.env._("Negative register value %s", _fmt(value))
        if last_ts is None:
            return None  # the first value is the baseline
        if ts <= last_ts:
            return None  # late or repeated: not judged, not used
        hours = (ts - last_ts).total_seconds() / 3600.0
        allowed = max_hourly * max(hours, MIN_BAND_HOURS) if max_hourly else float("inf")
        delta = value - last_value
        if delta < 0 and size and value < size:
            wrapped = size - last_value + value
            if 0 <= wrapped <= allowed:
                return None  # rolled over at the register size
        if delta < 0:
            return self.env._(
                "Register went back from %(last)s to %(value)s (rollback or negative consumption)",
                last=_fmt(last_value),
                value=_fmt(value),
            )
        if delta > allowed:
            return self.env._(
                "Register jumped from %(last)s to %(value)s in %(hours)s h: more than the plausible %(allowed)s",
                last=_fmt(last_value),
                value=_fmt(value),
                hours=_fmt(round(hours, 2)),
                allowed=_fmt(round(allowed, 3)),
            )
        return None

    def action_accept_register(self):
        """Take the meter's last register value as the accepted one (after a meter
        replacement, or a jump a person checked): the next values are compared with it."""
        self.ensure_one()
        metric = METER_REGISTER.get(self.kind)
        if not metric:
            raise UserError(self.env._("Only meters have a register."))
        last = self.env["property.iot.reading"].search(
            [("device_id", "=", self.id), ("metric", "=", metric), ("msg_type", "=", "telemetry")],
            order="ts desc",
            limit=1,
        )
        if not last:
            raise UserError(self.env._("Meter %s has no reading yet.", self.name))
        self.sudo().write({"register_value": last.value, "register_ts": last.ts})
        self.message_post(
            body=self.env._(
                "Register %(value)s of %(ts)s accepted by hand.",
                value=_fmt(last.value),
                ts=format_datetime(self.env, last.ts),  # in the user's time zone, not UTC
            )
        )
        return True

    @api.model
    def _cron_check_offline(self):
        """Devices silent for longer than their offline rule allows: offline, with an alarm."""
        return self.env["property.iot.rule"]._evaluate_offline()

    @api.model
    def _load_demo_data(self):
        """A few devices per demo estate, an elevator with its equipment, 30 days of meter data."""
        import random
        from datetime import timedelta

        from psycopg2.extras import execute_values

        rng = random.Random(6)
        devices = self.browse()
        for code in ("ch", "jy"):
            estate = self.env.ref(f"property_base.estate_{code}_demo", raise_if_not_found=False)
            building = self.env.ref(f"property_base.building_{code}_1_demo", raise_if_not_found=False)
            if not estate or not building:
                continue
            units = self.env["property.unit"].search([("building_id", "=", building.id)], limit=2)
            elevator = self.env["maintenance.equipment"].create(
                {"name": f"{building.name} 1号电梯", "company_id": estate.company_id.id}
            )
            prefix = estate.code.lower()
            vals = [
                {
                    "name": f"{building.name} 1号电梯控制器",
                    "identifier": f"{prefix}-elev-1",
                    "kind": "elevator_controller",
                    "estate_id": estate.id,
                    "building_id": building.id,
                    "equipment_id": elevator.id,
                },
                {
                    "name": f"{building.name} 大堂烟感",
                    "identifier": f"{prefix}-smoke-1",
                    "kind": "smoke_detector",
                    "estate_id": estate.id,
                    "building_id": building.id,
                },
                {
                    "name": f"{building.name} 配电房温湿度",
                    "identifier": f"{prefix}-temp-1",
                    "kind": "temperature_sensor",
                    "estate_id": estate.id,
                    "building_id": building.id,
                },
                {
                    "name": f"{building.name} 水泵房漏水传感器",
                    "identifier": f"{prefix}-leak-1",
                    "kind": "leak_sensor",
                    "estate_id": estate.id,
                    "building_id": building.id,
                },
                {
                    "name": f"{building.name} 单元门禁",
                    "identifier": f"{prefix}-door-1",
                    "kind": "access_reader",
                    "estate_id": estate.id,
                    "building_id": building.id,
                },
            ]
            for unit in units:
                vals += [
                    {
                        "name": f"{unit.code} 水表",
                        "identifier": f"{prefix}-wm-{unit.id}",
                        "kind": "water_meter",
                        "estate_id": estate.id,
                        "unit_id": unit.id,
                    },
                    {
                        "name": f"{unit.code} 电表",
                        "identifier": f"{prefix}-em-{unit.id}",
                        "kind": "electricity_meter",
                        "estate_id": estate.id,
                        "unit_id": unit.id,
                    },
                ]
            devices |= self.create(vals)
        meters = devices.filtered("meter_type")
        if not meters:
            return devices
        start = fields.Datetime.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=30)
        rows = []
        for meter in meters:
            register, metric = 0.0, "energy" if meter.kind == "electricity_meter" else "volume"
            for hour in range(30 * 24):
                ts = start + timedelta(hours=hour)
                local_hour = (ts.hour + 8) % 24
                base = 0.4 if metric == "energy" else 0.02
                register += base * (0.2 if local_hour < 6 else 1.0) * rng.uniform(0.5, 1.5)
                rows.append((meter.id, ts, hour, "telemetry", metric, round(register, 3)))
        execute_values(
            self.env.cr._obj,
            """INSERT INTO property_iot_reading (device_id, ts, seq, msg_type, metric, value, stored_at)
               VALUES %s ON CONFLICT DO NOTHING""",
            rows,
            template="(%s, %s, %s, %s, %s, %s, now() at time zone 'UTC')",
        )
        meters.write({"last_seen": rows[-1][1], "status": "online"})
        return devices


def _fmt(number):
    return format(number, "g")
