from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    property_bill_payment_test_mode = fields.Boolean(
        string="Bill Payments in Test Mode",
        help="Residents may pay this company's bills with payment providers in test mode "
        "(sandbox keys). Leave it off in production: a test-mode payment then neither starts nor "
        "settles a bill.",
    )
