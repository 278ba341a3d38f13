from odoo import fields, models


class PropertyUnit(models.Model):
    _inherit = "property.unit"

    meter_ids = fields.One2many("property.meter", "unit_id", string="Meters")
    bill_line_ids = fields.One2many(
        "property.bill.line",
        "unit_id",
        string="Bill Lines",
        groups="property_base.group_property_front_desk,property_base.group_property_accountant",
    )
