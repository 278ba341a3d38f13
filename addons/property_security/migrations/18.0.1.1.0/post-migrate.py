"""Patrols move onto the route engine: each property.security.patrol.* record becomes a
property.route* record of kind ``patrol`` (same tokens, times, states, findings), and what
points to the old records follows: incidents, chatter messages, followers, activities,
attachments, tracking values and external ids. The old tables are dropped by Odoo after the
update (their models are gone). The old → new ids stay in ``property_route_patrol_migration``
for the bridges' own scripts (property_security_workorder: work orders of findings)."""

import json
import logging
from datetime import timedelta

import pytz

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)

MAP_TABLE = "property_route_patrol_migration"
MODELS = {
    "property.security.patrol.route": "property.route",
    "property.security.patrol.checkpoint": "property.route.checkpoint",
    "property.security.patrol.run": "property.route.run",
    "property.security.patrol.run.line": "property.route.run.line",
}
RENAMED_FIELDS = {"guard_id": "user_id"}
OLD_NOUPDATE_XMLIDS = [
    "property_security.ir_cron_property_security_generate_patrol_runs",
    "property_security.ir_cron_property_security_close_patrol_runs",
]


def _rows(cr, query):
    cr.execute(query)
    return cr.dictfetchall()


def migrate(cr, version):
    if not sql.table_exists(cr, "property_security_patrol_route"):
        return
    context = {
        "tracking_disable": True,
        "mail_create_nosubscribe": True,
        "mail_create_nolog": True,
        "active_test": False,
    }
    env = api.Environment(cr, SUPERUSER_ID, context)
    cr.execute(
        SQL(
            "CREATE TABLE IF NOT EXISTS %s (model varchar NOT NULL, old_id integer NOT NULL, "
            "new_id integer NOT NULL, PRIMARY KEY (model, old_id))",
            SQL.identifier(MAP_TABLE),
        )
    )
    id_map = {model: {} for model in MODELS}

    routes = _rows(cr, "SELECT * FROM property_security_patrol_route ORDER BY id")
    checkpoints = _rows(
        cr, "SELECT * FROM property_security_patrol_checkpoint ORDER BY route_id, sequence, id"
    )
    for route in routes:
        new_route = env["property.route"].create(
            {
                "name": route["name"],
                "route_type": "patrol",
                "active": route["active"],
                "estate_id": route["estate_id"],
                "schedule_times": route["schedule_times"],
                "tz": route["tz"] or "Asia/Shanghai",
                "user_id": route["guard_id"],
                "interval_days": 1,
                "next_date": route["create_date"].date(),
                "is_strict_order": False,
            }
        )
        id_map["property.security.patrol.route"][route["id"]] = new_route.id
        for checkpoint in (c for c in checkpoints if c["route_id"] == route["id"]):
            new_checkpoint = env["property.route.checkpoint"].create(
                {
                    "route_id": new_route.id,
                    "sequence": checkpoint["sequence"],
                    "name": checkpoint["name"],
                    "building_id": checkpoint["building_id"],
                    "token": checkpoint["token"],
                    "expected_offset": checkpoint["expected_offset"],
                    "tolerance": checkpoint["tolerance"],
                }
            )
            id_map["property.security.patrol.checkpoint"][checkpoint["id"]] = new_checkpoint.id

    route_tz = {r["id"]: pytz.timezone(r["tz"] or "Asia/Shanghai") for r in routes}
    lines = _rows(cr, "SELECT * FROM property_security_patrol_run_line ORDER BY run_id, sequence, id")
    for run in _rows(cr, "SELECT * FROM property_security_patrol_run ORDER BY id"):
        local_day = pytz.UTC.localize(run["date_planned"]).astimezone(route_tz[run["route_id"]]).date()
        run_lines = [line for line in lines if line["run_id"] == run["id"]]
        new_run = env["property.route.run"].create(
            {
                "route_id": id_map["property.security.patrol.route"][run["route_id"]],
                "date": local_day,
                "date_planned": run["date_planned"],
                "date_started": run["date_started"],
                "date_closed": run["date_closed"],
                "user_id": run["guard_id"],
                "state": run["state"],
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "checkpoint_id": id_map["property.security.patrol.checkpoint"][
                                line["checkpoint_id"]
                            ],
                            "sequence": line["sequence"],
                            "state": line["state"],
                            "date_expected": line["date_expected"],
                            "tolerance": line["tolerance"],
                            "date_scanned": line["date_scanned"],
                            "finding": line["finding"],
                            "has_issue": bool(line["finding"]),
                            "incident_id": line["incident_id"],
                        },
                    )
                    for line in run_lines
                ],
            }
        )
        id_map["property.security.patrol.run"][run["id"]] = new_run.id
        for line, new_line in zip(
            run_lines, new_run.line_ids.sorted(lambda ln: (ln.sequence, ln.id)), strict=True
        ):
            id_map["property.security.patrol.run.line"][line["id"]] = new_line.id
        # the routes were planned up to this run
        new_run.route_id.next_date = max(new_run.route_id.next_date, local_day + timedelta(days=1))
    env.flush_all()

    for old_model, pairs in id_map.items():
        for old_id, new_id in pairs.items():
            cr.execute(
                SQL(
                    "INSERT INTO %s (model, old_id, new_id) VALUES (%s, %s, %s)",
                    SQL.identifier(MAP_TABLE),
                    old_model,
                    old_id,
                    new_id,
                )
            )
    _move_references(cr)
    for xmlid in OLD_NOUPDATE_XMLIDS:
        record = env.ref(xmlid, raise_if_not_found=False)
        if record:
            record.unlink()
    _logger.info(
        "Patrols moved onto the route engine: %s",
        {model: len(pairs) for model, pairs in id_map.items()},
    )


