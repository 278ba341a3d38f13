#!/usr/bin/env python3
"""Restore drill: prove that the latest backup brings the suite back, and how fast.

1. On the live (source) database: create a named restore point and, in the same snapshot,
   count the rows of every table and read a sample of bills, readings and attachments; switch
   the WAL segment and wait until the archive holds it (the archive lag bounds the RPO).
2. Restore the latest pgBackRest backup into a fresh data directory and replay the archived
   WAL up to that restore point, on a throwaway cluster (own port, own socket, archiving off:
   it never writes to the repositories).
3. Restore the latest restic snapshot of the filestore.
4. Start Odoo on the restored copy (no crons, no job runner) and load its login page and an
   asset bundle.
5. Compare (before Odoo writes anything): row counts of every table, the sampled rows column by
   column, every attachment's file (present; the sampled ones with the right SHA-1). Print the
   RTO (restore start → Odoo answering, comparisons left out) and exit non-zero when any check
   fails.

Run by the backup stack (`docker compose --profile drill run --rm restore-drill`) and by the
test suite (scripts/test_restore_drill.py) against throwaway clusters.
"""

import argparse
import contextlib
import hashlib
import json
import os
import pwd
import random
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import psycopg2
import psycopg2.extensions

# What the drill samples, by table: bills, meter readings, attachments (files).
SAMPLES = ("property_bill", "property_iot_reading", "property_meter_reading", "ir_attachment")


