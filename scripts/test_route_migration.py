#!/usr/bin/env python3
"""Test of the route-engine migration (issue #14): a database made by the code before the
engine (property.security.patrol.* beside property.route*) is upgraded by this checkout, and
every patrol and field-work record must be found again on the engine.

1. the old database (``--old-db``, built with the old code: property_security,
   property_workorder, property_security_workorder and their demo data) is copied;
2. the old code (``--old-conf``) adds history through its own methods: patrol runs on time,
   late, missed, a finding that raised an incident and a work order, a chatter message with an
   attachment, an activity, a follower, an exported external id; an inspection run with a
   finding turned into a request;
3. a snapshot of all that is read with SQL from the old tables;
4. ``odoo-bin -u property_security,property_workorder,property_security_workorder`` with this
   checkout's addons (``--conf``): property_route is installed, the migration scripts run;
   no WARNING or ERROR in its log;
5. the same snapshot is read from the engine's tables and compared, and the old tables must be gone.

Prints one line per check and ends with "N passed, N failed" (scripts/test_report.py adds them
to the Odoo tests' figures).

The old database, from the last commit before the engine (7f1afc4):
    git worktree add --detach ../routes-old 7f1afc4 && cd ../routes-old && KEEP_DB=1 \
      ADDONS=property_security,property_workorder,property_security_workorder TEST_TAGS=/none \
      TEST_DB=t_routes_old bash scripts/test.sh
then, here, any run of scripts/test.sh with
    ROUTE_MIGRATION_OLD_DB=t_routes_old ROUTE_MIGRATION_OLD_CONF=../routes-old/.test-logs/odoo-test-t_routes_old.conf
"""

import argparse
import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg2

RESULTS = []
LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) ")

SEED = r"""
from datetime import date, timedelta
import base64

minutes = lambda n: timedelta(minutes=n)
route = env["property.security.patrol.route"].search([], order="id", limit=1)
assert route, "the old demo has a patrol route"
cps = route.checkpoint_ids.sorted("sequence")
runs = (route._generate_runs(date(2026, 12, 1)) | route._generate_runs(date(2026, 12, 2))).sorted("date_planned")
r1, r2, r3 = runs[0], runs[1], runs[2]
l1 = r1.line_ids.sorted("sequence")
r1._scan(cps[0].token, at=r1.date_planned + minutes(1))
r1._scan(cps[1].token, finding="车库照明坏了", at=l1[1].date_expected, needs_repair=True)
r1._scan(cps[2].token, at=l1[2].date_expected + minutes(l1[2].tolerance + 5))
r2._scan(cps[0].token, finding="北门有陌生人逗留", at=r2.date_planned + minutes(2))
r2.action_close(at=r2.date_planned + minutes(60))
r3.action_start()
attachment = env["ir.attachment"].create(
    {"name": "handover.txt", "datas": base64.b64encode("交接记录".encode()), "res_model": r2._name, "res_id": r2.id}
)
r2.message_post(body="交接：北门岗亭锁坏", attachment_ids=attachment.ids)
r3.activity_schedule("mail.mail_activity_data_todo", summary="复查地下车库")
r1.message_subscribe(partner_ids=env.ref("base.partner_admin").ids)
env["ir.model.data"].create({"module": "__export__", "name": "patrol_run_r1", "model": r1._name, "res_id": r1.id})
env["ir.model.data"].create(
    {"module": "__export__", "name": "patrol_checkpoint_1", "model": cps[0]._name, "res_id": cps[0].id}
)

iroute = env.ref("property_workorder.route_night_inspection_demo")
irun = iroute.run_ids[:1] or iroute._generate_runs(iroute.next_date)
icps = iroute.checkpoint_ids.sorted("sequence")
irun.action_scan(icps[0].token)
line = irun.action_scan(icps[1].token)
line.write({"finding": "配电房门锁损坏", "has_issue": True})
line.action_create_request()
irun.action_close()
env.cr.commit()
print("SEEDED", len(runs), irun.id)
"""


def check(name, ok, detail=""):
    RESULTS.append(bool(ok))
    print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + str(detail) if detail and not ok else ''}", flush=True)


def rows(cr, query, *args):
    cr.execute(query, args)
    return [tuple(r) for r in cr.fetchall()]


def table_exists(cr, table):
    cr.execute("SELECT 1 FROM information_schema.tables WHERE table_name = %s", (table,))
    return bool(cr.fetchone())


