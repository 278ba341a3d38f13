#!/usr/bin/env python3
"""Benchmark: the residents' bills and requests pages under 20 concurrent residents.

Creates a database (property_portal installed, no demo data) with ``--households`` units
from property_base's demo generator (one paying household per unit), ``--months`` posted monthly bills
(6) and ``--requests`` repair requests (2) per household, and ``--residents`` portal users for households spread
over the estates. Then starts a real Odoo server (odoo-bin, prefork ``--workers``, free port), logs
every resident in (one requests.Session each) and runs, one thread per resident:

1. residents: each resident alternates GET /my/bills and GET /my/requests for ``--seconds``,
   reading each page 0.5-1.5 s (``--think-min``/``--think-max``) before the next click;
2. the same with Odoo's own portal page /my/invoices (same layout): the baseline;
3. and 4. both again with no pause at all between clicks (``--saturation-seconds``): capacity.

The goal and the RESULT line are those of scenario 1 (p95 of every page load).

Usage: .venv/bin/python bench/portal.py [--households 10000] [--residents 20] [--seconds 60]
       [--saturation-seconds 30] [--workers 4] [--db bench_portal] [--reuse]
The last line is: RESULT portal p95_ms=<ms> requests=<n> errors=<n>
"""

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date

import requests
from bench_common import create_database, give_every_unit_an_owner, odoo_setup

PASSWORD = "resident-bench"


def odoo_bin(src, conf, *args, log="/tmp/bench-portal.log"):
    return [sys.executable, f"{src}/odoo-bin", "-c", conf, *args, "--logfile", log, "--log-level", "warn"]


