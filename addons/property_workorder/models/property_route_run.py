from odoo import fields, models


class PropertyRouteRun(models.Model):
    _inherit = "property.route.run"

    employee_id = fields.Many2one("hr.employee", check_company=True)

    def action_start(self):
        result = super().action_start()
        employee = self.env.user.employee_id
        if employee:
            self.filtered(lambda run: not run.employee_id).write({"employee_id": employee.id})
        return result

    def _get_close_partner_ids(self):
        return super()._get_close_partner_ids() + self.route_id.team_id.leader_id.partner_id.ids
