from odoo import api, fields, models


class PropertyMeterReading(models.Model):
    _inherit = "property.meter.reading"

    iot_ts = fields.Datetime(
        string="IoT Time",
        readonly=True,
        copy=False,
        help="Device time (UTC) of the register value, for readings taken by a smart meter: "
        "the day's reading holds the last value of the day.",
    )
    iot_hold_reason = fields.Char(
        string="Held by the Meter Checks",
        readonly=True,
        copy=False,
        help="The smart meter's value failed the register checks (jump outside the plausibility "
        "band, rollback, negative consumption): the reading waits for review, is not billed and "
        "is not the base of the next readings' consumption.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        holds = self.env.context.get("iot_hold_reasons")
        if holds:
            for vals in vals_list:
                hold = holds.get((vals.get("meter_id"), fields.Date.to_date(vals.get("date"))))
                if hold:
                    vals["iot_hold_reason"] = hold
        return super(PropertyMeterReading, self.with_context(iot_hold_reasons=None)).create(vals_list)

    @api.model
    def _get_consumption_history_domain(self):
        # a held value is no base for the consumption of the next readings
        return super()._get_consumption_history_domain() + [("iot_hold_reason", "=", False)]

    def _compute_consumption(self):
        res = super()._compute_consumption()
        held = self.filtered(lambda r: r.iot_hold_reason and r.state != "rejected")
        for reading in held:
            reading.write({"state": "to_review", "review_reason": reading.iot_hold_reason})
        return res

    def action_approve(self):
        """Approving a held reading accepts its value: it is billed, it becomes the base of
        the next consumption, and the meter device's register moves to it."""
        held = self.filtered("iot_hold_reason")
        if held:
            held.write({"iot_hold_reason": False})
            devices = (
                self.env["property.iot.device"].sudo().search([("billing_meter_id", "in", held.meter_id.ids)])
            )
            for device in devices:
                reading = held.filtered(lambda r, d=device: r.meter_id == d.billing_meter_id).sorted(
                    "iot_ts"
                )[-1:]
                if reading.iot_ts and (not device.register_ts or reading.iot_ts > device.register_ts):
                    device.write({"register_value": reading.value, "register_ts": reading.iot_ts})
        return super().action_approve()
