"""Benchmark of the automatic dispatch of property_workorder.

Creates a fresh database with property_workorder (no demo data), then 10 estates, 200
technicians (random skills, estates, shifts; 60 % checked in with a position), 300 open orders
(workloads) and 1,000 new requests. It times the dispatch decision for the 1,000 requests in
one batch (technicians, shifts, attendance and workloads read in a few batched queries, then
the scoring), and separately the decision plus the assignment writes (tracking, followers).
Goal: at most 50 ms per request for the decision.

    .venv/bin/python bench/dispatch.py [--requests 1000] [--technicians 200] [--db bench_dispatch] [--keep]

The last line is ``RESULT dispatch requests=<n> seconds=<s> per_request_ms=<ms>``.
"""

import argparse
import random
import subprocess
import tempfile
import time
from datetime import datetime, timedelta

from bench_common import create_database, odoo_setup

CATEGORIES = [
    "plumbing",
    "electrical",
    "elevator",
    "doors_locks",
    "cleaning",
    "greening",
    "noise_complaint",
    "other",
]
TEXTS = [
    "厨房水管漏水，麻烦尽快处理",
    "楼道灯坏了，晚上一片漆黑",
    "电梯门关不上",
    "单元门禁坏了刷卡进不去",
    "垃圾桶满了溢出来",
    "草坪好久没修剪",
    "楼上半夜装修太吵",
    "快递柜打不开",
]


def build_data(env, n_requests, n_technicians, rng):
    from odoo import Command

    now = datetime.utcnow().replace(microsecond=0)
    categories = {c.code: c for c in env["property.request.category"].search([])}
    day_shift = env["resource.calendar"].create({"name": "Day shift", "tz": "UTC"})
    all_day = env["resource.calendar"].create(
        {
            "name": "Around the clock",
            "tz": "UTC",
            "attendance_ids": [
                Command.create({"name": "All day", "dayofweek": str(d), "hour_from": 0, "hour_to": 23.99})
                for d in range(7)
            ],
        }
    )
    estates = env["property.estate"].create(
        [
            {
                "name": f"测试小区{i}",
                "code": f"BD{i}",
                "latitude": 31.1 + rng.random() * 0.3,
                "longitude": 121.3 + rng.random() * 0.4,
            }
            for i in range(10)
        ]
    )
    employees = env["hr.employee"].create(
        [
            {
                "name": f"技师{i:03d}",
                "is_property_technician": True,
                "property_category_ids": [
                    Command.set([categories[c].id for c in rng.sample(CATEGORIES, rng.randint(1, 3))])
                ],
                "property_estate_ids": [Command.set(rng.sample(estates.ids, rng.randint(1, 2)))],
                "resource_calendar_id": (all_day if i % 2 else day_shift).id,
                "tz": "UTC",
            }
            for i in range(n_technicians)
        ]
    )
    env["hr.attendance"].create(
        [
            {
                "employee_id": employee.id,
                "check_in": now - timedelta(hours=2),
                "in_latitude": 31.1 + rng.random() * 0.3,
                "in_longitude": 121.3 + rng.random() * 0.4,
            }
            for employee in employees
            if rng.random() < 0.6
        ]
    )
    Request = env["property.request"].with_context(tracking_disable=True, mail_create_nolog=True)

    def request_vals():
        code = rng.choice(CATEGORIES)
        return {
            "description": rng.choice(TEXTS),
            "estate_id": rng.choice(estates.ids),
            "category_id": categories[code].id,
            "common_area": "大堂",
        }

    busy = Request.create([request_vals() for _i in range(300)])
    for request in busy:
        request.write({"technician_id": rng.choice(employees.ids), "state": "assigned"})
    return Request.create([request_vals() for _i in range(n_requests)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--technicians", type=int, default=200)
    parser.add_argument("--db", default="bench_dispatch")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    odoo_src, conf = odoo_setup(tempfile.mkdtemp(prefix="bench-dispatch-"))
    print(f"[bench] creating database {args.db} with property_workorder (no demo data)…", flush=True)
    create_database(conf, args.db, odoo_src, "property_workorder")

    import odoo
    from odoo import api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", str(conf), "-d", args.db, "--log-level=warn"])
    rng = random.Random(42)
    registry = Registry(args.db)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, 2, {})  # the administrator (property admin), not sudo
            requests = build_data(env, args.requests, args.technicians, rng)
            cr.commit()
            print(
                f"[bench] {len(requests)} new requests, {args.technicians} technicians, 300 open orders",
                flush=True,
            )
            requests.invalidate_recordset()
            started = time.perf_counter()
            context = requests._prepare_dispatch_context(requests.company_id)
            prepared = time.perf_counter()
            choices = requests._choose_technicians(context)
            seconds = time.perf_counter() - started
            print(
                f"[bench] decision: context {prepared - started:.3f}s, scoring {seconds - (prepared - started):.3f}s, "
                f"{len(choices)} chosen"
            )
            sample = next(iter(choices.values()))[1]
            print(f"[bench] example explanation: {sample}")
            # the same batch again, now with chatter tracking and followers as in production
            requests = requests.with_env(env)
            requests.invalidate_recordset()
            started_full = time.perf_counter()
            requests._dispatch_auto()
            env.flush_all()
            cr.precommit.run()  # tracking values are written here
            full = time.perf_counter() - started_full
            assigned = env["property.request"].search_count(
                [("id", "in", requests.ids), ("state", "=", "assigned")]
            )
            print(
                f"[bench] decision + assignment writes (tracking, followers): {full:.2f}s "
                f"({1000 * full / len(requests):.1f} ms/request), {assigned} assigned"
            )
            cr.rollback()
    finally:
        Registry.delete(args.db)
        if not args.keep:
            odoo.sql_db.close_all()
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    per_request = 1000 * seconds / len(requests)
    print(f"RESULT dispatch requests={len(requests)} seconds={seconds:.3f} per_request_ms={per_request:.2f}")


if __name__ == "__main__":
    main()
