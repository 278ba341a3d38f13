from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    is_property_technician = fields.Boolean(
        string="Property Technician", help="Can receive work orders (dispatch candidates)."
    )
    property_team_id = fields.Many2one("property.service.team", string="Service Team", index=True)
    property_category_ids = fields.Many2many(
        "property.request.category",
        "hr_employee_property_request_category_rel",
        "employee_id",
        "category_id",
        string="Service Skills",
        help="Request categories this technician is qualified for.",
    )
    property_estate_ids = fields.Many2many(
        "property.estate",
        "hr_employee_property_estate_rel",
        "employee_id",
        "estate_id",
        string="Served Estates",
    )
    property_open_request_count = fields.Integer(
        string="Open Orders", compute="_compute_property_open_request_count"
    )

    def _compute_property_open_request_count(self):
        loads = self.env["property.request"]._get_workloads(self)
        for employee in self:
            employee.property_open_request_count = loads.get(employee.id, 0)

    def _get_property_calendar(self):
        """The shift schedule that applies to the employee: their own, else their team's."""
        self.ensure_one()
        return self.resource_calendar_id or self.property_team_id.resource_calendar_id
