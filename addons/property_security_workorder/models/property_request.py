from odoo import api, fields, models

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

    @api.model
    def _create_from_source(self, source, vals):
        """Also accept the ``security`` source this bridge adds (property_workorder checks the
        source against its own list)."""
        if source not in dict(SECURITY_SOURCES):
            return super()._create_from_source(source, vals)
        vals_list = [vals] if isinstance(vals, dict) else vals
        return self.create([dict(v, source=source) for v in vals_list])
