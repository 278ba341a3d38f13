"""Benchmark of the Excel migration importer of property_base.

Builds a workbook of N units (default 10,000) with their residents from the deterministic demo
generator, creates a fresh database with property_base (no demo data), imports the workbook
through the wizard as the administrator and prints the figures. Goal: 10,000 units in under a
minute.

    .venv/bin/python bench/import_units.py [--units 10000] [--db bench_import] [--keep]

The database connection comes from the PG* environment variables (see scripts/odoo_env.sh).
The last line is ``RESULT import_units units=<n> residents=<n> seconds=<s>``.
"""

import argparse
import base64
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import create_database, odoo_setup


def postgres_cpu(pid):
    """CPU seconds used so far by a PostgreSQL backend of this machine (0 if not local)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=10000)
    parser.add_argument("--db", default="bench_import")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", help="write a cProfile of the import to this file")
    parser.add_argument(
        "--pg-log-slow",
        type=int,
        metavar="MS",
        help="log the import's SQL statements slower than MS milliseconds to the PostgreSQL log "
        "(needs a superuser role)",
    )
    parser.add_argument(
        "--with-errors",
        type=int,
        default=0,
        metavar="N",
        help="first import the workbook with N bad units (inner area above gross area): "
        "times the validation and the error report, and checks that nothing was created",
    )
    args = parser.parse_args()

    odoo_src, conf = odoo_setup(tempfile.mkdtemp(prefix="bench-import-"))

    print(f"[bench] creating database {args.db} with property_base (no demo data)…", flush=True)
    install_seconds = create_database(conf, args.db, odoo_src, "property_base")

    import odoo
    from odoo import api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", str(conf), "-d", args.db, "--log-level=warn"])
    # the importer logs the time of each write step at INFO
    logging.getLogger("odoo.addons.property_base.wizards.property_import_wizard").setLevel(logging.INFO)
    from odoo.addons.property_base.tools import demo_generator, xlsx_templates

    started = time.perf_counter()
    data = demo_generator.generate(demo_generator.scaled_spec(args.units))
    content = xlsx_templates.build_workbook(data)
    build_seconds = time.perf_counter() - started
    print(
        f"[bench] workbook: {len(data['estates'])} estates, {len(data['buildings'])} buildings, "
        f"{len(data['units'])} units, {len(data['residents'])} resident rows, "
        f"{len(content) / 1e6:.1f} MB, built in {build_seconds:.1f}s",
        flush=True,
    )

    registry = Registry(args.db)
    try:
        if args.with_errors:
            bad = {**data, "units": [dict(u) for u in data["units"]]}
            step = max(1, len(bad["units"]) // args.with_errors)
            for unit in bad["units"][::step][: args.with_errors]:
                unit["inner_area"] = unit["gross_area"] + 1
            with registry.cursor() as cr:
                env = api.Environment(cr, 2, {})
                wizard = env["property.import.wizard"].create(
                    {"file": base64.b64encode(xlsx_templates.build_workbook(bad)), "file_name": "bad.xlsx"}
                )
                started = time.perf_counter()
                wizard.action_import()
                cr.commit()
                seconds = time.perf_counter() - started
                created = env["property.unit"].search_count([])
                print(
                    f"[bench] file with {args.with_errors} bad units: {wizard.state}, {wizard.error_count} errors, "
                    f"{created} units created; validation {wizard.validation_seconds:.1f}s, with the error "
                    f"report ({len(wizard.report_file) * 3 / 4 / 1e6:.1f} MB) {seconds:.1f}s",
                    flush=True,
                )
        with registry.cursor() as cr:
            env = api.Environment(cr, 2, {})  # the administrator: a property administrator, not sudo
            wizard = env["property.import.wizard"].create(
                {"file": base64.b64encode(content), "file_name": "bench.xlsx"}
            )
            if args.pg_log_slow is not None:
                cr.execute(
                    "SELECT set_config('log_min_duration_statement', %s, false)", [str(args.pg_log_slow)]
                )
            cr.execute("SELECT pg_backend_pid()")
            backend = cr.fetchone()[0]
            pg_cpu, cpu = postgres_cpu(backend), time.process_time()
            started = time.perf_counter()
            if args.profile:
                import cProfile

                cProfile.runctx("wizard.action_import()", globals(), locals(), args.profile)
            else:
                wizard.action_import()
            cr.commit()
            seconds = time.perf_counter() - started
            cpu, pg_cpu = time.process_time() - cpu, postgres_cpu(backend) - pg_cpu
            if wizard.state != "done":
                print(f"[bench] import failed: {wizard.error_count} errors\n{wizard.error_summary}")
                sys.exit(1)
            units = env["property.unit"].search_count([])
            occupancies = env["property.occupancy"].search_count([])
            residents = env["res.partner"].search_count([("is_property_resident", "=", True)])
            print(f"[bench] database install: {install_seconds:.1f}s")
            print(
                f"[bench] created: {wizard.estate_count} estates, {wizard.building_count} buildings, "
                f"{wizard.unit_count} units, {wizard.partner_count} residents, "
                f"{wizard.occupancy_count} occupancies"
            )
            print(f"[bench] in the database: {units} units, {residents} residents, {occupancies} occupancies")
            print(
                f"[bench] validation (read + check {wizard.row_count} rows): {wizard.validation_seconds:.1f}s, "
                f"write: {wizard.write_seconds:.1f}s, total with commit: {seconds:.1f}s "
                f"({units / seconds:.0f} units/s)"
            )
            print(
                f"[bench] CPU: Odoo {cpu:.1f}s + PostgreSQL {pg_cpu:.1f}s = {cpu + pg_cpu:.1f}s; "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other jobs slow the wall time)"
            )
    finally:
        Registry.delete(args.db)
        if not args.keep:
            odoo.sql_db.close_all()
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    print(f"RESULT import_units units={units} residents={residents} seconds={seconds:.1f}")


if __name__ == "__main__":
    main()
