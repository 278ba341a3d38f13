from datetime import timedelta

from odoo import Command, api, fields, models

CAMERA_RULES = [
    ("building", "Same Building"),
    ("area", "Same Area"),
    ("building_area", "Same Building or Area"),
]


class PropertyEstate(models.Model):
    _inherit = "property.estate"

    security_team_leader_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False)]",
        help="First level of alarm escalation; the estate manager when empty.",
    )
    security_camera_rule = fields.Selection(
        CAMERA_RULES,
        string="Camera Linkage",
        default="building_area",
        required=True,
        help="Which cameras an alarm shows besides the estate-wide ones: those covering its "
        "building, those covering its area, or both.",
    )
    security_gate_ids = fields.One2many("property.security.gate", "estate_id", string="Gates")

    @api.model
    def _security_load_demo_data(self):
        """Demo data of the safety app on property_base's demo estates; skipped quietly when
        those are missing (e.g. property_base installed without demo)."""
        ref = self.env.ref
        estate_ch = ref("property_base.estate_ch_demo", raise_if_not_found=False)
        estate_jy = ref("property_base.estate_jy_demo", raise_if_not_found=False)
        if not estate_ch:
            return False
        guard = ref("property_base.user_guard_demo", raise_if_not_found=False)
        building = (
            ref("property_base.building_ch_1_demo", raise_if_not_found=False) or estate_ch.building_ids[:1]
        )
        estate_ch.security_team_leader_id = guard
        Gate = self.env["property.security.gate"]
        gates = Gate.create(
            [
                {"name": "北门（人行）", "estate_id": estate_ch.id, "gate_type": "pedestrian"},
                {"name": "东门（车行）", "estate_id": estate_ch.id, "gate_type": "vehicle"},
            ]
            + ([{"name": "正门", "estate_id": estate_jy.id, "gate_type": "mixed"}] if estate_jy else [])
        )
        Camera = self.env["maintenance.equipment"]
        cameras = Camera.create(
            [
                {
                    "name": "北门全景摄像头",
                    "is_security_camera": True,
                    "camera_estate_id": estate_ch.id,
                    "camera_coverage": "estate",
                    "camera_stream_type": "rtsp",
                    "camera_stream_url": "rtsp://192.168.10.21:554/Streaming/Channels/101",
                },
                {
                    "name": f"{building.name}大堂摄像头",
                    "is_security_camera": True,
                    "camera_estate_id": estate_ch.id,
                    "camera_coverage": "building",
                    "camera_building_ids": [Command.set(building.ids)],
                    "camera_stream_type": "hls",
                    "camera_stream_url": "https://nvr.anju-wuye.example.com/live/ch1-lobby.m3u8",
                },
                {
                    "name": "地下车库B1摄像头",
                    "is_security_camera": True,
                    "camera_estate_id": estate_ch.id,
                    "camera_coverage": "area",
                    "camera_area": "地下车库",
                    "camera_stream_type": "vendor",
                    "camera_stream_url": "https://open.ys7.example.com/cam/B1",
                    "camera_playback_template": "https://open.ys7.example.com/playback/B1?begin={start_ts}&end={end_ts}",
                },
            ]
        )
        gates[:1].camera_ids = cameras[:1]
        plan = self.env["property.security.emergency.plan"].create(
            {
                "name": "消防应急预案",
                "estate_id": estate_ch.id,
                "alarm_type": "fire",
                "line_ids": [
                    Command.create(
                        {
                            "line_type": "step",
                            "sequence": 1,
                            "name": "监控室确认火情，拨打119",
                            "role": "监控室值班员",
                        }
                    ),
                    Command.create(
                        {
                            "line_type": "step",
                            "sequence": 2,
                            "name": "启动消防广播，组织住户疏散",
                            "role": "安保队长",
                        }
                    ),
                    Command.create(
                        {
                            "line_type": "step",
                            "sequence": 3,
                            "name": "关闭燃气总阀，切断非消防电源",
                            "role": "工程维修",
                        }
                    ),
                    Command.create(
                        {
                            "line_type": "step",
                            "sequence": 4,
                            "name": "在集合点清点人数，引导消防车",
                            "role": "客服前台",
                        }
                    ),
                    Command.create(
                        {"line_type": "role", "name": "现场总指挥", "user_id": guard.id if guard else False}
                    ),
                    Command.create({"line_type": "contact", "name": "消防报警", "phone": "119"}),
                    Command.create({"line_type": "contact", "name": "急救中心", "phone": "120"}),
                    Command.create({"line_type": "contact", "name": "辖区派出所", "phone": "0571-87000110"}),
                    Command.create(
                        {"line_type": "assembly_point", "name": "中心广场", "description": "喷泉南侧空地"}
                    ),
                ],
            }
        )
        plan.action_activate()
        now = fields.Datetime.now()
        drill = self.env["property.security.drill"].create(
            {
                "name": "秋季消防疏散演练",
                "estate_id": estate_ch.id,
                "plan_id": plan.id,
                "scenario": "fire_evacuation",
                "date": now - timedelta(days=30),
                "participant_ids": [Command.set(guard.ids)] if guard else False,
                "resident_count": 86,
                "duration_minutes": 50,
                "evacuation_minutes": 7.5,
                "issues": "部分楼层应急照明不亮；3号楼消防通道堆放自行车。",
                "action_ids": [
                    Command.create({"name": "更换应急照明灯", "user_id": guard.id if guard else False}),
                    Command.create({"name": "清理消防通道并张贴告示"}),
                ],
            }
        )
        drill.action_done()
        self.env["property.route"].create(
            {
                "name": "夜间外围巡逻",
                "route_type": "patrol",
                "estate_id": estate_ch.id,
                "schedule_times": "08:00,20:00",
                "user_id": guard.id if guard else False,
                "checkpoint_ids": [
                    Command.create({"sequence": 1, "name": "北门岗亭", "expected_offset": 0, "tolerance": 5}),
                    Command.create(
                        {"sequence": 2, "name": "地下车库B1", "expected_offset": 15, "tolerance": 10}
                    ),
                    Command.create(
                        {"sequence": 3, "name": "中心广场", "expected_offset": 30, "tolerance": 10}
                    ),
                ],
            }
        )
        resident = ref("property_base.user_resident_demo", raise_if_not_found=False)
        units = (
            resident
            and self.env["property.occupancy"]
            .search([("partner_id", "=", resident.partner_id.id), ("estate_id", "=", estate_ch.id)], limit=1)
            .unit_id
        )
        if units:
            Visitor = self.env["property.security.visitor"]
            Visitor._portal_register(
                resident.partner_id,
                {
                    "unit_id": units.id,
                    "name": "王芳",
                    "phone": "13700001234",
                    "purpose": "探亲",
                    "plate": "浙A·5B123",
                    "visit_start": now,
                    "visit_end": now + timedelta(hours=6),
                    "max_uses": 2,
                },
            )
            Visitor.create(
                {
                    "name": "李师傅（家电维修）",
                    "phone": "13600005678",
                    "purpose": "上门维修空调",
                    "unit_id": units.id,
                    "host_partner_id": resident.partner_id.id,
                }
            )
        return True
