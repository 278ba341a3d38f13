from odoo import api, fields, models


class PropertyDunningWizard(models.TransientModel):
    """Preview the reminders that are due, then send them now (instead of waiting for the
    daily job). Same rules as the job: nothing is sent twice."""

    _name = "property.dunning.wizard"
    _description = "Send Payment Reminders"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    partner_ids = fields.Many2many(
        "res.partner", string="Households", help="Leave empty for every household with overdue bills."
    )
    line_ids = fields.One2many("property.dunning.wizard.line", "wizard_id", string="Reminders Due")
    sent_count = fields.Integer(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "property.bill" and self.env.context.get("active_ids"):
            bills = self.env["property.bill"].browse(self.env.context["active_ids"])
            values["partner_ids"] = [fields.Command.set(bills.partner_id.ids)]
        return values

    def _get_candidates(self):
        self.ensure_one()
        candidates = self.env["property.dunning.log"]._get_candidates(partners=self.partner_ids or None)
        # only the bills the user may see: an accountant reminds the households of their estates
        visible = (
            self.env["property.bill"].browse([c["anchor"].id for c in candidates])._filtered_access("read")
        )
        return [c for c in candidates if c["company"] == self.company_id and c["anchor"] in visible]

    def action_preview(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.write(
            {
                "line_ids": [
                    fields.Command.create(
                        {
                            "partner_id": c["partner"].id,
                            "level_id": c["level"].id,
                            "anchor_bill_id": c["anchor"].id,
                            "bill_count": len(c["bills"]),
                            "amount_due": c["amount_due"],
                            "days_overdue": c["days_overdue"],
                            "channels": ", ".join(c["channels"]),
                        }
                    )
                    for c in self._get_candidates()
                ]
            }
        )
        return self._reopen()

    def action_send(self):
        self.ensure_one()
        logs = self.env["property.dunning.log"]._send_reminders(self._get_candidates())
        self.sent_count = len(logs.filtered(lambda log: log.state == "sent"))
        self.line_ids.unlink()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment Reminders Sent"),
            "res_model": "property.dunning.log",
            "view_mode": "list,form",
            "domain": [("id", "in", logs.ids)],
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Send Payment Reminders"),
        }


class PropertyDunningWizardLine(models.TransientModel):
    _name = "property.dunning.wizard.line"
    _description = "Payment Reminder Preview"

    wizard_id = fields.Many2one("property.dunning.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Household", readonly=True)
    level_id = fields.Many2one("property.dunning.level", readonly=True)
    anchor_bill_id = fields.Many2one("property.bill", string="Oldest Overdue Bill", readonly=True)
    bill_count = fields.Integer(string="Bills", readonly=True)
    amount_due = fields.Monetary(readonly=True)
    days_overdue = fields.Integer(readonly=True)
    channels = fields.Char(readonly=True)
