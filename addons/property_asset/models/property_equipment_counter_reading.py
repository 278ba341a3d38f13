from odoo import api, fields, models
from odoo.exceptions import ValidationError

COUNTER_TYPES = [
    ("running_hours", "Running Hours"),
    ("cycles", "Cycles"),
]


class PropertyEquipmentCounterReading(models.Model):
    """A reading of a cumulative usage counter (running hours, start/stop cycles) of an equipment.

    Readings come from technicians or from IoT gateways through :meth:`_record_usage`."""

    _name = "property.equipment.counter.reading"
    _description = "Equipment Counter Reading"
    _order = "date desc, id desc"
    _check_company_auto = True

    equipment_id = fields.Many2one("maintenance.equipment", required=True, index=True, ondelete="cascade")
    counter_type = fields.Selection(COUNTER_TYPES, required=True, default="running_hours")
    value = fields.Float(required=True, digits=(16, 2), help="Cumulative counter value at the reading date.")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    source = fields.Selection([("manual", "Manual"), ("iot", "IoT")], required=True, default="manual")
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    company_id = fields.Many2one(related="equipment_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="equipment_id.estate_id", store=True, index=True)

    _sql_constraints = [("value_positive", "CHECK(value >= 0)", "A counter value cannot be negative.")]

    @api.constrains("value", "date", "equipment_id", "counter_type")
    def _check_monotonic(self):
        for reading in self:
            earlier = self.search(
                [
                    ("equipment_id", "=", reading.equipment_id.id),
                    ("counter_type", "=", reading.counter_type),
                    ("date", "<", reading.date),
                    ("id", "!=", reading.id),
                ],
                order="date desc, id desc",
                limit=1,
            )
            if earlier and earlier.value > reading.value:
                raise ValidationError(
                    self.env._(
                        "The %(counter)s counter of %(equipment)s cannot go back from %(before)s to %(after)s.",
                        counter=dict(COUNTER_TYPES)[reading.counter_type],
                        equipment=reading.equipment_id.name,
                        before=earlier.value,
                        after=reading.value,
                    )
                )

    @api.model
    def _record_usage(self, equipment, counter_type, value, date=None, source="iot"):
        """Record a cumulative counter value for ``equipment`` and generate the usage-based
        maintenance requests it makes due. Entry point for property_iot.

        :param equipment: maintenance.equipment record (or id)
        :param counter_type: 'running_hours' or 'cycles'
        :param value: cumulative counter value
        :param date: datetime of the reading (default: now)
        :return: the new reading
        """
        if isinstance(equipment, int):
            equipment = self.env["maintenance.equipment"].browse(equipment)
        equipment.ensure_one()
        equipment.check_access("read")
        reading = self.create(
            {
                "equipment_id": equipment.id,
                "counter_type": counter_type,
                "value": value,
                "date": date or fields.Datetime.now(),
                "source": source,
            }
        )
        plans = (
            self.env["maintenance.plan"]
            .sudo()
            .search(
                [
                    ("equipment_id", "=", equipment.id),
                    ("trigger_type", "=", "usage"),
                    ("counter_type", "=", counter_type),
                ]
            )
        )
        for plan in plans:
            equipment.sudo()._create_new_request(plan)
        return reading
