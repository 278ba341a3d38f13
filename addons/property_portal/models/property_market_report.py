from odoo import fields, models


class PropertyMarketReport(models.Model):
    """A resident reports a marketplace post as inappropriate: the moderation queue."""

    _name = "property.market.report"
    _description = "Marketplace Report"
    _order = "state, create_date desc, id desc"

    item_id = fields.Many2one("property.market.item", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Reported By", required=True, ondelete="cascade")
    reason = fields.Text(required=True)
    company_id = fields.Many2one(related="item_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="item_id.estate_id", store=True)
    state = fields.Selection(
        [("open", "To Review"), ("upheld", "Upheld (Post Hidden)"), ("dismissed", "Dismissed")],
        default="open",
        required=True,
        index=True,
    )

    def action_uphold(self):
        self.item_id.action_hide()
        return True

    def action_dismiss(self):
        self.write({"state": "dismissed"})
        return True