def month(i):
    return date(2025 + i // 12, i % 12 + 1, 1)


def load_data(env, households, residents, months=6, requests_per_household=2):
    from odoo import Command

    from odoo.addons.property_base.tools import demo_generator

    cr = env.cr
    started = time.time()
    if not env.company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", env.company, install_demo=False)
    data = demo_generator.generate(demo_generator.scaled_spec(households))
    estates = demo_generator.load(env, data)
    units = env["property.unit"].search([("estate_id", "in", estates.ids)], order="id")
    give_every_unit_an_owner(env, units)
    cr.commit()
    print(
        f"generated {len(estates)} estates, {len(units)} units in {time.time() - started:.1f} s", flush=True
    )

    started = time.time()
    fee = env.ref("property_billing.product_fee_property")
    fee.taxes_id = [Command.clear()]
    owners = {
        o.unit_id.id: o.partner_id
        for o in env["property.occupancy"].search([("unit_id", "in", units.ids), ("role", "=", "owner")])
    }
    for m in range(months):
        for chunk_start in range(0, len(units), 2000):
            chunk = units[chunk_start : chunk_start + 2000]
            bills = env["property.bill"].create(
                [
                    {
                        "partner_id": owners[u.id].id,
                        "estate_id": u.estate_id.id,
                        "building_id": u.building_id.id,
                        "period_start": month(m),
                        "period_end": month(m).replace(day=28),
                        "date": month(m),
                        "date_due": month(m).replace(day=28),
                        "line_ids": [
                            Command.create(
                                {
                                    "unit_id": u.id,
                                    "product_id": fee.id,
                                    "period_start": month(m),
                                    "quantity": u.gross_area,
                                    "price_unit": 2.5,
                                    "amount": round(u.gross_area * 2.5, 2),
                                    "description": "按建筑面积计费",
                                }
                            )
                        ],
                    }
                    for u in chunk
                ]
            )
            bills.line_ids._post_receivables(month(m), f"物业费 {month(m)}")
            cr.commit()
            env.invalidate_all()
        print(f"  bills of month {m + 1}/{months} posted ({time.time() - started:.0f} s)", flush=True)
    print(f"posted {months * len(units)} bills in {time.time() - started:.1f} s", flush=True)

    started = time.time()
    texts = ["厨房水龙头漏水", "客厅灯不亮", "门禁卡刷不开"][:requests_per_household]
    Request = env["property.request"].with_context(tracking_disable=True, mail_create_nolog=True)
    for chunk_start in range(0, len(units), 1000):
        chunk = units[chunk_start : chunk_start + 1000]
        Request.create(
            [
                {
                    "unit_id": u.id,
                    "partner_id": owners[u.id].id,
                    "description": text,
                    "source": "portal",
                    "company_id": u.company_id.id,
                }
                for u in chunk
                for text in texts
            ]
        )
        cr.commit()
        env.invalidate_all()
    print(f"created {len(texts) * len(units)} requests in {time.time() - started:.1f} s", flush=True)

    step = max(len(units) // residents, 1)
    chosen = [units[i * step] for i in range(residents)]
    portal = env.ref("base.group_portal")
    for i, unit in enumerate(chosen):
        env["res.users"].with_context(no_reset_password=True).create(
            {
                "login": f"bench_resident_{i}",
                "password": PASSWORD,
                "partner_id": owners[unit.id].id,
                "groups_id": [Command.set(portal.ids)],
            }
        )
    cr.commit()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(src, conf, db, workers):
    port = free_port()
    cmd = odoo_bin(
        src,
        conf,
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        "--http-port",
        str(port),
        "--workers",
        str(workers),
        "--max-cron-threads",
        "0",
        "--limit-time-real",
        "600",
        "--gevent-port",
        str(free_port()),
        log="/tmp/bench-portal-server.log",
    )
    server = subprocess.Popen(cmd)
    url = f"http://127.0.0.1:{port}"
    for _i in range(120):
        try:
            if requests.get(f"{url}/web/login", timeout=5).status_code == 200:
                return server, url
        except requests.RequestException:
            pass
        time.sleep(1)
    server.terminate()
    raise RuntimeError("the Odoo server did not start")


def login(url, user):
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = session.post(
        f"{url}/web/login",
        data={"login": user, "password": PASSWORD, "csrf_token": token, "redirect": "/my/bills"},
        timeout=30,
    )
    if "/web/login" in answer.url:
        raise RuntimeError(f"login of {user} failed")
    return session


OURS = ("/my/bills", "/my/requests")
STOCK = ("/my/invoices",)  # Odoo's own portal list page, same layout: the baseline
MARKERS = {OURS: "o_property_title", STOCK: "o_portal_wrap"}  # a page that rendered fully


def run_load(sessions, url, paths, seconds, *, think, marker):
    """Each session is a resident: GET the paths in turn, waiting ``think`` (low, high) seconds,
    drawn uniformly, between two pages. Returns (latencies in ms, errors)."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.time() + seconds

    def resident(number, session):
        rand = random.Random(number)
        i = number  # residents do not all start on the same page
        time.sleep(rand.uniform(*think))
        while time.time() < deadline:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                response = session.get(f"{url}{path}", timeout=30, allow_redirects=False)
                ok = response.status_code == 200 and marker in response.text
            except requests.RequestException:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors[0] += 1
            if think[1]:
                time.sleep(rand.uniform(*think))

    threads = [threading.Thread(target=resident, args=(n, s)) for n, s in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies), errors[0]


def p95(latencies):
    return latencies[max(int(len(latencies) * 0.95) - 1, 0)]


def report(label, latencies, errors, seconds):
    print(
        f"  {label:<44} {len(latencies):>6} {len(latencies) / seconds:>7.1f} "
        f"{statistics.median(latencies):>7.0f} {p95(latencies):>7.0f} {latencies[-1]:>7.0f} {errors:>6}",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=10000)
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60, help="length of each residents scenario")
    parser.add_argument(
        "--saturation-seconds", type=int, default=30, help="length of each no-think-time scenario (0: skip)"
    )
    parser.add_argument(
        "--think-min", type=float, default=0.5, help="seconds a resident reads a page, at least"
    )
    parser.add_argument(
        "--think-max", type=float, default=1.5, help="seconds a resident reads a page, at most"
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--months", type=int, default=6, help="posted monthly bills per household")
    parser.add_argument("--requests", type=int, default=2, help="repair requests per household (at most 3)")
    parser.add_argument("--db", default="bench_portal")
    parser.add_argument("--reuse", action="store_true", help="reuse the database of an earlier run")
    args = parser.parse_args()

    src, conf = odoo_setup(f"/tmp/bench-portal-{args.db}")
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    if not args.reuse:
        seconds = create_database(conf, args.db, src, "property_portal")
        print(f"installed property_portal in {seconds:.1f} s", flush=True)
        odoo.tools.config.parse_config(["-c", conf, "-d", args.db, "--log-level", "warn"])
        with Registry(args.db).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"})
            load_data(env, args.households, args.residents, args.months, args.requests)
        Registry.delete(args.db)
        odoo.sql_db.close_db(args.db)

    server, url = start_server(src, conf, args.db, args.workers)
    think = (args.think_min, args.think_max)
    try:
        sessions = [login(url, f"bench_resident_{i}") for i in range(args.residents)]
        for session in sessions:  # warm-up: caches and assets of each worker
            for path in OURS + STOCK:
                session.get(f"{url}{path}", timeout=30)
        print(
            f"{args.residents} residents, {args.workers} workers, {os.cpu_count()} CPUs; "
            f"think time {think[0]}-{think[1]} s between pages, then none (saturation)",
            flush=True,
        )
        print(
            f"  {'scenario':<44} {'reqs':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'errors':>6}"
        )
        results = {}
        for name, paths, think_time, seconds in (
            ("residents: bills + requests (ours)", OURS, think, args.seconds),
            ("residents: Odoo's /my/invoices (baseline)", STOCK, think, args.seconds),
            ("saturation: bills + requests (ours)", OURS, (0, 0), args.saturation_seconds),
            ("saturation: Odoo's /my/invoices (baseline)", STOCK, (0, 0), args.saturation_seconds),
        ):
            if not seconds:
                continue
            latencies, errors = run_load(
                sessions, url, paths, seconds, think=think_time, marker=MARKERS[paths]
            )
            report(name, latencies, errors, seconds)
            results[name] = (latencies, errors)
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    latencies, errors = results["residents: bills + requests (ours)"]
    print(f"RESULT portal p95_ms={p95(latencies):.0f} requests={len(latencies)} errors={errors}")


if __name__ == "__main__":
    main()
