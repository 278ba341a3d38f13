"""Inspection, cleaning and greening routes now run on the route engine (property_route), which
took over the tables property_route* (its pre_init_hook mapped the old states and columns):
assign the runs to the employees' users, keep field-work routes in strict order, recompute the
counters, and drop the old access rules and cron that the engine's replace."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

FIELD_WORK_TYPES = ("inspection", "cleaning", "greening")
OLD_NOUPDATE_XMLIDS = [
    "property_workorder.ir_cron_property_route_runs",
    *(
        f"property_workorder.property_route{suffix}_rule_{role}"
        for suffix in ("", "_checkpoint", "_run", "_run_line")
        for role in ("company", "user", "manager")
    ),
]


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    cr.execute(
        """UPDATE property_route_run run SET user_id = emp.user_id
             FROM hr_employee emp WHERE emp.id = run.employee_id AND run.user_id IS NULL"""
    )
    cr.execute(
        """UPDATE property_route route SET user_id = emp.user_id
             FROM hr_employee emp WHERE emp.id = route.employee_id AND route.user_id IS NULL"""
    )
    cr.execute("UPDATE property_route SET is_strict_order = TRUE WHERE route_type IN %s", (FIELD_WORK_TYPES,))
    env.invalidate_all()
    runs = env["property.route.run"].search([("route_type", "in", FIELD_WORK_TYPES)])
    runs._compute_counts()
    runs._compute_name()
    env.flush_all()
    for xmlid in OLD_NOUPDATE_XMLIDS:
        record = env.ref(xmlid, raise_if_not_found=False)
        if record:
            record.unlink()
    _logger.info("Field-work routes moved onto the route engine: %s runs", len(runs))
