from odoo import fields, models

SECURITY_SOURCES = [("security", "Security Incident")]


class PropertyRequest(models.Model):
    _inherit = "property.request"

    source = fields.Selection(selection_add=SECURITY_SOURCES, ondelete={"security": "set default"})
    security_incident_id = fields.Many2one(
        "property.security.incident",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        check_company=True,
        help="The incident this work order follows up.",
    )
