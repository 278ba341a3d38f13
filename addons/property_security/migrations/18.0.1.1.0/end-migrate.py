"""After every addon's post-migrate (property_security_workorder reads the old patrol lines'
work orders): drop the old patrol tables, whose records now live on the route engine. Odoo
keeps the tables of removed models; these hold nothing the engine does not. The old → new ids
stay in property_route_patrol_migration."""

from odoo.tools import SQL, sql

OLD_TABLES = (
    "property_security_patrol_run_line",
    "property_security_patrol_run",
    "property_security_patrol_checkpoint",
    "property_security_patrol_route",
)


def migrate(cr, version):
    if not sql.table_exists(cr, "property_route_patrol_migration"):
        return
    for table in OLD_TABLES:
        if sql.table_exists(cr, table):
            cr.execute(SQL("DROP TABLE %s CASCADE", SQL.identifier(table)))
