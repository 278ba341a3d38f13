from collections import defaultdict

from odoo import api, fields, models


class PropertyIotDevice(models.Model):
    _inherit = "property.iot.device"

    billing_meter_id = fields.Many2one(
        "property.meter",
        compute="_compute_billing_meter_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        tracking=True,
        domain="[('unit_id', '=', unit_id), ('meter_type', '=', meter_type)]",
        help="The billing meter the device's register readings are recorded on. Set "
        "automatically when the unit has exactly one active meter of the device's type.",
    )

    @api.depends("unit_id", "meter_type")
    def _compute_billing_meter_id(self):
        candidates = self._find_billing_meters()
        for device in self:
            meter = device.billing_meter_id
            if meter and (meter.unit_id, meter.meter_type) == (device.unit_id, device.meter_type):
                continue
            found = candidates.get((device.unit_id.id, device.meter_type))
            device.billing_meter_id = found if found and len(found) == 1 else False

    def _find_billing_meters(self):
        """{(unit_id, meter_type): meters}: the active billing meters of the devices' units."""
        meters = self.filtered(lambda d: d.meter_type and d.unit_id)
        if not meters:
            return {}
        found = defaultdict(lambda: self.env["property.meter"])
        for meter in (
            self.env["property.meter"]
            .sudo()
            .search(
                [("unit_id", "in", meters.unit_id.ids), ("meter_type", "in", meters.mapped("meter_type"))]
            )
        ):
            found[(meter.unit_id.id, meter.meter_type)] |= meter
        return found

    def _link_billing_meters(self):
        """Link the meters that have none yet, when their unit now has a single matching meter
        (a billing meter created after the device). Returns the devices that are linked."""
        unlinked = self.filtered(lambda d: d.meter_type and not d.billing_meter_id)
        if unlinked:
            candidates = unlinked._find_billing_meters()
            for device in unlinked:
                found = candidates.get((device.unit_id.id, device.meter_type))
                if found and len(found) == 1:
                    device.billing_meter_id = found
        return self.filtered("billing_meter_id")
