from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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

    _sql_constraints = [
        ("identifier_uniq", "unique(identifier)", "A device id must be unique."),
    ]

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
            if not schema.SEGMENT_RE.match(device.identifier or ""):
                raise ValidationError(
                    self.env._(
                        "Device id %s may hold only letters, digits, '.', '_' and '-' (no spaces, no '/').",
                        device.identifier,
                    )
                )
            if not schema.SEGMENT_RE.match(device.estate_id.code or ""):
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
