from odoo import fields, models


class HrEmployeePublic(models.Model):
    """The property fields staff without HR rights need: choosing a technician (the domain on
    is_property_technician), seeing their team and skills."""

    _inherit = "hr.employee.public"

    is_property_technician = fields.Boolean(string="Property Technician", readonly=True)
    property_team_id = fields.Many2one("property.service.team", string="Service Team", readonly=True)
    property_category_ids = fields.Many2many(related="employee_id.property_category_ids")
    property_estate_ids = fields.Many2many(related="employee_id.property_estate_ids")
