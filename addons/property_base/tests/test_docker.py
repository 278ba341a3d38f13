"""The production stack under docker/ is wired together correctly.

No container engine runs here, so this parses the files: the compose services, their
volumes, and the configuration each one mounts."""

import configparser
import importlib.util
import os
import re
import shlex
from pathlib import Path

import yaml

from odoo.tests import BaseCase, tagged

REPO = Path(__file__).resolve().parents[3]
DOCKER = REPO / "docker"
BASE_SERVICES = {"db", "backup", "mosquitto", "odoo", "nginx", "iot-bridge"}
PROFILE_SERVICES = {"scale": {"odoo-queue", "iot-bridge-b", "db-replica"}, "drill": {"restore-drill"}}
VARIABLE = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")


def interpolate(value, env):
    """Compose's variable interpolation (${X}, ${X:-default}, ${X:?error}) over a parsed file."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if isinstance(value, str):
        return VARIABLE.sub(lambda m: env.get(m[1]) or (m[3] if m[2] == "-" else "set-by-operator"), value)
    return value


def read_env_file(path):
    env = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key.strip()] = value.strip()
    return env


@tagged("post_install", "-at_install")
class TestDockerStack(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not (DOCKER / "docker-compose.yml").exists():
            cls.skipTest(cls, "not running from the repository")
        cls.compose = yaml.safe_load((DOCKER / "docker-compose.yml").read_text())
        cls.services = cls.compose["services"]

    def _mounts(self, service):
        mounts = {}
        for volume in self.services[service].get("volumes", []):
            source, target = volume.split(":")[:2]
            mounts[target] = source
        return mounts

    def _dockerfile(self, service):
        build = self.services[service]["build"]
        dockerfile = (DOCKER / build["context"] / build["dockerfile"]).resolve()
        self.assertTrue(dockerfile.exists(), service)
        text = dockerfile.read_text()
        # every COPY source exists in the build context
        for source in re.findall(r"(?m)^COPY (\S+) ", text):
            self.assertTrue((DOCKER / build["context"] / source).exists(), source)
        return text

    def _layout(self, *env_files, profiles=()):
        """The services compose starts with these env files and profiles, variables resolved."""
        env = {}
        for env_file in env_files:
            env.update(read_env_file(DOCKER / env_file))
        return {
            name: interpolate(service, env)
            for name, service in self.services.items()
            if not service.get("profiles") or set(service["profiles"]) & set(profiles)
        }

    @staticmethod
    def _command(service):
        command = service.get("command", [])
        return shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]

    def _option(self, command, name):
        """The value of --name=value or --name value in a command line."""
        for i, arg in enumerate(command):
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
            if arg == name:
                return command[i + 1]
        return None

    def test_services_and_images(self):
        self.assertEqual(
            {name for name, service in self.services.items() if not service.get("profiles")}, BASE_SERVICES
        )
        for profile, names in PROFILE_SERVICES.items():
            self.assertEqual(
                {name for name, service in self.services.items() if profile in service.get("profiles", [])},
                names,
            )
        # PostgreSQL 16: the official image plus pgBackRest, for the primary, the backups and the replica
        self.assertRegex(self._dockerfile("db"), r"(?m)^FROM postgres:16\s*$")
        for name in ("backup", "db-replica"):
            self.assertEqual(self.services[name]["image"], self.services["db"]["image"])
            self.assertEqual(self.services[name]["build"], self.services["db"]["build"])
        self.assertEqual(self.services["mosquitto"]["image"], "eclipse-mosquitto:2")
        self.assertRegex(self.services["nginx"]["image"], r"^nginx:1\.\d+")
        text = self._dockerfile("odoo")
        self.assertRegex(text, r"(?m)^FROM odoo:18\s*$")
        self.assertRegex(
            self._dockerfile("restore-drill"), rf"(?m)^FROM {re.escape(self.services['odoo']['image'])}\s*$"
        )
        self.assertEqual(set(self.services["odoo"]["depends_on"]), {"db", "mosquitto"})
        self.assertEqual(self.services["odoo"]["depends_on"]["db"]["condition"], "service_healthy")

    def test_iot_bridge_service(self):
        bridge, odoo = self.services["iot-bridge"], self.services["odoo"]
        # the odoo image, built the same way
        self.assertEqual(bridge["image"], odoo["image"])
        self.assertEqual(bridge["build"], odoo["build"])
        self.assertEqual(set(bridge["depends_on"]), {"db", "mosquitto", "odoo"})
        self.assertEqual(bridge["depends_on"]["db"]["condition"], "service_healthy")
        command = bridge["command"]
        command = command.split() if isinstance(command, str) else [str(arg) for arg in command]
        self.assertEqual(command[0], "odoo")
        self.assertIn("iot_bridge", command)
        self.assertLess(
            command.index("--addons-path=/mnt/extra-addons,/usr/lib/python3/dist-packages/odoo/addons"),
            command.index("iot_bridge"),
        )

        def option(name):
            self.assertIn(name, command)
            return command[command.index(name) + 1]

        self.assertEqual(option("-c"), "/etc/odoo/odoo.conf")
        self.assertEqual(self._mounts("iot-bridge")["/etc/odoo/odoo.conf"], "./odoo.conf")
        self.assertTrue(option("-d"))
        self.assertGreaterEqual(int(option("--workers")), 1)
        # it points at the broker service, as the user the broker's ACL lets read property/#
        self.assertEqual(option("--mqtt-host"), "mosquitto")
        self.assertIn("mosquitto", self.services)
        acl = (DOCKER / self._mounts("mosquitto")["/mosquitto/config/acl"]).read_text()
        self.assertIn(f"user {option('--mqtt-username')}\ntopic read property/#", acl)
        # the password is not in the file: it comes from the environment
        self.assertNotIn("--mqtt-password", command)
        self.assertRegex(str(bridge["environment"]["IOT_MQTT_PASSWORD"]), r"^\$\{IOT_MQTT_PASSWORD[:?}]")
        # the database options the image's entrypoint appends
        self.assertEqual(bridge["environment"]["HOST"], "db")
        self.assertEqual(bridge["environment"]["USER"], self.services["db"]["environment"]["POSTGRES_USER"])

    def test_volumes_declared_and_files_present(self):
        declared = set(self.compose["volumes"])
        used = set()
        for name in self.services:
            for target, source in self._mounts(name).items():
                if source.startswith((".", "/")):
                    path = DOCKER / source
                    if path.name == "passwd":  # generated on the server: an example ships
                        path = path.with_name("passwd.example")
                    self.assertTrue(path.exists(), f"{name}: {source} -> {target}")
                else:
                    used.add(source)
            for env_file in self.services[name].get("env_file", []):
                # optional secrets files: an example ships next to them
                path = DOCKER / (env_file["path"] if isinstance(env_file, dict) else env_file)
                self.assertFalse(env_file.get("required", True), env_file)
                self.assertTrue(path.with_name(path.name + ".example").exists(), path)
        self.assertEqual(used, declared)
        self.assertIn("/var/lib/postgresql/data", self._mounts("db"))
        self.assertIn("/var/lib/odoo", self._mounts("odoo"))
        self.assertIn("/mosquitto/data", self._mounts("mosquitto"))

    def test_odoo_conf_matches_services(self):
        self.assertEqual(self._mounts("odoo")["/etc/odoo/odoo.conf"], "./odoo.conf")
        conf = configparser.ConfigParser()
        conf.read(DOCKER / "odoo.conf")
        options = conf["options"]
        env = self.services["db"]["environment"]
        self.assertEqual(options["db_host"], "db")
        self.assertEqual(options["db_user"], env["POSTGRES_USER"])
        self.assertEqual(options["db_password"], env["POSTGRES_PASSWORD"])
        self.assertIn("/mnt/extra-addons", options["addons_path"])
        self.assertIn("queue_job", options["server_wide_modules"])
        self.assertTrue(conf["queue_job"]["channels"])
        self.assertEqual(options["list_db"], "False")

    def test_broker_keeps_queued_qos1_messages(self):
        mounts = self._mounts("mosquitto")
        conf_text = (DOCKER / mounts["/mosquitto/config/mosquitto.conf"]).read_text()
        settings = dict(
            line.split(None, 1)
            for line in conf_text.splitlines()
            if line.strip() and not line.startswith("#")
        )
        # bounded queues, large enough for a restarting bridge (0 would be unbounded: a flood
        # could exhaust the broker; Mosquitto's default of 1,000 drops QoS1 messages)
        self.assertGreaterEqual(int(settings["max_queued_messages"]), 100000)
        self.assertGreater(int(settings["max_queued_bytes"]), 0)
        self.assertGreater(int(settings["memory_limit"]), int(settings["max_queued_bytes"]))
        self.assertEqual(settings["persistence"].strip(), "true")
        self.assertIn("/mosquitto/data", settings["persistence_location"])
        self.assertEqual(settings["allow_anonymous"].strip(), "false")
        self.assertEqual(settings["acl_file"].strip(), "/mosquitto/config/acl")
        self.assertIn("/mosquitto/config/acl", mounts)

    def test_broker_tls_listener(self):
        mounts = self._mounts("mosquitto")
        conf_text = (DOCKER / mounts["/mosquitto/config/mosquitto.conf"]).read_text()
        lines = [line.strip() for line in conf_text.splitlines()]
        tls = lines[lines.index("listener 8883") :]
        tls = tls[: next((i for i, line in enumerate(tls[1:], 1) if line.startswith("listener")), len(tls))]
        options = dict(line.split(None, 1) for line in tls if line and not line.startswith("#"))
        self.assertTrue(options["certfile"].startswith("/mosquitto/config/certs/"))
        self.assertTrue(options["keyfile"].startswith("/mosquitto/config/certs/"))
        self.assertIn("/mosquitto/config/certs", mounts)
        self.assertIn("8883:8883", self.services["mosquitto"]["ports"])

    def test_image_requirements_follow_the_pins(self):
        def pins(path):
            result = {}
            for raw in path.read_text().splitlines():
                line = raw.split("#")[0].strip()
                if "==" in line:
                    name, version = line.split("==")
                    result[name.lower().replace("_", "-")] = version.strip()
            return result

        root, image = pins(REPO / "requirements.txt"), pins(DOCKER / "requirements-suite.txt")
        self.assertTrue(image)
        for name, version in image.items():
            self.assertEqual(root.get(name), version, name)

    def _pg_settings(self, service="db"):
        command = self._command(self.services[service])
        self.assertEqual(command[0], "postgres")
        self.assertEqual(command[1::2], ["-c"] * len(command[2::2]))
        return dict(value.split("=", 1) for value in command[2::2])

    def _pgbackrest_conf(self, name="pgbackrest.conf"):
        conf = configparser.ConfigParser(interpolation=None)
        conf.read(DOCKER / "backup" / name)
        return conf

    def test_continuous_backups(self):
        """WAL archiving into pgBackRest (RPO ≤ 15 min), base backups and the filestore alongside."""
        db, backup = self.services["db"], self.services["backup"]
        settings = self._pg_settings()
        conf = self._pgbackrest_conf()
        stanza = backup["environment"]["PGBACKREST_STANZA"]
        self.assertIn(stanza, conf.sections())
        self.assertEqual(settings["archive_mode"], "on")
        self.assertEqual(settings["archive_command"], f"pgbackrest --stanza={stanza} archive-push %p")
        self.assertIn(settings["wal_level"], ("replica", "logical"))
        self.assertLessEqual(int(settings["archive_timeout"]), 15 * 60)
        self.assertGreater(int(settings["archive_timeout"]), 0)
        # pgBackRest finds the cluster the way the db service runs it
        self.assertEqual(conf[stanza]["pg1-path"], db["environment"]["PGDATA"])
        self.assertEqual(conf[stanza]["pg1-user"], db["environment"]["POSTGRES_USER"])
        self.assertEqual(conf[stanza]["pg1-port"], "5432")
        # the backup service sees the same data directory, socket and repository as the db
        db_mounts, backup_mounts = self._mounts("db"), self._mounts("backup")
        for target in ("/var/lib/postgresql/data", conf[stanza]["pg1-socket-path"], "/backup"):
            self.assertEqual(backup_mounts[target], db_mounts[target], target)
            self.assertNotIn(db_mounts[target], (".", "./"))
        self.assertTrue(conf["global"]["repo1-path"].startswith("/backup/"))
        self.assertTrue(conf["global"]["log-path"].startswith("/backup/"))
        self.assertGreaterEqual(int(conf["global"]["repo1-retention-full"]), 2)
        self.assertEqual(backup_mounts["/etc/pgbackrest/conf.d"], db_mounts["/etc/pgbackrest/conf.d"])
        # the backup loop, as shipped in the image
        self.assertEqual(self._command(backup), ["property-backup", "schedule"])
        self.assertIn(
            "COPY docker/backup/backup.sh /usr/local/bin/property-backup", self._dockerfile("backup")
        )
        self.assertIn(
            "COPY docker/backup/pgbackrest.conf /etc/pgbackrest/pgbackrest.conf", self._dockerfile("db")
        )
        # the filestore: Odoo's, read-only, into a restic repository on the backup volume
        odoo_conf = configparser.ConfigParser()
        odoo_conf.read(DOCKER / "odoo.conf")
        data_dir, db_name = odoo_conf["options"]["data_dir"], odoo_conf["options"]["db_name"]
        self.assertEqual(backup["environment"]["FILESTORE_PATH"], f"{data_dir}/filestore/{db_name}")
        self.assertEqual(backup_mounts[data_dir], self._mounts("odoo")[data_dir])
        self.assertIn(f"odoo-data:{data_dir}:ro", backup["volumes"])
        self.assertTrue(backup["environment"]["RESTIC_REPOSITORY"].startswith("/backup/"))
        self.assertRegex(backup["environment"]["RESTIC_PASSWORD"], r"^\$\{\w+:\?")
        # the off-site repository: a second pgBackRest repository in object storage, encrypted
        offsite = self._pgbackrest_conf("offsite.conf.example")
        self.assertEqual(offsite["global"]["repo2-type"], "s3")
        self.assertEqual(offsite["global"]["repo2-cipher-type"], "aes-256-cbc")
        self.assertIn("OFFSITE_RESTIC_REPOSITORY", read_env_file(DOCKER / "backup" / "offsite.env.example"))
        self.assertIn("*.conf", (DOCKER / "backup" / "conf.d" / ".gitignore").read_text())

    def test_reverse_proxy(self):
        """Only nginx faces the network: TLS, websocket routing, the headers proxy_mode trusts."""
        for name, service in self.services.items():
            published = {str(port).rsplit(":", 1)[-1] for port in service.get("ports", [])}
            if name == "nginx":
                self.assertEqual(published, {"80", "443"})
            else:
                self.assertFalse(published & {"8069", "8072", "80", "443", "5432"}, name)
        odoo_conf = configparser.ConfigParser()
        odoo_conf.read(DOCKER / "odoo.conf")
        self.assertEqual(odoo_conf["options"]["proxy_mode"], "True")
        mounts = self._mounts("nginx")
        nginx = (DOCKER / mounts["/etc/nginx/conf.d/default.conf"]).read_text()
        nginx = "\n".join(line.split("#")[0] for line in nginx.splitlines())
        upstreams = dict(re.findall(r"upstream (\w+) \{\s*server ([\w.-]+:\d+);", nginx))
        locations = dict(re.findall(r"location ([^\s{]+) \{\s*proxy_pass http://(\w+);", nginx))
        self.assertEqual(upstreams[locations["/websocket"]], "odoo:8072")
        self.assertEqual(upstreams[locations["/"]], "odoo:8069")
        self.assertIn("odoo", self.services)
        self.assertRegex(nginx, r"listen 443 ssl;")
        certs = re.findall(r"ssl_certificate(?:_key)? (\S+);", nginx)
        self.assertEqual(len(certs), 2)
        for path in certs:
            self.assertEqual(os.path.dirname(path), "/etc/nginx/certs")
        self.assertTrue((DOCKER / mounts["/etc/nginx/certs"]).is_dir())
        self.assertRegex(nginx, r"return 301 https://")
        for header, value in (
            ("X-Forwarded-Host", "$host"),
            ("X-Forwarded-For", "$proxy_add_x_forwarded_for"),
            ("X-Forwarded-Proto", "$scheme"),
            ("Upgrade", "$http_upgrade"),
            ("Connection", "$connection_upgrade"),
        ):
            self.assertIn(f"proxy_set_header {header} {value};", nginx)
        # no location overrides the proxy headers (nginx would then drop the server-level ones)
        self.assertEqual(nginx.count("proxy_set_header X-Forwarded-For"), 1)
        self.assertIn("proxy_http_version 1.1;", nginx)
        # queue_job's runjob route (auth none) stays inside the compose network
        self.assertRegex(nginx, r"location /queue_job/ \{\s*return 404;")

    def _runs_odoo_server(self, service):
        command = self._command(service)
        return (
            service.get("image") == self.services["odoo"]["image"]
            and command[:1] == ["odoo"]
            and ("iot_bridge" not in command)
        )

    def _runners(self, layout):
        """Services running queue_job's runner, with how many copies of each."""
        runners = {}
        for name, service in layout.items():
            if self._runs_odoo_server(service):
                channels = service["environment"].get("ODOO_QUEUE_JOB_CHANNELS", "root:1")
                if not channels.startswith("root:0"):
                    runners[name] = int(service.get("deploy", {}).get("replicas", 1))
        return runners

    def test_single_node_layout(self):
        layout = self._layout()
        self.assertEqual(set(layout), BASE_SERVICES)
        odoo = layout["odoo"]
        self.assertEqual(self._runners(layout), {"odoo": 1})
        self.assertGreater(int(self._option(self._command(odoo), "--max-cron-threads")), 0)
        # without a replica, "read-only" requests go to the primary
        self.assertEqual(self._option(self._command(odoo), "--db_replica_host"), "db")

    def test_scale_out_layout(self):
        layout = self._layout("scale.env", profiles=["scale"])
        self.assertEqual(set(layout), BASE_SERVICES | PROFILE_SERVICES["scale"])
        odoo, queue = layout["odoo"], layout["odoo-queue"]
        # several HTTP replicas, without crons or job runner
        self.assertGreaterEqual(int(odoo["deploy"]["replicas"]), 2)
        self.assertEqual(self._option(self._command(odoo), "--max-cron-threads"), "0")
        # one dedicated queue_job runner, which also runs the crons, not behind nginx
        self.assertEqual(self._runners(layout), {"odoo-queue": 1})
        self.assertGreater(int(self._option(self._command(queue), "--max-cron-threads")), 0)
        self.assertGreater(int(self._option(self._command(queue), "--workers")), 0)
        self.assertNotIn("ports", queue)
        self.assertNotIn("odoo-queue", (DOCKER / "nginx" / "odoo.conf").read_text())
        # read-only requests on the streaming replica
        self.assertEqual(self._option(self._command(odoo), "--db_replica_host"), "db-replica")
        replica = layout["db-replica"]
        self.assertEqual(replica["entrypoint"], ["replica-entrypoint.sh"])
        self.assertIn("replica-entrypoint.sh", self._dockerfile("db-replica"))
        self.assertEqual(replica["environment"]["PRIMARY_HOST"], "db")
        self.assertNotEqual(
            self._mounts("db-replica")["/var/lib/postgresql/data"],
            self._mounts("db")["/var/lib/postgresql/data"],
        )
        self.assertIn("hot_standby=on", self._command(replica))
        settings = self._pg_settings()
        self.assertGreater(int(settings["max_wal_senders"]), 0)
        self.assertGreater(int(settings["max_replication_slots"]), 0)
        self.assertIn("max_slot_wal_keep_size", settings)  # a lost replica never fills the primary's disk
        self.assertIn(
            "CREATE ROLE replicator WITH REPLICATION",
            (DOCKER / "postgres" / "init-replication.sh").read_text(),
        )
        # two bridge containers in one MQTT 5 shared subscription, each with its own sessions
        bridges = [self._command(layout[name]) for name in ("iot-bridge", "iot-bridge-b")]
        self.assertEqual({self._option(command, "--share-group") for command in bridges}, {"odoo-iot"})
        self.assertEqual(len({self._option(command, "--client-id") for command in bridges}), 2)
        self.assertEqual({self._option(command, "-d") for command in bridges}, {"property"})

    def test_restore_drill_service(self):
        """The drill service's arguments are the drill script's and match the backup service."""
        spec = importlib.util.spec_from_file_location("restore_drill", REPO / "scripts" / "restore_drill.py")
        restore_drill = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(restore_drill)
        drill = self.services["restore-drill"]
        command = self._command(drill)
        self.assertEqual(command[:2], ["python3", "/opt/property/restore_drill.py"])
        self.assertIn(
            "COPY scripts/restore_drill.py /opt/property/restore_drill.py", self._dockerfile("restore-drill")
        )
        args = restore_drill.build_parser().parse_args(command[2:])
        backup = self.services["backup"]["environment"]
        odoo_conf = configparser.ConfigParser()
        odoo_conf.read(DOCKER / "odoo.conf")
        self.assertEqual(args.stanza, backup["PGBACKREST_STANZA"])
        self.assertEqual(args.restic_repo, backup["RESTIC_REPOSITORY"])
        self.assertEqual(args.filestore_path, backup["FILESTORE_PATH"])
        self.assertEqual(args.db, odoo_conf["options"]["db_name"])
        self.assertIn("/16/", args.pg_bin)  # the server version of the db image
        # the restored cluster goes to a volume, not into memory (/tmp is a tmpfs there)
        self.assertIn(args.workdir, self._mounts("restore-drill"))
        # read-only on the repositories and the live filestore
        self.assertIn("backup-repo:/backup:ro", drill["volumes"])
        self.assertIn("odoo-data:/var/lib/odoo:ro", drill["volumes"])
