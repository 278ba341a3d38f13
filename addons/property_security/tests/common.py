from datetime import datetime

from odoo.tests import new_test_user

from odoo.addons.property_base.tests.common import PropertyTestCommon

# a Monday morning, 10:00 in Shanghai
T0 = datetime(2025, 3, 10, 2, 0, 0)


class SecurityTestCommon(PropertyTestCommon):
    """property_base's two estates, buildings, units and users, plus gates, cameras, a second
    building, escalation rules, a team leader and an on-duty shift."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Alarm = env["property.security.alarm"]
        cls.Visitor = env["property.security.visitor"]
        cls.Plate = env["property.security.vehicle.plate"]
        cls.building_a2 = env["property.building"].create(
            {"estate_id": cls.estate_a.id, "code": "5", "name": "5号楼", "floors_above": 11}
        )
        cls.user_leader = new_test_user(
            env, login="t_leader", groups="property_base.group_property_security", name="队长王强"
        )
        cls.user_leader.property_estate_ids = cls.estate_a
        cls.user_guard2 = new_test_user(
            env, login="t_guard2", groups="property_base.group_property_security", name="保安刘洋"
        )
        cls.user_guard2.property_estate_ids = cls.estate_a
        cls.estate_a.write({"security_team_leader_id": cls.user_leader.id, "manager_id": cls.user_manager.id})

        # the shipped rules are replaced by explicit ones so the tests do not depend on data
        env["property.security.escalation.rule"].search([]).active = False
        Rule = env["property.security.escalation.rule"]
        cls.rule_l1 = Rule.create({"name": "L1", "level": 1, "minutes": 5, "target": "team_leader"})
        cls.rule_l2 = Rule.create({"name": "L2", "level": 2, "minutes": 15, "target": "estate_manager"})

        Gate = env["property.security.gate"]
        cls.gate_a = Gate.create({"name": "北门", "estate_id": cls.estate_a.id})
        cls.gate_b = Gate.create({"name": "南门", "estate_id": cls.estate_b.id})

        Equipment = env["maintenance.equipment"]
        cls.camera_building = Equipment.create(
            {
                "name": "3号楼大堂摄像头",
                "is_security_camera": True,
                "camera_estate_id": cls.estate_a.id,
                "camera_coverage": "building",
                "camera_building_ids": [(6, 0, cls.building_a.ids)],
                "camera_stream_url": "rtsp://10.0.0.11:554/Streaming/Channels/101",
            }
        )
        cls.camera_other_building = Equipment.create(
            {
                "name": "5号楼摄像头",
                "is_security_camera": True,
                "camera_estate_id": cls.estate_a.id,
                "camera_coverage": "building",
                "camera_building_ids": [(6, 0, cls.building_a2.ids)],
                "camera_stream_url": "rtsp://10.0.0.12:554/Streaming/Channels/101",
            }
        )
        cls.camera_area = Equipment.create(
            {
                "name": "地下车库摄像头",
                "is_security_camera": True,
                "camera_estate_id": cls.estate_a.id,
                "camera_coverage": "area",
                "camera_area": "地下车库",
                "camera_stream_type": "hls",
                "camera_stream_url": "https://nvr.example.cn/live/garage.m3u8",
            }
        )
        cls.camera_estate = Equipment.create(
            {
                "name": "北门全景摄像头",
                "is_security_camera": True,
                "camera_estate_id": cls.estate_a.id,
                "camera_coverage": "estate",
                "camera_stream_type": "vendor",
                "camera_stream_url": "https://cloud.vendor.cn/cam/88",
                "camera_playback_template": "https://cloud.vendor.cn/playback?cam=88&from={start_ts}&to={end_ts}",
            }
        )
        cls.camera_estate_b = Equipment.create(
            {
                "name": "锦悦府摄像头",
                "is_security_camera": True,
                "camera_estate_id": cls.estate_b.id,
                "camera_coverage": "estate",
                "camera_stream_url": "rtsp://10.1.0.1/1",
            }
        )
        cls.shift = env["property.security.shift"].create(
            {
                "user_id": cls.user_guard.id,
                "estate_id": cls.estate_a.id,
                "date_start": datetime(2025, 3, 9, 22, 0),
                "date_end": datetime(2025, 3, 10, 10, 0),
            }
        )

    @classmethod
    def create_patrol_route(cls, schedule_times):
        """The night perimeter route of estate A: three checkpoints 10 minutes apart, 5 minutes
        tolerance, the last one in building A; returns (route, checkpoint 1, 2, 3)."""
        route = cls.env["property.route"].create(
            {
                "name": "夜间外围巡逻",
                "route_type": "patrol",
                "estate_id": cls.estate_a.id,
                "schedule_times": schedule_times,
                "next_date": T0.date(),
                "user_id": cls.user_guard.id,
                "checkpoint_ids": [
                    (0, 0, {"sequence": 1, "name": "北门岗亭", "expected_offset": 0, "tolerance": 5}),
                    (0, 0, {"sequence": 2, "name": "地下车库", "expected_offset": 10, "tolerance": 5}),
                    (
                        0,
                        0,
                        {
                            "sequence": 3,
                            "name": "3号楼消防通道",
                            "expected_offset": 20,
                            "tolerance": 5,
                            "building_id": cls.building_a.id,
                        },
                    ),
                ],
            }
        )
        return (route, *route.checkpoint_ids)
