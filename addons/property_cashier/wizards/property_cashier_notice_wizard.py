from odoo import api, fields, models
from odoo.exceptions import UserError


class PropertyCashierNoticeWizard(models.TransientModel):
    """Payment notices (缴费通知单) of one period, in batch for a building: one page per household."""

    _name = "property.cashier.notice.wizard"
    _description = "Print Payment Notices"

    building_id = fields.Many2one("property.building", required=True)
    period = fields.Date(required=True, help="Any day of the month billed.")

    @api.model
    def _get_bills(self, building, period):
        start = period.replace(day=1)
        return self.env["property.bill"].search(
            [
                ("building_id", "=", building.id),
                ("period_start", "=", start),
                ("state", "in", ("open", "partial")),
            ],
            order="partner_id, id",
        )

    def action_print(self):
        self.ensure_one()
        bills = self._get_bills(self.building_id, self.period)
        if not bills:
            raise UserError(self.env._("No open bill of this period in this building."))
        return self.env.ref("property_cashier.action_report_payment_notice").report_action(bills)
