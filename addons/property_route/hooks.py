"""Installing the engine on a database where property_workorder kept its routes in the same
tables (property_route*, before the engine): adapt them so the engine's columns and constraints
apply. New databases have no such tables and nothing happens."""

from odoo.tools import sql


def pre_init_hook(env):
    cr = env.cr
    if not sql.table_exists(cr, "property_route_run"):
        return
    # one run a day became one run per start: the old unique(route_id, date) goes
    cr.execute("ALTER TABLE property_route_run DROP CONSTRAINT IF EXISTS property_route_run_route_date_uniq")
    # runs: 'done' is now 'closed'; untimed runs start at the beginning of their day (Shanghai,
    # the engine's default time zone); close_date is date_closed
    cr.execute("UPDATE property_route_run SET state = 'closed' WHERE state = 'done'")
    if not sql.column_exists(cr, "property_route_run", "date_planned"):
        sql.create_column(cr, "property_route_run", "date_planned", "timestamp", "Planned Start")
    cr.execute(
        """UPDATE property_route_run
              SET date_planned = (date::timestamp AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'UTC'
            WHERE date_planned IS NULL"""
    )
    if sql.column_exists(cr, "property_route_run", "close_date") and not sql.column_exists(
        cr, "property_route_run", "date_closed"
    ):
        sql.rename_column(cr, "property_route_run", "close_date", "date_closed")
    # lines: 'scanned' is now 'done' (on time: field-work runs had no time windows)
    cr.execute("UPDATE property_route_run_line SET state = 'done' WHERE state = 'scanned'")
    if sql.column_exists(cr, "property_route_run_line", "scan_date") and not sql.column_exists(
        cr, "property_route_run_line", "date_scanned"
    ):
        sql.rename_column(cr, "property_route_run_line", "scan_date", "date_scanned")
