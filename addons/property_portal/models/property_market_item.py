from odoo import api, fields, models
from odoo.exceptions import UserError

ITEM_STATES = [
    ("posted", "Posted"),
    ("reserved", "Reserved"),
    ("sold", "Sold"),
    ("hidden", "Hidden by a Moderator"),
]
# what the seller may set from the portal
SELLER_STATES = ("posted", "reserved", "sold")


class PropertyMarketItem(models.Model):
    """A second-hand item a resident offers to the neighbours of their estate."""

    _name = "property.market.item"
    _description = "Marketplace Item"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True)
    description = fields.Text()
    price = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Seller", required=True, index=True, ondelete="cascade"
    )
    estate_id = fields.Many2one("property.estate", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    state = fields.Selection(ITEM_STATES, default="posted", required=True, tracking=True, index=True)
    image_ids = fields.Many2many("ir.attachment", string="Photos")
    report_ids = fields.One2many("property.market.report", "item_id", string="Reports")
    open_report_count = fields.Integer(compute="_compute_open_report_count", store=True)

    @api.depends("report_ids.state")
    def _compute_open_report_count(self):
        for item in self:
            item.open_report_count = len(item.report_ids.filtered(lambda r: r.state == "open"))

    def _portal_set_state(self, partner, state):
        self.ensure_one()
        if self.partner_id != partner:
            raise UserError(self.env._("Only the seller can change this item."))
        if state not in SELLER_STATES or self.state == "hidden":
            raise UserError(self.env._("This status cannot be set."))
        self.state = state

    def action_hide(self):
        self.write({"state": "hidden"})
        self.report_ids.filtered(lambda r: r.state == "open").write({"state": "upheld"})
        return True

    def action_restore(self):
        self.filtered(lambda i: i.state == "hidden").write({"state": "posted"})
        self.report_ids.filtered(lambda r: r.state == "open").write({"state": "dismissed"})
        return True

    @api.model
    def _portal_domain(self, partner, units):
        return [
            ("estate_id", "in", units.estate_id.ids),
            "|",
            ("state", "in", SELLER_STATES),
            ("partner_id", "=", partner.id),
        ]