# The same snapshot from the old tables and from the engine's: where each thing is kept.
OLD = {
    "route": "property_security_patrol_route",
    "checkpoint": "property_security_patrol_checkpoint",
    "run": "property_security_patrol_run",
    "line": "property_security_patrol_run_line",
    "guard": "guard_id",
    "run_model": "property.security.patrol.run",
    "patrol": "TRUE",
    "export_model": "property.security.patrol.%%",
    # field work stays in property_route*, with the old states and column names
    "run_state": "CASE run.state WHEN 'done' THEN 'closed' ELSE run.state END",
    "line_state": "CASE l.state WHEN 'scanned' THEN 'done' ELSE l.state END",
    "scan_date": "scan_date",
    "field_work": "TRUE",
}
NEW = {
    "route": "property_route",
    "checkpoint": "property_route_checkpoint",
    "run": "property_route_run",
    "line": "property_route_run_line",
    "guard": "user_id",
    "run_model": "property.route.run",
    "patrol": "{a}.route_type = 'patrol'",
    "export_model": "property.route%%",
    "run_state": "run.state",
    "line_state": "l.state",
    "scan_date": "date_scanned",
    "field_work": "{a}.route_type IN ('inspection', 'cleaning', 'greening')",
}
MAIL_TABLES = {
    "messages": ("mail_message", "model", "t.body::text, t.message_type"),
    "attachments": ("ir_attachment", "res_model", "t.name, t.checksum"),
    "activities": ("mail_activity", "res_model", "t.summary, t.activity_type_id"),
    "followers": ("mail_followers", "res_model", "t.partner_id, 0"),
}


def where(n, key, alias):
    return n[key].format(a=alias)


def snapshot(cr, n):
    """Patrol routes, checkpoints, runs, lines, incidents, chatter, attachments, activities,
    followers, external ids, and the field-work routes, runs and lines, keyed by stable values
    (route name, planned start, checkpoint token), never by id."""
    run_key = f"(SELECT r.name FROM {n['route']} r WHERE r.id = run.route_id), run.date_planned"
    patrol_runs = f"{n['run']} run"
    snap = {
        "routes": rows(
            cr,
            f"SELECT name, estate_id, schedule_times, tz, {n['guard']}, active FROM {n['route']} r WHERE "
            f"{where(n, 'patrol', 'r')} ORDER BY name, id",
        ),
        "checkpoints": rows(
            cr,
            "SELECT r.name, c.sequence, c.name, c.token, c.building_id, c.expected_offset, c.tolerance "
            f"FROM {n['checkpoint']} c JOIN {n['route']} r ON r.id = c.route_id WHERE {where(n, 'patrol', 'r')} "
            "ORDER BY c.token",
        ),
        "runs": rows(
            cr,
            f"SELECT {run_key}, run.state, run.{n['guard']}, run.date_started, run.date_closed, "
            "run.checkpoint_count, run.done_count, run.late_count, run.missed_count, run.completion_rate "
            f"FROM {patrol_runs} WHERE {where(n, 'patrol', 'run')} ORDER BY 1, 2",
        ),
        "lines": rows(
            cr,
            f"SELECT {run_key}, c.token, l.sequence, l.state, l.date_expected, l.tolerance, l.date_scanned, "
            "l.finding, l.incident_id, l.request_id, COALESCE(l.needs_repair, false) "
            f"FROM {n['line']} l JOIN {patrol_runs} ON run.id = l.run_id "
            f"JOIN {n['checkpoint']} c ON c.id = l.checkpoint_id WHERE {where(n, 'patrol', 'run')} ORDER BY 1, 2, 4",
        ),
        "incidents": rows(
            cr,
            f"SELECT i.id, c.token, run.date_planned FROM property_security_incident i "
            f"JOIN {n['line']} l ON l.id = i.patrol_line_id JOIN {patrol_runs} ON run.id = l.run_id "
            f"JOIN {n['checkpoint']} c ON c.id = l.checkpoint_id ORDER BY 1",
        ),
        "xmlids": rows(
            cr,
            "SELECT name, CASE WHEN model LIKE '%%.run' THEN 'run' ELSE 'checkpoint' END FROM ir_model_data "
            f"WHERE module = '__export__' AND model LIKE '{n['export_model']}' ORDER BY name",
        ),
        "field_work_routes": rows(
            cr,
            "SELECT name, route_type, estate_id, employee_id, interval_days, next_date FROM property_route r "
            f"WHERE {where(n, 'field_work', 'r')} ORDER BY name, id",
        ),
        "field_work_runs": rows(
            cr,
            f"SELECT r.name, run.date, {n['run_state']}, run.employee_id, run.scanned_count, run.missed_count, "
            "run.finding_count FROM property_route_run run JOIN property_route r ON r.id = run.route_id "
            f"WHERE {where(n, 'field_work', 'run')} ORDER BY 1, 2",
        ),
        "field_work_lines": rows(
            cr,
            f"SELECT run.date, c.token, {n['line_state']}, l.{n['scan_date']}, l.finding, l.has_issue, "
            "l.request_id FROM property_route_run_line l JOIN property_route_run run ON run.id = l.run_id "
            "JOIN property_route_checkpoint c ON c.id = l.checkpoint_id "
            f"WHERE {where(n, 'field_work', 'run')} ORDER BY 1, 2",
        ),
    }
    for what, (table, model_col, detail) in MAIL_TABLES.items():
        snap[what] = rows(
            cr,
            f"SELECT {run_key}, {detail} FROM {table} t JOIN {patrol_runs} ON run.id = t.res_id "
            f"WHERE t.{model_col} = '{n['run_model']}' AND {where(n, 'patrol', 'run')} ORDER BY 1, 2, 3, 4",
        )
    return snap


