from odoo import fields, models


class PropertyMeterReading(models.Model):
    _inherit = "property.meter.reading"

    iot_ts = fields.Datetime(
        string="IoT Time",
        readonly=True,
        copy=False,
        help="Device time (UTC) of the register value, for readings taken by a smart meter: "
        "the day's reading holds the last value of the day.",
    )
