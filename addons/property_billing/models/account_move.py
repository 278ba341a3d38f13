from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    property_estate_id = fields.Many2one(
        "property.estate",
        string="Estate",
        index="btree_not_null",
        readonly=True,
        help="Estate whose bills this entry posts: staff below manager see their estates' entries.",
    )
