from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    property_bill_id = fields.Many2one(
        "property.bill", index="btree_not_null", ondelete="restrict", copy=False
    )
