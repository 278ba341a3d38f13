from odoo import fields, models


class PropertyUnit(models.Model):
    _inherit = "property.unit"

    meter_ids = fields.One2many("property.meter", "unit_id", string="Meters")
    bill_line_ids = fields.One2many("property.bill.line", "unit_id", string="Bill Lines")
