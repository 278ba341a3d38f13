from datetime import datetime

from odoo.tests import freeze_time, tagged

from .common import SecurityTestCommon


@tagged("post_install", "-at_install")
class TestWatch(SecurityTestCommon):
    def setUp(self):
        super().setUp()
        self.Hit = self.env["property.security.watch.hit"]

    def test_scan_text(self):
        with freeze_time(datetime(2025, 3, 10, 2, 0)):
            hit = self.Hit._scan_text(
                "电梯坏了三天没人修，再不处理我就打12345投诉，还要找媒体曝光！",
                "property.unit",
                self.unit_a.id,
                self.owner,
            )
        self.assertEqual(set(hit.keyword_ids.mapped("name")), {"12345", "投诉", "媒体", "曝光"})
        self.assertEqual((hit.partner_id, hit.estate_id, hit.state), (self.owner, self.estate_a, "new"))
        self.assertEqual(hit.source_name, self.unit_a.display_name)
        self.assertFalse(
            self.Hit._scan_text("谢谢物业，服务很好", "property.unit", self.unit_a.id, self.owner)
        )
        again = self.Hit._scan_text(
            "电梯坏了三天没人修，再不处理我就打12345投诉，还要找媒体曝光！",
            "property.unit",
            self.unit_a.id,
            self.owner,
        )
        self.assertEqual(again, hit, "the same text of the same source is flagged once")

    def test_keywords_are_configurable(self):
        self.assertFalse(self.Hit._scan_text("我要上热搜"))
        self.env["property.security.watch.keyword"].create({"name": "热搜"})
        self.assertTrue(self.Hit._scan_text("我要上热搜"))
        self.env.ref("property_security.watch_keyword_lawyer").active = False
        self.assertFalse(self.Hit._scan_text("我已经咨询了律师"))

    def test_messages_on_property_records(self):
        self.unit_a.with_user(self.user_resident).sudo().message_post(
            body="楼上漏水一周了，我要找记者来维权",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=self.owner.id,
        )
        hit = self.Hit.search([("source_model", "=", "property.unit"), ("source_id", "=", self.unit_a.id)])
        self.assertEqual(set(hit.keyword_ids.mapped("name")), {"记者", "维权"})
        self.assertEqual(hit.partner_id, self.owner)
        # internal notes of the staff are not public opinion
        self.unit_a.message_post(body="业主说要投诉", message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertEqual(self.Hit.search_count([("source_model", "=", "property.unit")]), 1)

    def test_weekly_trend(self):
        for day in (3, 4, 11):
            with freeze_time(datetime(2025, 3, day, 3, 0)):
                self.Hit._scan_text(f"第{day}天：要投诉")
        groups = self.Hit._read_group([("keywords", "ilike", "投诉")], ["date:week"], ["hit_count:sum"])
        self.assertEqual([count for __, count in groups], [2, 1])

    def test_scan_api_finds_estate_of_source(self):
        # the alarm note is a resident text when raised from the portal: scan it through the API
        alarm = self.Alarm._raise_from_portal(self.owner, self.unit_a, "other", "再不处理就投诉")
        hit = self.Hit._scan_text(alarm.note, alarm._name, alarm.id, alarm.partner_id)
        self.assertEqual(hit.estate_id, self.estate_a)

    def test_ratings_of_property_records(self):
        """rating.rating uses the watch mixin: feedback on property records is scanned on create and write."""
        rating = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("property.unit"),
                "res_id": self.unit_a.id,
                "partner_id": self.owner.id,
                "rating": 1,
                "feedback": "态度很差",
            }
        )
        self.assertFalse(self.Hit.search([("source_model", "=", "property.unit")]))
        rating.feedback = "态度很差，我要去12345投诉"
        hit = self.Hit.search([("source_model", "=", "property.unit"), ("source_id", "=", self.unit_a.id)])
        self.assertEqual(set(hit.keyword_ids.mapped("name")), {"12345", "投诉"})
        self.assertEqual((hit.partner_id, hit.estate_id), (self.owner, self.estate_a))
        # ratings of other records are not the watch's business
        self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.owner.id,
                "feedback": "投诉",
            }
        )
        self.assertEqual(self.Hit.search_count([("keywords", "ilike", "投诉")]), 1)
