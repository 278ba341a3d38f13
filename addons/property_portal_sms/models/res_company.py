from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    property_invitation_days = fields.Integer(
        string="Invite Again After (days)",
        default=30,
        help="A resident invited to the portal by SMS gets no other invitation for this many days.",
    )
