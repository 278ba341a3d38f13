"""Patrol findings' work orders follow the findings onto the route engine (ids mapped by
property_security's script in property_route_patrol_migration)."""

from odoo.tools import SQL, sql

MAP_TABLE = "property_route_patrol_migration"


def migrate(cr, version):
    if not (
        sql.table_exists(cr, MAP_TABLE)
        and sql.column_exists(cr, "property_security_patrol_run_line", "request_id")
    ):
        return
    cr.execute(
        SQL(
            """UPDATE property_route_run_line new
                  SET request_id = old.request_id, needs_repair = COALESCE(old.needs_repair, FALSE)
                 FROM property_security_patrol_run_line old, %s m
                WHERE m.model = 'property.security.patrol.run.line' AND m.old_id = old.id
                  AND m.new_id = new.id""",
            SQL.identifier(MAP_TABLE),
        )
    )
