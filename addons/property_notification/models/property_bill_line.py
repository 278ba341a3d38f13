from odoo import models
from odoo.tools import format_amount, format_date

SMS_TEMPLATE = "notify_bill"


class PropertyBillLine(models.Model):
    _inherit = "property.bill.line"

    def _post_receivables(self, date, ref):
        """Bills are issued when their receivables are posted: their households are told."""
        move = super()._post_receivables(date, ref)
        bills = self.bill_id.filtered(lambda b: b.state in ("open", "partial"))
        bills._notify_issued()
        return move


class PropertyBill(models.Model):
    _inherit = "property.bill"

    def _notify_issued(self):
        def render(bill):
            def _render(env):
                bill_env = bill.with_env(env)
                amount = format_amount(env, bill.amount_total, bill.currency_id)
                due = format_date(env, bill.date_due)
                return {
                    "subject": env._("New bill %s", bill.name),
                    "body": env._(
                        "Your bill %(name)s of %(amount)s is issued, due on %(date)s.",
                        name=bill.name,
                        amount=amount,
                        date=due,
                    ),
                    "url": f"/my/bills/{bill.id}",
                    "sms_template": SMS_TEMPLATE,
                    "sms_params": [
                        bill_env.partner_id.name,
                        bill.name,
                        f"{bill.amount_total:.2f}",
                        str(bill.date_due),
                    ],
                }

            return _render

        self.env["property.notification"]._notify(
            "bill", [(bill, bill.partner_id, "", render(bill)) for bill in self.sudo()]
        )
