"""Patrols move onto the route engine (property_route): keep the incidents' links to patrol
findings aside while their column changes target (post-migrate maps them)."""

from odoo.tools import sql


def migrate(cr, version):
    if sql.column_exists(cr, "property_security_incident", "patrol_line_id"):
        sql.rename_column(cr, "property_security_incident", "patrol_line_id", "patrol_line_id_legacy")
