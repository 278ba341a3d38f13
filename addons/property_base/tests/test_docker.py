"""The production stack under docker/ is wired together correctly.

No container engine runs here, so this parses the files: the compose services, their
volumes, and the configuration each one mounts."""

import configparser
import re
from pathlib import Path

import yaml

from odoo.tests import BaseCase, tagged

REPO = Path(__file__).resolve().parents[3]
DOCKER = REPO / "docker"


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

    def test_services_and_images(self):
        self.assertEqual(set(self.services), {"db", "mosquitto", "odoo", "iot-bridge"})
        self.assertEqual(self.services["db"]["image"], "postgres:16")
        self.assertEqual(self.services["mosquitto"]["image"], "eclipse-mosquitto:2")
        build = self.services["odoo"]["build"]
        dockerfile = (DOCKER / build["context"] / build["dockerfile"]).resolve()
        self.assertTrue(dockerfile.exists())
        text = dockerfile.read_text()
        self.assertRegex(text, r"(?m)^FROM odoo:18\s*$")
        # every COPY source exists in the build context
        for source in re.findall(r"(?m)^COPY (\S+) ", text):
            self.assertTrue((DOCKER / build["context"] / source).exists(), source)
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