def _move_references(cr):
    """Point every generic reference at the new records (ids through the map table)."""
    table = SQL.identifier(MAP_TABLE)
    if sql.column_exists(cr, "property_security_incident", "patrol_line_id_legacy"):
        cr.execute(
            SQL(
                "UPDATE property_security_incident i SET patrol_line_id = m.new_id FROM %s m "
                "WHERE m.model = 'property.security.patrol.run.line' AND m.old_id = i.patrol_line_id_legacy",
                table,
            )
        )
        cr.execute("ALTER TABLE property_security_incident DROP COLUMN patrol_line_id_legacy")
    for old_model, new_model in MODELS.items():
        for query in (
            "UPDATE mail_message t SET model = %(new)s, res_id = m.new_id FROM %(map)s m "
            "WHERE t.model = %(old)s AND m.model = %(old)s AND m.old_id = t.res_id",
            "UPDATE mail_followers t SET res_model = %(new)s, res_id = m.new_id FROM %(map)s m "
            "WHERE t.res_model = %(old)s AND m.model = %(old)s AND m.old_id = t.res_id",
            "UPDATE ir_attachment t SET res_model = %(new)s, res_id = m.new_id FROM %(map)s m "
            "WHERE t.res_model = %(old)s AND m.model = %(old)s AND m.old_id = t.res_id",
            "UPDATE ir_model_data t SET model = %(new)s, res_id = m.new_id FROM %(map)s m "
            "WHERE t.model = %(old)s AND m.model = %(old)s AND m.old_id = t.res_id",
            "UPDATE mail_activity t SET res_model = %(new)s, res_id = m.new_id, "
            "res_model_id = (SELECT id FROM ir_model WHERE model = %(new)s) FROM %(map)s m "
            "WHERE t.res_model = %(old)s AND m.model = %(old)s AND m.old_id = t.res_id",
        ):
            cr.execute(SQL(query, new=new_model, old=old_model, map=table))
        # tracking values name the field they tracked: the same field of the new model
        cr.execute(
            SQL(
                """UPDATE mail_tracking_value t SET field_id = new_f.id
                     FROM ir_model_fields old_f, ir_model_fields new_f
                    WHERE t.field_id = old_f.id AND old_f.model = %(old)s AND new_f.model = %(new)s
                      AND new_f.name = COALESCE(%(renamed)s::jsonb ->> old_f.name, old_f.name)""",
                old=old_model,
                new=new_model,
                renamed=json.dumps(RENAMED_FIELDS),
            )
        )
