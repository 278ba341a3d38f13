#!/usr/bin/env python3
"""Test of the backup stack and the restore drill, run by scripts/test.sh after the Odoo tests.

Never touches the machine's shared PostgreSQL server beyond reading the test database:
1. a throwaway "production" cluster (initdb on a free port) started with the archiving settings
   of docker/docker-compose.yml's db service and docker/backup/pgbackrest.conf (paths moved
   into a temporary folder), plus a second, encrypted repository standing in for the off-site one;
2. the test database (the whole suite with demo data) and its filestore copied into it;
3. `docker/backup/backup.sh init`, `full`, a new table, `incr`, as the backup service runs
   them; then more writes (another table, a new attachment, changed bills) that only WAL replay
   and the next filestore snapshot carry;
4. scripts/restore_drill.py from the off-site repository: restore into another throwaway
   cluster, Odoo started on it, counts and samples compared;
5. the drill must fail when the repository holds no backup.

Prints one line per check and ends with "N passed, N failed" (scripts/test_report.py adds them
to the Odoo tests' figures). Missing tools are failures, never skips.
"""

import argparse
import configparser
import hashlib
import json
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
RESULTS = []


def report(name, ok, detail=""):
    RESULTS.append(ok)
    print(
        f"[restore-drill-test] {'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True
    )
    return ok


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def du_mb(path):
    total = sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())
    return round(total / 2**20, 1)


