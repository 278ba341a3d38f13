import json
import re

from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import PortalTestCommon


@tagged("post_install", "-at_install")
class TestCommunity(PortalTestCommon):
    def test_event_waiting_list_promotion(self):
        event = self.env["property.community.event"].create(
            {
                "name": "读书会",
                "estate_id": self.estate_a.id,
                "date_begin": "2026-12-10 19:00:00",
                "capacity": 1,
            }
        )
        event.action_open()
        neighbour = self.env["res.partner"].create({"name": "王芳"})
        first = event._portal_sign_up(self.owner)
        second = event._portal_sign_up(neighbour)
        self.assertEqual((first.state, second.state), ("confirmed", "waiting"))
        self.assertEqual(event._portal_sign_up(self.owner), first, "signing up twice keeps one sign-up")
        self.assertEqual((event.seats_taken, event.waiting_count), (1, 1))
        first.action_cancel()
        self.assertEqual(second.state, "confirmed", "the waiting list moves up")
        self.assertEqual(first.state, "cancelled")

    def _unit_notice_for_a_wechat_resident(self, **owner_values):
        """The owner bound to WeChat (``owner_values`` added), WeChat configured, and a draft
        notice to the owner's unit."""
        self.owner.sudo().write({"wechat_openid": "oWechat-A", **owner_values})
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("property_portal.wechat_appid", "wxabc")
        params.set_param("property_portal.wechat_secret", "secret")
        params.set_param("property_portal.wechat_announcement_template_id", "TPL-1")
        return self.env["property.announcement"].create(
            {
                "name": "电梯检修",
                "estate_id": self.estate_a.id,
                "target_type": "unit",
                "unit_id": self.unit_a.id,
                "body": "<p>明天检修</p>",
            }
        )

    def test_announcement_audience_and_wechat(self):
        notice = self._unit_notice_for_a_wechat_resident()
        # WeChat's HTTP API faked at its edge: the requests session of wechatpy's client
        with self.fake_wechat({"errcode": 0, "errmsg": "ok", "msgid": 1}) as fake:
            notice.action_publish()
        session = fake.return_value
        self.assertEqual(notice.audience_partner_ids, self.owner)
        self.assertEqual(notice.wechat_sent_count, 1)
        sent = [c for c in session.request.call_args_list if "message/template/send" in str(c)]
        self.assertEqual(len(sent), 1)
        self.assertIn("oWechat-A", str(sent[0]))
        self.assertIn(self.owner, notice.message_ids[0].partner_ids)
        notice._mark_read(self.owner)
        notice._mark_read(self.owner)
        self.assertEqual(len(notice.read_ids), 1)
        self.assertFalse(notice.unread_partner_ids)
        # an estate notice reaches every current occupant of the estate, not the other estate
        estate_notice = self.env["property.announcement"].create(
            {"name": "消防演练", "estate_id": self.estate_a.id, "body": "<p>x</p>"}
        )
        estate_notice.action_publish()
        self.assertIn(self.owner, estate_notice.audience_partner_ids)
        self.assertIn(self.owner_high, estate_notice.audience_partner_ids)
        self.assertNotIn(self.owner_b, estate_notice.audience_partner_ids)

    @freeze_time("2026-03-01 02:30:00")
    def test_wechat_notice_time_in_the_residents_zone(self):
        """The server writes the publication time into the WeChat message: in the resident's
        time zone (10:30 in Shanghai), not in UTC (02:30)."""
        notice = self._unit_notice_for_a_wechat_resident(tz="Asia/Shanghai")
        with self.fake_wechat({"errcode": 0, "errmsg": "ok", "msgid": 1}) as fake:
            notice.action_publish()
        sent = [c for c in fake.return_value.request.call_args_list if "message/template/send" in str(c)]
        self.assertEqual(len(sent), 1)
        self.assertIn("2026-03-01 10:30", str(sent[0]))
        self.assertNotIn("02:30", str(sent[0]))

    def test_market_moderation(self):
        item = self.env["property.market.item"].create(
            {"name": "二手手机", "partner_id": self.owner.id, "estate_id": self.estate_a.id, "price": 500}
        )
        item._portal_set_state(self.owner, "reserved")
        self.assertEqual(item.state, "reserved")
        report = self.env["property.market.report"].create(
            {"item_id": item.id, "partner_id": self.owner_high.id, "reason": "疑似诈骗"}
        )
        self.assertEqual(item.open_report_count, 1)
        report.action_uphold()
        self.assertEqual(item.state, "hidden")
        self.assertEqual(report.state, "upheld")
        domain = self.env["property.market.item"]._portal_domain(self.owner_high, self.unit_high)
        self.assertNotIn(item, self.env["property.market.item"].search(domain))

    def test_feedback_feeds_watch_and_reply(self):
        keyword = self.env["property.security.watch.keyword"].search([], limit=1)
        text = f"楼道里有人{keyword.name}" if keyword else "普通建议"
        feedback = self.env["property.feedback"].create(
            {
                "name": "投诉",
                "body": text,
                "partner_id": self.owner.id,
                "estate_id": self.estate_a.id,
                "kind": "complaint",
            }
        )
        if keyword:
            hits = self.env["property.security.watch.hit"].search(
                [("source_model", "=", "property.feedback"), ("source_id", "=", feedback.id)]
            )
            self.assertTrue(hits)
        feedback.reply = "已安排保安巡查。"
        feedback.action_send_reply()
        self.assertEqual(feedback.state, "replied")
        self.assertIn(self.owner, feedback.message_ids[0].partner_ids)

    def test_feedback_from_page_and_api(self):
        """Website and API record feedback the same way: on the resident's unit, followed by the
        resident (so the reply reaches them); an empty subject or message is refused."""
        Feedback = self.env["property.feedback"]
        mine = [("partner_id", "=", self.owner.id)]
        before = Feedback.search_count(mine)
        self.authenticate("t_resident", "t_resident")
        page = self.url_open("/my/feedback").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        refused = self.url_open("/my/feedback", data={"csrf_token": token, "name": "电梯", "body": "  "})
        self.assertIn("Write a subject and a message.", refused.text)
        self.assertEqual(Feedback.search_count(mine), before)
        sent = self.url_open(
            "/my/feedback",
            data={
                "csrf_token": token,
                "name": "电梯异响",
                "body": "3号楼电梯运行时有异响",
                "kind": "complaint",
            },
        )
        self.assertEqual(sent.status_code, 200)
        on_page = Feedback.search(mine, limit=1)
        self.assertEqual(
            (on_page.name, on_page.kind, on_page.unit_id), ("电梯异响", "complaint", self.unit_a)
        )
        self.assertIn(self.owner, on_page.message_partner_ids)

        api_token = self.env["property.portal.api.token"]._issue(self.user_resident, "otp")
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {api_token}"}
        with mute_logger("odoo.http"):
            empty = self.url_open(
                "/api/portal/v1/feedback", data=json.dumps({"subject": "", "body": "x"}), headers=headers
            )
        self.assertEqual(empty.status_code, 400)
        created = self.url_open(
            "/api/portal/v1/feedback",
            data=json.dumps({"subject": "绿化", "body": "草坪需要修剪", "kind": "unknown"}),
            headers=headers,
        )
        self.assertEqual(created.status_code, 201)
        from_api = Feedback.browse(created.json()["id"])
        self.assertEqual(
            (from_api.kind, from_api.unit_id, from_api.estate_id), ("suggestion", self.unit_a, self.estate_a)
        )
        self.assertIn(self.owner, from_api.message_partner_ids)
        self.assertEqual(Feedback.search_count(mine), before + 2)
