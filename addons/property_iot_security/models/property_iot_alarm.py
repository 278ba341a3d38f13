from odoo import fields, models

# device event of property_iot → device kind of property_security (which gives the alarm type:
# smoke → fire, leak → water leak, forced door and tamper → intrusion)
EVENT_DEVICE_KINDS = {
    "smoke": "smoke",
    "leak": "leak",
    "door_forced": "forced_door",
    "tamper": "intrusion",
}


class PropertyIotAlarm(models.Model):
    _inherit = "property.iot.alarm"

    security_alarm_id = fields.Many2one(
        "property.security.alarm",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    security_incident_id = fields.Many2one(related="security_alarm_id.incident_id", string="Safety Incident")

    def _on_raised(self):
        res = super()._on_raised()
        self._raise_security_alarms()
        return res

    def _raise_security_alarms(self):
        """A security alarm (and its incident, opened by property_security) for each new
        smoke, leak, forced-door or tamper alarm, at the device's place. property_security
        does not raise a second alarm while one of the same device and type is open."""
        alarms = self.sudo().filtered(
            lambda a: (
                not a.security_alarm_id
                and a.rule_type == "event"
                and a.rule_id.event_name in EVENT_DEVICE_KINDS
            )
        )
        SecurityAlarm = self.env["property.security.alarm"].sudo()
        for alarm in alarms:
            alarm.security_alarm_id = SecurityAlarm._raise_from_device(alarm._prepare_security_alarm_values())
        return alarms.security_alarm_id

    def _prepare_security_alarm_values(self):
        self.ensure_one()
        device = self.device_id
        note = self.with_context(lang=self.company_id._property_lang()).env._(
            "IoT alarm %(alarm)s from %(device)s (%(identifier)s).",
            alarm=self.name,
            device=device.name,
            identifier=device.identifier,
        )
        return {
            "device_kind": EVENT_DEVICE_KINDS[self.rule_id.event_name],
            "device_ref": device.identifier,
            "estate_id": device.estate_id.id,
            "building_id": device.building_id.id,
            "unit_id": device.unit_id.id,
            "area": device.name,
            "note": f"{note}\n{self.description}" if self.description else note,
            "date_raised": self.first_ts or fields.Datetime.now(),
        }
