#!/usr/bin/env python3
"""Benchmark: one month of billing for 10,000 households, against Odoo's standard path.

Creates a database (property_billing installed, no demo data) with 10,000 units from
property_base's demo generator, one paying household per unit, three charges (property fee
per m², a fixed parking fee, water by meter with tiered prices and two readings per meter),
then times:

* ours: the billing runs of every estate, chunk by chunk exactly as the queue jobs do them
  (one transaction per chunk, committed), ending with posted receivables: one journal entry
  per chunk, one receivable line per household, on a billing journal that secures its entries
  with Odoo's hash; Odoo's integrity report on that journal is printed afterwards;
* Odoo's standard path on the same households and amounts: one customer invoice per
  household (account.move create with invoice_line_ids, then action_post), in batch. Over
  10,000 households that takes many minutes, so by default it is timed on a sample of
  ``--baseline-sample`` households and extrapolated linearly (said in the output);
  ``--baseline-full`` times all of them.

Usage: .venv/bin/python bench/billing_run.py [--households 10000] [--db bench_billing] [--reuse]
The last line is: RESULT billing_run households=<n> seconds=<s> baseline_seconds=<s> ratio=<r>
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import date

from bench_common import create_database, give_every_unit_an_owner, odoo_setup

MONTH = date(2026, 3, 1)


def load_data(env, households):
    from odoo import Command

    from odoo.addons.property_base.tools import demo_generator

    started = time.time()
    data = demo_generator.generate(demo_generator.scaled_spec(households))
    estates = demo_generator.load(env, data)
    units = env["property.unit"].search([("estate_id", "in", estates.ids)], order="id")
    without_payer = give_every_unit_an_owner(env, units)
    without_payer.write({"status": "occupied"})
    print(f"generated {len(estates)} estates, {len(units)} units in {time.time() - started:.1f} s")

    started = time.time()
    fees = {x: env.ref(f"property_billing.product_fee_{x}") for x in ("property", "parking", "water")}
    fees_all = fees["property"] | fees["parking"] | fees["water"]
    fees_all.write({"taxes_id": [Command.clear()]})
    Rule = env["property.billing.rule"]
    for estate in estates:
        Rule.create(
            [
                {
                    "name": "物业费",
                    "estate_id": estate.id,
                    "product_id": fees["property"].id,
                    "kind": "area",
                    "price": 2.5,
                    "date_from": date(2026, 1, 1),
                    "vacancy_discount": 30,
                },
                {
                    "name": "停车费",
                    "estate_id": estate.id,
                    "product_id": fees["parking"].id,
                    "kind": "fixed",
                    "price": 150.0,
                    "date_from": date(2026, 1, 1),
                },
                {
                    "name": "水费",
                    "estate_id": estate.id,
                    "product_id": fees["water"].id,
                    "kind": "metered",
                    "meter_type": "water",
                    "date_from": date(2026, 1, 1),
                    "tier_ids": [
                        Command.create({"up_to": 15, "price": 2.9}),
                        Command.create({"up_to": 25, "price": 3.85}),
                        Command.create({"up_to": 0, "price": 6.7}),
                    ],
                },
            ]
        )
    meters = env["property.meter"].create(
        [
            {"name": f"SB-{u.code}", "unit_id": u.id, "meter_type": "water", "rollover_value": 100000.0}
            for u in units
        ]
    )
    readings = []
    for i, meter in enumerate(meters):
        start = 1000.0 + i % 500
        readings.append({"meter_id": meter.id, "date": date(2026, 2, 28), "value": start, "source": "iot"})
        readings.append(
            {"meter_id": meter.id, "date": date(2026, 3, 31), "value": start + 5 + i % 30, "source": "iot"}
        )
    env["property.meter.reading"]._import_readings(readings)
    print(
        f"created rules, {len(meters)} meters and {len(readings)} readings in {time.time() - started:.1f} s"
    )
    return estates


def run_ours(env, estates):
    """Every estate's run, chunk by chunk, one committed transaction per chunk (as jobs)."""
    cr = env.cr
    started = time.time()
    runs = env["property.billing.run"].create(
        [{"estate_id": e.id, "date_from": MONTH, "date_due": date(2026, 3, 31)} for e in estates]
    )
    cr.commit()
    for run in runs:
        run._prepare_chunks()
        run.state = "running"
        cr.commit()
        for chunk in run.chunk_ids:
            chunk._process()
            cr.commit()
    seconds = time.time() - started
    return runs, seconds


def check_integrity(env, journal):
    """The statuses of Odoo's integrity report for the billing journal ("verified" when every
    hashed entry still holds what was hashed when it was posted)."""
    auditor = env.ref("base.user_admin")
    auditor.groups_id = [(4, env.ref("account.group_account_user").id)]
    env.invalidate_all()
    results = env.company.with_user(auditor)._check_hash_integrity()["results"]
    statuses = {r["status"] for r in results if r["journal_name"].startswith(journal.name)}
    hashed = env["account.move"].search_count(
        [("journal_id", "=", journal.id), ("inalterable_hash", "!=", False)]
    )
    return f"{', '.join(sorted(statuses))} ({hashed} hashed entries)"