def log(message):
    print(f"[drill] {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Drill:
    def __init__(self, args):
        self.args = args
        self.checks = []
        self.figures = {}
        self.os_user = args.os_user if os.geteuid() == 0 else None
        if args.workdir:
            os.makedirs(args.workdir, exist_ok=True)
        self.workdir = tempfile.mkdtemp(prefix="restore-drill-", dir=args.workdir)
        self.pgdata = os.path.join(self.workdir, "pgdata")
        self.sockdir = os.path.join(self.workdir, "run")
        self.datadir = os.path.join(self.workdir, "odoo-data")
        self.port = free_port()
        self.point = "drill_" + time.strftime("%Y%m%dT%H%M%S")
        self.odoo = None
        self.pg_started = False
        self.env = dict(
            os.environ,
            PGBACKREST_STANZA=args.stanza,
            PGBACKREST_LOCK_PATH=os.path.join(self.workdir, "lock"),
            PGBACKREST_LOG_LEVEL_FILE="off",
            PGBACKREST_PG1_PATH=self.pgdata,
        )
        if args.pgbackrest_config:
            self.env["PGBACKREST_CONFIG"] = args.pgbackrest_config
        if args.repo:
            self.env["PGBACKREST_REPO"] = str(args.repo)

    # -- helpers -------------------------------------------------------------------------

    def check(self, name, ok, detail=""):
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        log(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")

    def as_cluster_user(self, cmd):
        return ["runuser", "-u", self.os_user, "--", *cmd] if self.os_user else cmd

    def own(self, path):
        if self.os_user:
            user = pwd.getpwnam(self.os_user)
            os.chown(path, user.pw_uid, user.pw_gid)

    def run(self, cmd, timeout=None, cluster_user=False):
        cmd = self.as_cluster_user(cmd) if cluster_user else cmd
        proc = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=timeout, check=False)
        if proc.returncode:
            raise RuntimeError(f"{shlex.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
        return proc.stdout

    def restored_conn(self):
        conn = psycopg2.connect(
            host=self.sockdir, port=self.port, dbname=self.args.db, user=self.source_user, connect_timeout=10
        )
        conn.set_session(readonly=True, autocommit=True)
        return conn

    # -- 1. the source -------------------------------------------------------------------

    def read_source(self):
        args = self.args
        with contextlib.closing(psycopg2.connect(args.source_dsn)) as conn:
            self.source_user = conn.info.user
            conn.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ)
            with conn.cursor() as cr:
                # First statement of the transaction: its snapshot is the restore point's state.
                cr.execute("SELECT pg_create_restore_point(%s)", [self.point])
                self.source_counts = self._counts(cr)
                self.source_samples = self._samples(cr, args.sample)
                cr.execute("SELECT pg_database_size(current_database())")
                self.figures["db_size_mb"] = round(cr.fetchone()[0] / 2**20, 1)
            conn.commit()
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute("SHOW archive_mode")
                archive_mode = cr.fetchone()[0]
                cr.execute("SELECT setting::int FROM pg_settings WHERE name = 'archive_timeout'")
                archive_timeout = cr.fetchone()[0]
                self.check(
                    "archiving on, archive_timeout within the RPO",
                    archive_mode in ("on", "always") and 0 < archive_timeout <= args.rpo_goal,
                    f"archive_mode={archive_mode} archive_timeout={archive_timeout}s, RPO goal {args.rpo_goal}s",
                )
                started = time.monotonic()
                cr.execute("SELECT pg_walfile_name(pg_switch_wal())")
                segment = cr.fetchone()[0]
                archived = None
                while time.monotonic() - started < args.rpo_goal:
                    cr.execute(
                        "SELECT last_archived_wal, last_failed_wal, last_failed_time > last_archived_time FROM pg_stat_archiver"
                    )
                    archived, failed, failing = cr.fetchone()
                    if archived and archived[8:] >= segment[8:]:
                        break
                    time.sleep(0.5)
                lag = time.monotonic() - started
                self.figures["archive_lag_s"] = round(lag, 1)
                ok = bool(archived) and archived[8:] >= segment[8:]
                self.check(
                    "the restore point's WAL segment reached the archive",
                    ok,
                    f"{segment} archived after {lag:.1f}s"
                    if ok
                    else f"last archived {archived}, failing: {failing} {failed}",
                )
                if not ok:
                    raise RuntimeError("WAL archiving does not work: nothing to restore to")
        log(
            f"source: restore point {self.point}, {len(self.source_counts)} tables, "
            f"{sum(self.source_counts.values())} rows, {self.figures['db_size_mb']} MB"
        )

    @staticmethod
    def _counts(cr):
        # Every permanent table of the database (partitions counted one by one); unlogged tables
        # are empty after any crash or restore by design, so they are left out.
        cr.execute(
            """SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND c.relpersistence = 'p'
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'
                ORDER BY 1, 2"""
        )
        counts = {}
        for schema, table in cr.fetchall():
            cr.execute(f'SELECT count(*) FROM "{schema}"."{table}"')  # identifiers from pg_class
            counts[f"{schema}.{table}"] = cr.fetchone()[0]
        return counts

    def _samples(self, cr, size):
        """Per sampled table: the newest rows (the ones WAL replay brought back) and rows spread
        at random over the whole id range, found by primary key (cheap on any table size)."""
        rng = random.Random(self.point)
        samples = {}
        for table in SAMPLES:
            cr.execute("SELECT to_regclass(%s) IS NOT NULL", [f"public.{table}"])
            if not cr.fetchone()[0]:
                continue
            cr.execute(f"SELECT id FROM public.{table} ORDER BY id DESC LIMIT %s", [max(1, size // 5)])
            ids = [row[0] for row in cr.fetchall()]
            if ids:
                cr.execute(f"SELECT min(id) FROM public.{table}")
                low = cr.fetchone()[0]
                candidates = sorted({rng.randint(low, ids[0]) for _ in range(size * 4)} - set(ids))
                cr.execute(f"SELECT id FROM public.{table} WHERE id = ANY(%s) ORDER BY id", [candidates])
                ids += [row[0] for row in cr.fetchall()][: size - len(ids)]
            samples[table] = self._rows(cr, table, ids)
        return samples

    @staticmethod
    def _rows(cr, table, ids):
        cr.execute(f"SELECT id, to_jsonb(t) FROM public.{table} t WHERE id = ANY(%s)", [ids])
        return dict(cr.fetchall())

    # -- 2-4. restore and start ----------------------------------------------------------

    def restore_database(self):
        for path in (self.pgdata, self.sockdir, self.env["PGBACKREST_LOCK_PATH"]):
            os.makedirs(path, mode=0o700, exist_ok=True)
            self.own(path)
        self.own(self.workdir)
        self.check_latest_backup()
        started = time.monotonic()
        self.run(
            [
                "pgbackrest",
                "--type=name",
                f"--target={self.point}",
                "--target-action=promote",
                "--log-level-console=warn",
                "restore",
            ],
            cluster_user=True,
            timeout=self.args.rto_goal,
        )
        self.figures["restore_files_s"] = round(time.monotonic() - started, 1)
        options = {
            "port": self.port,
            "listen_addresses": "",
            "unix_socket_directories": self.sockdir,
            "archive_mode": "off",
            "hot_standby": "on",
            **dict(option.split("=", 1) for option in self.args.pg_option),
        }
        opts = " ".join(f"-c {key}={shlex.quote(str(value))}" for key, value in options.items())
        self.run(
            [
                os.path.join(self.args.pg_bin, "pg_ctl"),
                "-D",
                self.pgdata,
                "-l",
                os.path.join(self.workdir, "postgresql.log"),
                "-o",
                opts,
                "-w",
                "-t",
                str(self.args.rto_goal),
                "start",
            ],
            cluster_user=True,
            timeout=self.args.rto_goal + 10,
        )
        self.pg_started = True
        while True:
            with contextlib.closing(self.restored_conn()) as conn, conn.cursor() as cr:
                cr.execute("SELECT pg_is_in_recovery()")
                if not cr.fetchone()[0]:
                    break
            if time.monotonic() - started > self.args.rto_goal:
                raise RuntimeError("the restored cluster is still recovering after the RTO goal")
            time.sleep(0.5)
        self.figures["restore_db_s"] = round(time.monotonic() - started, 1)
        log(f"database restored and promoted in {self.figures['restore_db_s']}s (port {self.port})")

    def check_latest_backup(self):
        """The backup the restore starts from: recent enough that little WAL is left to replay."""
        info = json.loads(self.run(["pgbackrest", "info", "--output=json"], cluster_user=True))
        backups = [backup for stanza in info for backup in stanza.get("backup", [])]
        if not backups:
            return  # the restore itself reports it
        latest = max(backups, key=lambda backup: backup["timestamp"]["stop"])
        age_h = (time.time() - latest["timestamp"]["stop"]) / 3600
        self.figures.update(backup=latest["label"], backup_age_h=round(age_h, 2))
        self.check(
            "the latest base backup is recent",
            age_h <= self.args.max_backup_age,
            f"{latest['type']} {latest['label']}, {age_h:.1f} h old (at most {self.args.max_backup_age} h)",
        )

    def restore_filestore(self):
        self.snapshot_time = None
        if not self.args.restic_repo:
            return
        started = time.monotonic()
        target = os.path.join(self.workdir, "restic")
        env = dict(self.env, RESTIC_REPOSITORY=self.args.restic_repo)
        snapshots = json.loads(
            subprocess.run(
                [
                    "restic",
                    "snapshots",
                    "--no-lock",
                    "--json",
                    "--latest",
                    "1",
                    "--path",
                    self.args.filestore_path,
                ],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            or "[]"
        )
        if not snapshots:
            raise RuntimeError(f"no restic snapshot of {self.args.filestore_path} in {self.args.restic_repo}")
        snapshot = snapshots[-1]
        self.snapshot_time = snapshot["time"]
        subprocess.run(
            ["restic", "restore", "--no-lock", snapshot["id"], "--target", target],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        filestore = os.path.join(self.datadir, "filestore", self.args.db)
        os.makedirs(os.path.dirname(filestore), exist_ok=True)
        os.rename(os.path.join(target, self.args.filestore_path.lstrip("/")), filestore)
        self.figures["restore_filestore_s"] = round(time.monotonic() - started, 1)
        log(f"filestore snapshot {snapshot['id'][:8]} of {self.snapshot_time} restored")

    def start_odoo(self):
        started = time.monotonic()
        http_port = free_port()
        cmd = shlex.split(self.args.odoo_cmd) + [
            "-d",
            self.args.db,
            f"--db_host={self.sockdir}",
            f"--db_port={self.port}",
            f"--db_user={self.source_user}",
            f"--data-dir={self.datadir}",
            f"--http-port={http_port}",
            "--http-interface=127.0.0.1",
            "--workers=0",
            "--max-cron-threads=0",
            "--no-database-list",
            f"--db-filter=^{re.escape(self.args.db)}$",
            f"--logfile={os.path.join(self.workdir, 'odoo.log')}",
        ]
        # no job runner on a restored copy: it must never act on the residents' behalf
        env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS="root:0")
        os.makedirs(self.datadir, exist_ok=True)
        self.odoo = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{http_port}"
        page, error = None, None
        while time.monotonic() - started < self.args.odoo_timeout and self.odoo.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/web/login", timeout=60) as response:
                    page = response.read().decode()
                    break
            except OSError as exc:
                error = exc
                time.sleep(1)
        self.figures["odoo_ready_s"] = round(time.monotonic() - started, 1)
        self.check(
            "Odoo serves the restored database",
            page is not None and 'name="login"' in page,
            f"login page after {self.figures['odoo_ready_s']}s" if page else f"no answer: {error}",
        )
        if page:
            asset = re.search(r'href="(/web/assets/[^"]+\.css)"', page)
            status = None
            if asset:
                with urllib.request.urlopen(base + asset.group(1), timeout=60) as response:
                    status = response.status if response.read() else None
            self.check(
                "Odoo serves an asset bundle from the restored filestore",
                status == 200,
                str(asset and asset.group(1)),
            )

    # -- 5. compare ----------------------------------------------------------------------

    def compare(self):
        with contextlib.closing(self.restored_conn()) as conn, conn.cursor() as cr:
            cr.execute("SHOW archive_mode")
            self.check("the restored cluster does not archive", cr.fetchone()[0] == "off")
            restored = self._counts(cr)
            diff = {
                table: (count, restored.get(table))
                for table, count in self.source_counts.items()
                if restored.get(table) != count
            }
            self.check(
                "row counts of every table",
                not diff and set(restored) == set(self.source_counts),
                f"{len(restored)} tables, {sum(restored.values())} rows"
                if not diff
                else "differ: " + ", ".join(f"{t} {a}→{b}" for t, (a, b) in list(diff.items())[:10]),
            )
            for table, rows in self.source_samples.items():
                self.figures[f"sampled_{table}"] = len(rows)
                restored_rows = self._rows(cr, table, list(rows))
                bad = [row_id for row_id, row in rows.items() if restored_rows.get(row_id) != row]
                self.check(
                    f"sample of {table}",
                    not bad,
                    f"{len(rows)} rows identical"
                    if not bad
                    else f"{len(rows)} rows, differing ids {bad[:10]}",
                )
            if self.args.restic_repo:
                self._compare_files(cr)

    def _compare_files(self, cr):
        filestore = os.path.join(self.datadir, "filestore", self.args.db)
        cr.execute(
            "SELECT store_fname, checksum, create_date > (%s::timestamptz AT TIME ZONE 'UTC') "
            "FROM ir_attachment WHERE store_fname IS NOT NULL",
            [self.snapshot_time],
        )
        missing_old, missing_new, files = [], 0, cr.fetchall()
        for store_fname, _checksum, younger in files:
            if not os.path.isfile(os.path.join(filestore, store_fname)):
                if younger:
                    missing_new += 1  # written after the last filestore snapshot: within the RPO
                else:
                    missing_old.append(store_fname)
        self.check(
            "every attachment's file is in the restored filestore",
            files and not missing_old,
            f"{len(files)} files, {missing_new} younger than the last snapshot"
            if not missing_old
            else f"{len(missing_old)} missing, e.g. {missing_old[:3]}",
        )
        sampled = [
            row for row in self.source_samples.get("ir_attachment", {}).values() if row.get("store_fname")
        ]
        bad = []
        for row in sampled:
            path = os.path.join(filestore, row["store_fname"])
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    if hashlib.sha1(f.read()).hexdigest() != row["checksum"]:
                        bad.append(row["id"])
        self.check(
            "sampled attachments' content (SHA-1)",
            sampled and not bad,
            f"{len(sampled)} files" if not bad else f"wrong content: ids {bad}",
        )

    # -- the drill -----------------------------------------------------------------------

    def stop(self):
        if self.odoo and self.odoo.poll() is None:
            self.odoo.terminate()
            try:
                self.odoo.wait(30)
            except subprocess.TimeoutExpired:
                self.odoo.kill()
                self.odoo.wait()
        if self.pg_started:
            subprocess.run(
                self.as_cluster_user(
                    [
                        os.path.join(self.args.pg_bin, "pg_ctl"),
                        "-D",
                        self.pgdata,
                        "-m",
                        "immediate",
                        "-w",
                        "stop",
                    ]
                ),
                capture_output=True,
                check=False,
            )
        if not self.args.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def execute(self):
        try:
            self.read_source()
            started = time.monotonic()
            self.restore_database()
            self.restore_filestore()
            restored = time.monotonic()
            # compared before Odoo starts: Odoo writes (asset bundles, sessions) on its first requests
            self.compare()
            compared = time.monotonic()
            self.start_odoo()
            rto = time.monotonic() - started - (compared - restored)
            self.figures["rto_s"] = round(rto, 1)
            self.check(
                "RTO within the goal", rto <= self.args.rto_goal, f"{rto:.1f}s (goal {self.args.rto_goal}s)"
            )
        except (RuntimeError, OSError, subprocess.SubprocessError, psycopg2.Error) as exc:
            self.check("drill ran to the end", False, str(exc))
            if os.path.exists(os.path.join(self.workdir, "postgresql.log")):
                with open(
                    os.path.join(self.workdir, "postgresql.log"), encoding="utf-8", errors="replace"
                ) as f:
                    log("restored cluster log (tail):\n" + "".join(f.readlines()[-20:]))
        finally:
            self.stop()
        failed = [c for c in self.checks if not c["ok"]]
        figures = " ".join(f"{key}={value}" for key, value in self.figures.items())
        print(f"RESULT restore_drill checks={len(self.checks)} failed={len(failed)} {figures}", flush=True)
        if self.args.json:
            with open(self.args.json, "w", encoding="utf-8") as f:
                json.dump(
                    {
                        "checks": self.checks,
                        "figures": self.figures,
                        "restore_point": self.point,
                        "source_counts": getattr(self, "source_counts", {}),
                    },
                    f,
                    indent=1,
                )
        return 1 if failed else 0


def build_parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stanza", default="property")
    parser.add_argument(
        "--pgbackrest-config", help="pgBackRest configuration file (default: its own default)"
    )
    parser.add_argument("--repo", type=int, help="the pgBackRest repository to restore from (2: off-site)")
    parser.add_argument("--source-dsn", required=True, help="libpq connection string of the live database")
    parser.add_argument("--db", required=True, help="database name (the same in the restored cluster)")
    parser.add_argument("--pg-bin", default="/usr/lib/postgresql/16/bin")
    parser.add_argument(
        "--pg-option", action="append", default=[], help="name=value for the restored cluster"
    )
    parser.add_argument(
        "--os-user", default="postgres", help="owner of the restored cluster when run as root"
    )
    parser.add_argument(
        "--restic-repo", help="restic repository of the filestore (RESTIC_PASSWORD in the environment)"
    )
    parser.add_argument("--filestore-path", default="/var/lib/odoo/filestore/property", help="as backed up")
    parser.add_argument(
        "--odoo-cmd", default="odoo", help="how to start Odoo (the drill adds database and port)"
    )
    parser.add_argument("--odoo-timeout", type=int, default=600)
    parser.add_argument("--sample", type=int, default=50, help="rows sampled per table")
    parser.add_argument("--rto-goal", type=int, default=1800, help="seconds")
    parser.add_argument("--rpo-goal", type=int, default=900, help="seconds")
    parser.add_argument(
        "--max-backup-age", type=float, default=26, help="hours (a base backup is taken every day)"
    )
    parser.add_argument(
        "--workdir", help="where the throwaway cluster's folder is made (default: the temporary folder)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the restored cluster's folder")
    parser.add_argument("--json", help="write the checks and figures here")
    return parser


def main(argv=None):
    return Drill(build_parser().parse_args(argv)).execute()


if __name__ == "__main__":
    sys.exit(main())