class Harness:
    def __init__(self, args):
        self.args = args
        self.os_user = "postgres" if os.geteuid() == 0 else None
        self.work = Path(tempfile.mkdtemp(prefix="restore-drill-test-"))
        self.port = free_port()
        self.run_dir = self.work / "run"
        self.pgdata = self.work / "source"
        self.conf = self.work / "pgbackrest.conf"
        self.filestore = self.work / "odoo-data" / "filestore" / "property"
        self.restic_repo = self.work / "restic"
        self.pg_bin = Path(args.pg_bin)
        self.env = dict(
            os.environ,
            PGBACKREST_CONFIG=str(self.conf),
            # nothing from the machine's own pgBackRest setup (/etc/pgbackrest/conf.d) or restic cache
            PGBACKREST_CONFIG_INCLUDE_PATH=str(self.work / "conf.d"),
            RESTIC_CACHE_DIR=str(self.work / "restic-cache"),
            RESTIC_REPOSITORY=str(self.restic_repo),
            RESTIC_PASSWORD="drill-test-filestore-key",
            FILESTORE_PATH=str(self.filestore),
            PG_OS_USER=self.os_user or "",
        )
        for var in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"):
            self.env.pop(var, None)

    def cmd(self, args, cluster_user=False, env=None, timeout=600, **kwargs):
        if cluster_user and self.os_user:
            args = ["runuser", "-u", self.os_user, "--", *args]
        return subprocess.run(
            [str(a) for a in args],
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
            **kwargs,
        )

    def psql(self, sql):
        return self.cmd(
            [
                self.pg_bin / "psql",
                "-h",
                self.run_dir,
                "-p",
                self.port,
                "-U",
                "odoo",
                "-d",
                "property",
                "-v",
                "ON_ERROR_STOP=1",
                "-Atqc",
                sql,
            ]
        ).stdout.strip()

    # -- the throwaway production cluster ------------------------------------------------

    def compose_db_options(self):
        command = yaml.safe_load((DOCKER / "docker-compose.yml").read_text())["services"]["db"]["command"]
        assert command[0] == "postgres", command
        options = {}
        for flag, value in zip(command[1::2], command[2::2], strict=True):
            assert flag == "-c", command
            key, val = value.split("=", 1)
            options[key] = val
        return options

    def write_pgbackrest_conf(self):
        shipped = configparser.ConfigParser(interpolation=None)
        shipped.optionxform = str
        shipped.read(DOCKER / "backup" / "pgbackrest.conf")
        offsite = configparser.ConfigParser(interpolation=None)
        offsite.optionxform = str
        offsite.read(DOCKER / "backup" / "offsite.conf.example")
        glob, stanza = shipped["global"], shipped["property"]
        glob.update(
            {
                "repo1-path": str(self.work / "repo1"),
                "log-path": str(self.work / "log"),
                "lock-path": str(self.work / "lock"),
            }
        )
        # the off-site repository, as shipped but on a local path instead of object storage
        for key, value in offsite["global"].items():
            if key.startswith("repo2-") and not key.startswith("repo2-s3-"):
                glob[key] = value
        glob.update(
            {"repo2-type": "posix", "repo2-path": str(self.work / "repo2"), "repo2-cipher-pass": "drill-test"}
        )
        stanza.update(
            {"pg1-path": str(self.pgdata), "pg1-port": str(self.port), "pg1-socket-path": str(self.run_dir)}
        )
        with open(self.conf, "w", encoding="utf-8") as f:
            shipped.write(f)

    def start_source(self):
        for path in (
            self.work,
            self.work / "conf.d",
            self.run_dir,
            self.work / "log",
            self.work / "lock",
            self.work / "repo1",
            self.work / "repo2",
        ):
            path.mkdir(exist_ok=True)
            if self.os_user:
                user = pwd.getpwnam(self.os_user)
                os.chown(path, user.pw_uid, user.pw_gid)
        self.cmd(
            [
                self.pg_bin / "initdb",
                "-D",
                self.pgdata,
                "-U",
                "odoo",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            cluster_user=True,
        )
        options = {
            **self.compose_db_options(),
            "port": self.port,
            "listen_addresses": "",
            "unix_socket_directories": self.run_dir,
            "max_slot_wal_keep_size": "1GB",
            "fsync": "off",  # a throwaway cluster: speed over durability
            "maintenance_work_mem": "128MB",
        }
        # Set after the test database is loaded (ALTER SYSTEM, which the command line would
        # override): the WAL of the load needs no archiving, the base backup comes after it.
        self.archive_command = options.pop("archive_command")
        (self.pgdata / "postgresql.auto.conf").write_text("archive_command = '/bin/true'\n")
        opts = " ".join(f"-c {k}={shlex.quote(str(v))}" for k, v in options.items())
        self.cmd(
            [
                self.pg_bin / "pg_ctl",
                "-D",
                self.pgdata,
                "-l",
                self.work / "source.log",
                "-o",
                opts,
                "-w",
                "start",
            ],
            cluster_user=True,
        )

    def load_test_database(self):
        started = time.monotonic()
        self.cmd([self.pg_bin / "createdb", "-h", self.run_dir, "-p", self.port, "-U", "odoo", "property"])
        dump = subprocess.Popen(
            ["pg_dump", "-Fc", "-Z0", "-d", self.args.db], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        restore = subprocess.run(
            [
                str(a)
                for a in [
                    self.pg_bin / "pg_restore",
                    "-h",
                    self.run_dir,
                    "-p",
                    self.port,
                    "-U",
                    "odoo",
                    "-d",
                    "property",
                    "--no-owner",
                    "--no-acl",
                    "--exit-on-error",
                ]
            ],
            stdin=dump.stdout,
            capture_output=True,
            text=True,
            env=self.env,
            check=False,
        )
        dump.stdout.close()
        dump_err = dump.stderr.read().decode()
        dump.wait()
        if dump.returncode or restore.returncode:
            raise RuntimeError(f"copying the test database failed: {dump_err} {restore.stderr}")
        shutil.copytree(self.args.filestore, self.filestore)
        self.load_s = round(time.monotonic() - started, 1)
        self.psql(f"ALTER SYSTEM SET archive_command = '{self.archive_command}'")
        self.psql("SELECT pg_reload_conf()")
        if self.psql("SELECT to_regclass('public.property_bill') IS NOT NULL") == "t" and not int(
            self.psql("SELECT count(*) FROM property_bill")
        ):
            # The demo data has no bills yet: give the drill some to compare (in this copy only).
            self.psql(
                "INSERT INTO property_bill (partner_id, estate_id, company_id, name, bill_type, period_start, "
                "period_end, date, date_due, amount_untaxed, amount_tax, amount_total, amount_residual, "
                "amount_paid, is_cancelled, create_date, write_date) "
                "SELECT p.id, e.id, e.company_id, 'DRILL/' || p.id, 'regular', '2026-03-01', '2026-03-31', "
                "'2026-04-01', '2026-04-15', 100 + p.id % 97, 0, 100 + p.id % 97, 100 + p.id % 97, 0, false, "
                "now() at time zone 'UTC', now() at time zone 'UTC' "
                "FROM res_partner p, (SELECT id, company_id FROM property_estate ORDER BY id LIMIT 1) e "
                "ORDER BY p.id LIMIT 500"
            )

    def stop_source(self):
        subprocess.run(
            (["runuser", "-u", self.os_user, "--"] if self.os_user else [])
            + [str(self.pg_bin / "pg_ctl"), "-D", str(self.pgdata), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            check=False,
        )

    # -- the steps -----------------------------------------------------------------------

    def backup(self, what):
        started = time.monotonic()
        proc = subprocess.run(
            ["bash", str(DOCKER / "backup" / "backup.sh"), what],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if proc.returncode:
            raise RuntimeError(f"backup.sh {what} failed: {proc.stdout[-1500:]} {proc.stderr[-1500:]}")
        return round(time.monotonic() - started, 1)

    def write_after_backup(self):
        """Changes that an incremental backup, then only WAL replay (and the next filestore
        snapshot) can bring back: the drill restores the full + incremental chain, then replays."""
        self.psql(
            "CREATE TABLE drill_after_backup AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g"
        )
        self.incr_s = self.backup("incr")
        self.psql(
            "CREATE TABLE drill_after_incr AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 5000) g"
        )
        content = f"written after the base backup {time.time()}".encode()
        sha = hashlib.sha1(content).hexdigest()
        fname = f"{sha[:2]}/{sha}"
        (self.filestore / sha[:2]).mkdir(exist_ok=True)
        (self.filestore / fname).write_bytes(content)
        self.psql(
            "INSERT INTO ir_attachment (name, type, store_fname, checksum, file_size, mimetype, res_model, "
            f"create_date, write_date) VALUES ('drill.txt', 'binary', '{fname}', '{sha}', {len(content)}, "
            "'text/plain', 'res.partner', now() at time zone 'UTC', now() at time zone 'UTC')"
        )
        if self.psql("SELECT to_regclass('public.property_bill') IS NOT NULL") == "t":
            # the newest bills, which the drill samples, change after the backup
            self.psql(
                "UPDATE property_bill SET write_date = now() at time zone 'UTC', amount_paid = 1 "
                "WHERE id IN (SELECT id FROM property_bill ORDER BY id DESC LIMIT 5)"
            )
        self.backup("filestore")  # the service does this every 5 minutes

    def drill(self, json_path, repo, conf=None):
        odoo_cmd = f"{shlex.quote(sys.executable)} {shlex.quote(self.args.odoo_bin)} -c {shlex.quote(self.args.odoo_conf)}"
        args = [
            sys.executable,
            ROOT / "scripts" / "restore_drill.py",
            "--stanza",
            "property",
            "--pgbackrest-config",
            conf or self.conf,
            "--repo",
            repo,
            "--source-dsn",
            f"host={self.run_dir} port={self.port} dbname=property user=odoo",
            "--db",
            "property",
            "--pg-bin",
            self.pg_bin,
            "--restic-repo",
            self.restic_repo,
            "--filestore-path",
            self.filestore,
            "--odoo-cmd",
            odoo_cmd,
            "--odoo-timeout",
            "300",
            "--rto-goal",
            "1800",
            "--sample",
            "50",
            "--json",
            json_path,
        ]
        started = time.monotonic()
        proc = subprocess.run(
            [str(a) for a in args], env=self.env, capture_output=True, text=True, timeout=1200, check=False
        )
        print(proc.stdout + proc.stderr, flush=True)
        return proc.returncode, round(time.monotonic() - started, 1)

    def execute(self):
        try:
            for tool in ("pgbackrest", "restic", "runuser" if self.os_user else "pg_dump", "pg_dump"):
                if not report(
                    f"{tool} is installed", shutil.which(tool), shutil.which(tool) or "run scripts/setup.sh"
                ):
                    return
            self.write_pgbackrest_conf()
            self.start_source()
            self.load_test_database()
            init_s = self.backup("init")
            report(
                "stanza created and archiving checked on both repositories (backup.sh init)",
                True,
                f"{init_s}s",
            )
            backup_s = self.backup("full")
            info = json.loads(self.cmd(["pgbackrest", "info", "--output=json"], cluster_user=True).stdout)
            repos = {repo["key"]: repo["status"]["code"] for repo in info[0]["repo"]}
            backups = {b["database"]["repo-key"] for b in info[0]["backup"] if b["type"] == "full"}
            report(
                "a full backup in the local and the off-site repository", backups == {1, 2}, f"repos {repos}"
            )
            db_mb = float(self.psql("SELECT pg_database_size('property')")) / 2**20
            figures = {
                "db_mb": round(db_mb, 1),
                "copy_test_db_s": self.load_s,
                "filestore_mb": du_mb(self.filestore),
                "backup_s": backup_s,
                "repo1_mb": du_mb(self.work / "repo1"),
                "restic_mb": du_mb(self.restic_repo),
            }
            self.sampled_tables = [
                table
                for table in ("property_bill", "property_iot_reading", "ir_attachment")
                if self.psql(f"SELECT to_regclass('public.{table}') IS NOT NULL") == "t"
            ]
            self.write_after_backup()
            rc, drill_s = self.drill(self.work / "drill.json", 2)
            result = json.loads((self.work / "drill.json").read_text())
            failed = [c for c in result["checks"] if not c["ok"]]
            report(
                "restore drill from the off-site repository passes",
                rc == 0 and not failed and len(result["checks"]) >= 8,
                f"{len(result['checks'])} checks" if not failed else f"failed: {failed}",
            )
            figures.update(result["figures"], incr_backup_s=self.incr_s, drill_s=drill_s)
            sampled = {key: value for key, value in result["figures"].items() if key.startswith("sampled_")}
            report(
                "the drill compared the sampled tables present (bills, readings, attachments)",
                all(sampled.get(f"sampled_{table}") for table in self.sampled_tables),
                str(sampled),
            )
            # what was written after the base backup is in the drill's restore point, and the
            # restored counts matched it: WAL replay brought it back
            counts_ok = next(
                (c["ok"] for c in result["checks"] if c["check"] == "row counts of every table"), False
            )
            report(
                "incremental backup restored on top of the full one, then WAL replayed",
                counts_ok
                and result["source_counts"].get("public.drill_after_backup") == 20000
                and result["source_counts"].get("public.drill_after_incr") == 5000,
                "tables created after the full and after the incremental backup: "
                f"{result['source_counts'].get('public.drill_after_backup')} and "
                f"{result['source_counts'].get('public.drill_after_incr')} rows, restored counts equal: {counts_ok}",
            )
            # a repository without any backup: the drill must say so, not pass
            empty = self.work / "empty.conf"
            text = self.conf.read_text().replace(str(self.work / "repo1"), str(self.work / "repo-empty"))
            empty.write_text(text)
            rc_empty, _ = self.drill(self.work / "drill-empty.json", 1, conf=empty)
            report("the drill fails when the repository holds no backup", rc_empty != 0)
            print("RESULT restore_drill_test " + " ".join(f"{k}={v}" for k, v in figures.items()), flush=True)
        except (
            RuntimeError,
            OSError,
            subprocess.SubprocessError,
            AssertionError,
            ValueError,
            KeyError,
        ) as exc:
            detail = getattr(exc, "stderr", "") or ""
            report("backup and restore drill ran", False, f"{exc} {detail}"[-3000:])
        finally:
            self.stop_source()
            if self.args.keep:
                print(f"[restore-drill-test] kept {self.work}")
            else:
                shutil.rmtree(self.work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="the test database on the shared server (read only)")
    parser.add_argument("--filestore", required=True, help="its filestore")
    parser.add_argument("--odoo-bin", required=True)
    parser.add_argument("--odoo-conf", required=True)
    parser.add_argument("--pg-bin", default="/usr/lib/postgresql/15/bin")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    Harness(args).execute()
    passed = sum(1 for ok in RESULTS if ok)
    failed = len(RESULTS) - passed
    print(f"[restore-drill-test] {time.monotonic() - started:.0f}s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