def data_dir(conf):
    parser = configparser.ConfigParser()
    parser.read(conf)
    return Path(parser["options"]["data_dir"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-db", required=True)
    parser.add_argument("--old-conf", required=True, help="Odoo config of the code before the engine")
    parser.add_argument("--conf", required=True, help="Odoo config of this checkout")
    parser.add_argument("--odoo-bin", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--db", default="t_routes_migration")
    parser.add_argument("--log", default="/tmp/route-migration-upgrade.log")
    parser.add_argument("--keep", action="store_true", help="keep the migrated database")
    args = parser.parse_args()

    subprocess.run(["dropdb", "--if-exists", args.db], check=True)
    subprocess.run(["createdb", "-T", args.old_db, args.db], check=True)
    for conf, source_db in ((args.old_conf, args.old_db), (args.conf, args.old_db)):
        source = data_dir(args.old_conf) / "filestore" / source_db
        target = data_dir(conf) / "filestore" / args.db
        if source.exists() and not target.exists():
            shutil.copytree(source, target)

    seed = subprocess.run(
        [args.python, args.odoo_bin, "shell", "-c", args.old_conf, "-d", args.db, "--no-http"],
        input=SEED,
        text=True,
        capture_output=True,
        check=False,
    )
    check("the old code adds patrol and inspection history", "SEEDED" in seed.stdout, seed.stderr[-2000:])

    conn = psycopg2.connect(dbname=args.db)
    with conn.cursor() as cr:
        before = snapshot(cr, OLD)
    conn.close()
    for key in ("runs", "lines", "incidents", "messages", "attachments", "activities", "field_work_lines"):
        check(f"history to migrate: {key}", before[key], "nothing to compare")

    with open(args.log, "w") as log:
        upgrade = subprocess.run(
            [
                args.python,
                args.odoo_bin,
                "-c",
                args.conf,
                "-d",
                args.db,
                "--no-http",
                "--stop-after-init",
                "-u",
                "property_security,property_workorder,property_security_workorder",
                "--logfile=",
            ],
            check=False,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    check("the upgrade runs", upgrade.returncode == 0, f"rc {upgrade.returncode}, see {args.log}")
    with open(args.log, encoding="utf-8", errors="replace") as log:
        bad = [line for line in log if LEVEL.match(line)]
    check("no WARNING or ERROR in the upgrade log", not bad, "".join(bad[:5]))

    conn = psycopg2.connect(dbname=args.db)
    with conn.cursor() as cr:
        after = snapshot(cr, NEW)
        for table in (
            "property_security_patrol_route",
            "property_security_patrol_checkpoint",
            "property_security_patrol_run",
            "property_security_patrol_run_line",
        ):
            check(f"old table {table} dropped", not table_exists(cr, table))
        cr.execute("SELECT state FROM ir_module_module WHERE name = 'property_route'")
        check("property_route installed", cr.fetchone() == ("installed",))
        cr.execute(
            "SELECT count(*) FROM ir_rule WHERE name LIKE 'Route%%' AND id IN (SELECT res_id FROM "
            "ir_model_data WHERE module = 'property_workorder' AND model = 'ir.rule')"
        )
        check("the field-work addon's old route rules are gone", cr.fetchone()[0] == 0)
    conn.close()
    for key in before:
        check(
            f"{key}: {len(before[key])} record(s) kept",
            before[key] == after[key],
            f"\n  before {before[key]}\n  after  {after[key]}",
        )
    if not args.keep:
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    passed = sum(RESULTS)
    print(f"{passed} passed, {len(RESULTS) - passed} failed")
    return 0 if passed == len(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