def run_baseline(env, bills, sample, journal):
    """Odoo's standard path: one customer invoice per household, created and posted in batch."""
    from odoo import Command

    bills = bills[:sample]
    vals_list = [
        {
            "move_type": "out_invoice",
            "partner_id": bill.partner_id.id,
            "journal_id": journal.id,
            "invoice_date": MONTH,
            "invoice_date_due": bill.date_due,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "name": line.description,
                        "quantity": 1.0,
                        "price_unit": line.amount,
                        "tax_ids": [Command.clear()],
                    }
                )
                for line in bill.line_ids
            ],
        }
        for bill in bills
    ]
    env.invalidate_all()
    started = time.time()
    moves = env["account.move"].with_context(tracking_disable=True).create(vals_list)
    moves.action_post()
    env.flush_all()
    seconds = time.time() - started
    assert all(m.state == "posted" for m in moves)
    total = sum(moves.mapped("amount_total"))
    expected = sum(bills.mapped("amount_total"))
    assert abs(total - expected) < 0.01, (total, expected)
    env.cr.rollback()
    return len(moves), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=10000)
    parser.add_argument("--db", default="bench_billing")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="start from the template database <db>_tpl of an earlier run (data loaded)",
    )
    parser.add_argument("--baseline-sample", type=int, default=1000)
    parser.add_argument("--baseline-full", action="store_true")
    args = parser.parse_args()

    src, conf = odoo_setup(f"/tmp/bench-billing-{args.db}")
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    template = f"{args.db}_tpl"
    odoo.tools.config.parse_config(["-c", conf, "-d", template, "--log-level", "warn"])
    if not args.reuse:
        seconds = create_database(conf, template, src, "property_billing")
        print(f"installed property_billing in {seconds:.1f} s")
        with Registry(template).cursor() as cr:
            load_data(
                api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"}),
                args.households,
            )
        Registry.delete(template)
        odoo.sql_db.close_db(template)
    subprocess.run(["dropdb", "--if-exists", args.db], check=True)
    subprocess.run(["createdb", "-T", template, args.db], check=True)
    if args.reuse:  # the template may hold an older version of the addon
        subprocess.run(
            [
                sys.executable,
                f"{src}/odoo-bin",
                "-c",
                conf,
                "-d",
                args.db,
                "-u",
                "property_billing",
                "--stop-after-init",
                "--http-port",
                "0",
                "--logfile",
                f"/tmp/bench-{args.db}-update.log",
            ],
            check=True,
        )
    odoo.tools.config["db_name"] = args.db
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"})
        estates = env["property.estate"].search([], order="id")

        # the billing journal secures its entries (Odoo 18's hash), as an auditor would want
        journal = env["property.bill.line"]._get_billing_journal(env.company)
        journal.restrict_mode_hash_table = True
        cr.commit()
        runs, seconds = run_ours(env, estates)
        print(f"integrity report of the billing journal: {check_integrity(env, journal)}")
        # the standard path is timed as before, on a sales journal without the hash (a hashed
        # journal cannot be unlocked)
        baseline_journal = journal.copy({"name": "Invoices (baseline)", "code": "BASE", "sequence": 99})
        baseline_journal.restrict_mode_hash_table = False
        cr.commit()
        bills = env["property.bill"].search([("run_id", "in", runs.ids)], order="id")
        receivables = env["account.move.line"].search_count(
            [("property_bill_id", "in", bills.ids), ("parent_state", "=", "posted")]
        )
        moves = runs.chunk_ids.move_id
        lines = env["property.bill.line"].search_count([("bill_id", "in", bills.ids)])
        print(
            f"ours: {len(bills)} bills, {lines} bill lines, {receivables} receivable lines (one per household) "
            f"in {len(moves)} posted journal entries, {sum(bills.mapped('amount_total')):.2f} billed, "
            f"in {seconds:.1f} s"
        )

        sample = len(bills) if args.baseline_full else min(args.baseline_sample, len(bills))
        count, base_seconds = run_baseline(env, bills, sample, baseline_journal)
        if count == len(bills):
            baseline = base_seconds
            print(f"standard path: {count} customer invoices created and posted in {base_seconds:.1f} s")
        else:
            baseline = base_seconds * len(bills) / count
            print(
                f"standard path: measured {count} customer invoices created and posted in {base_seconds:.1f} s; "
                f"EXTRAPOLATED linearly to {len(bills)} households: {baseline:.1f} s"
            )
    print(
        f"RESULT billing_run households={len(bills)} seconds={seconds:.1f} baseline_seconds={baseline:.1f} "
        f"ratio={baseline / seconds:.1f}"
    )


if __name__ == "__main__":
    os.environ.setdefault("TZ", "UTC")
    main()
