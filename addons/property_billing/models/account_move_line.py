from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    property_bill_id = fields.Many2one(
        "property.bill", index="btree_not_null", ondelete="restrict", copy=False
    )
    property_estate_id = fields.Many2one(
        "property.estate",
        string="Estate",
        compute="_compute_property_estate_id",
        store=True,
        index="btree_not_null",
        help="Estate of the bill (or of the entry): staff below manager see their estates' items.",
    )

    @api.depends("property_bill_id.estate_id", "move_id.property_estate_id")
    def _compute_property_estate_id(self):
        for line in self:
            line.property_estate_id = line.property_bill_id.estate_id or line.move_id.property_estate_id
