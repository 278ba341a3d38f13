from odoo.tests import tagged

from .common import PortalTestCommon


@tagged("post_install", "-at_install")
class TestPortalTours(PortalTestCommon):
    """The residents' journeys in a real headless Chromium, at a phone's width."""

    browser_size = "375x812"
    touch_enabled = True

    def test_tour_pay_bill(self):
        answer = self._wechatpay_answer({"code_url": "weixin://wxpay/bizpayurl?pr=PortalTest"})
        with self._patch_wechatpay_http(answer):
            self.start_tour("/my/bills", "property_portal_pay_bill", login="t_resident")
        tx = self.env["payment.transaction"].search([("property_bill_ids", "in", self.bill_a.ids)])
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.amount, 256.5)
        self.assertEqual(tx.gateway_channel, "native")
        self.assertEqual(tx.partner_id, self.owner)
        # WeChat Pay notifies the payment (signed with the platform key generated in the test)
        headers, body = self._wechatpay_notification(self._wechatpay_resource(tx))
        response = self.url_open(
            f"/payment/wechatpay/notify/{self.wechatpay.id}", data=body.encode(), headers=headers
        )
        self.assertEqual(response.status_code, 204)
        self.assertEqual(tx.state, "done")
        tx._post_process()
        self.assertTrue(tx.payment_id)
        self.bill_a.invalidate_recordset()
        self.assertEqual(self.bill_a.state, "paid")
        self.assertFalse(self.bill_a.amount_residual)
        self.assertEqual(self.bill_b.state, "open", "the other household's bill is untouched")
        self.start_tour("/my/payments", "property_portal_receipt", login="t_resident")

    def test_tour_request_and_rating(self):
        self.start_tour("/my/requests", "property_portal_request", login="t_resident")
        request = self.env["property.request"].search(
            [("partner_id", "=", self.owner.id), ("source", "=", "portal"), ("id", "!=", self.request_a.id)]
        )
        self.assertEqual(len(request), 1)
        self.assertEqual(request.unit_id, self.unit_a)
        self.assertIn("漏水", request.description)
        self.assertEqual(request.contact_phone, "13812341234")
        # the technician finishes the work
        request.sudo().write({"state": "done", "done_date": "2026-11-25 10:00:00"})
        self.start_tour(f"/my/requests/{request.id}", "property_portal_request_rate", login="t_resident")
        self.assertEqual(request.state, "followup")
        self.assertTrue(request.is_resident_confirmed)
        self.assertEqual(request.rating, "5")
        self.assertEqual(request.rating_comment, "师傅很专业")

    def test_tour_announcement(self):
        notice = self.env["property.announcement"].create(
            {
                "name": "停水通知",
                "estate_id": self.estate_a.id,
                "target_type": "building",
                "building_id": self.building_a.id,
                "is_urgent": True,
                "body": "<p>周六上午水箱清洗，停水半天。</p>",
            }
        )
        notice.action_publish()
        self.assertIn(self.owner, notice.audience_partner_ids)
        self.assertIn(self.owner, notice.unread_partner_ids)
        self.start_tour("/my/announcements", "property_portal_announcement", login="t_resident")
        notice.invalidate_recordset()
        self.assertEqual(notice.read_ids.partner_id, self.owner)
        self.assertNotIn(self.owner, notice.unread_partner_ids)

    def test_tour_survey(self):
        survey = self.make_survey("物业服务满意度调查", self.estate_a)
        self.start_tour("/my/surveys", "property_portal_survey", login="t_resident")
        answer = self.env["survey.user_input"].search([("survey_id", "=", survey.id)])
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.partner_id, self.owner)
        self.assertEqual(answer.state, "done")
        self.assertEqual(answer.user_input_line_ids.suggested_answer_id.value, "非常满意")
        # answered once: starting again leads back to the list, no second answer
        self.authenticate("t_resident", "t_resident")
        response = self.url_open(f"/my/surveys/{survey.id}/start", allow_redirects=False)
        self.assertTrue(response.headers["Location"].endswith("/my/surveys"))
        self.assertEqual(self.env["survey.user_input"].search_count([("survey_id", "=", survey.id)]), 1)

    def test_tour_market(self):
        self.start_tour("/my/market", "property_portal_market", login="t_resident")
        item = self.env["property.market.item"].search([("partner_id", "=", self.owner.id)])
        self.assertEqual(item.name, "闲置婴儿推车")
        self.assertEqual(item.price, 150)
        self.assertEqual(item.estate_id, self.estate_a)
        self.assertEqual(item.state, "posted")

    def test_tour_event(self):
        event = self.env["property.community.event"].create(
            {
                "name": "亲子运动会",
                "estate_id": self.estate_a.id,
                "date_begin": "2026-12-05 09:00:00",
                "capacity": 2,
            }
        )
        event.action_open()
        self.start_tour("/my/events", "property_portal_event", login="t_resident")
        self.assertEqual(event.registration_ids.partner_id, self.owner)
        self.assertEqual(event.registration_ids.state, "confirmed")

    def test_tour_visitor(self):
        self.start_tour("/my/visitors", "property_portal_visitor", login="t_resident")
        visitor = self.env["property.security.visitor"].search([("host_partner_id", "=", self.owner.id)])
        self.assertEqual(visitor.name, "王先生")
        self.assertEqual(visitor.unit_id, self.unit_a)
        self.assertEqual(visitor.state, "approved")
        self.assertTrue(visitor.pass_token)
