from odoo import fields, models

FEE_TYPES = [
    ("property", "Property Fee"),
    ("water", "Water"),
    ("electricity", "Electricity"),
    ("gas", "Gas"),
    ("parking", "Parking Fee"),
    ("common_area", "Common-Area Share"),
    ("renovation_deposit", "Renovation Deposit"),
    ("late_fee", "Late Fee"),
    ("service", "Paid Service"),
    ("other", "Other"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_property_fee = fields.Boolean(
        string="Property Fee Item",
        help="A fee item of property billing: its income account and taxes are used on bills.",
    )
    property_fee_type = fields.Selection(FEE_TYPES, string="Fee Type")
