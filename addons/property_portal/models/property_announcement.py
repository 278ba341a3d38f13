import logging

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

_logger = logging.getLogger(__name__)

TARGET_TYPES = [
    ("estate", "Whole Estate"),
    ("building", "Building"),
    ("unit", "Unit"),
    ("household", "Single Household"),
]
WECHAT_TIMEOUT = 10


class PropertyAnnouncement(models.Model):
    """A notice to residents, targeted to an estate, a building, a unit or one household.

    Publishing snapshots the audience (the current occupants of the targeted units), notifies
    them (portal inbox and email through the chatter, WeChat template message where bound) and
    from then on read receipts show who has not read it."""

    _name = "property.announcement"
    _description = "Announcement"
    _inherit = ["mail.thread"]
    _order = "is_urgent desc, date_published desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    body = fields.Html(required=True, sanitize=True)
    is_urgent = fields.Boolean(string="Urgent", tracking=True)
    estate_id = fields.Many2one("property.estate", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    target_type = fields.Selection(TARGET_TYPES, required=True, default="estate", string="Target")
    building_id = fields.Many2one("property.building", index=True, ondelete="restrict", check_company=True)
    unit_id = fields.Many2one("property.unit", index=True, ondelete="restrict", check_company=True)
    partner_id = fields.Many2one("res.partner", string="Household", index=True, ondelete="restrict")
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("archived", "Archived")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    date_published = fields.Datetime(readonly=True, copy=False)
    audience_partner_ids = fields.Many2many(
        "res.partner",
        "property_announcement_audience_rel",
        "announcement_id",
        "partner_id",
        string="Audience",
        readonly=True,
        copy=False,
    )
    audience_unit_ids = fields.Many2many(
        "property.unit",
        "property_announcement_unit_rel",
        "announcement_id",
        "unit_id",
        string="Units Reached",
        readonly=True,
        copy=False,
    )
    read_ids = fields.One2many("property.announcement.read", "announcement_id", string="Read Receipts")
    audience_count = fields.Integer(compute="_compute_read_stats")
    read_count = fields.Integer(compute="_compute_read_stats")
    unread_partner_ids = fields.Many2many("res.partner", compute="_compute_read_stats", string="Not Read Yet")
    wechat_sent_count = fields.Integer(readonly=True, copy=False, string="WeChat Messages Sent")

    @api.constrains("target_type", "building_id", "unit_id", "partner_id", "estate_id")
    def _check_target(self):
        for ann in self:
            if ann.target_type == "building" and not ann.building_id:
                raise ValidationError(self.env._("Choose the building of the announcement."))
            if ann.target_type == "unit" and not ann.unit_id:
                raise ValidationError(self.env._("Choose the unit of the announcement."))
            if ann.target_type == "household" and not ann.partner_id:
                raise ValidationError(self.env._("Choose the household of the announcement."))
            if ann.building_id and ann.building_id.estate_id != ann.estate_id:
                raise ValidationError(self.env._("The building is not in the estate of the announcement."))
            if ann.unit_id and ann.unit_id.estate_id != ann.estate_id:
                raise ValidationError(self.env._("The unit is not in the estate of the announcement."))

    @api.depends("audience_partner_ids", "read_ids.partner_id")
    def _compute_read_stats(self):
        for ann in self:
            readers = ann.read_ids.partner_id
            ann.audience_count = len(ann.audience_partner_ids)
            ann.read_count = len(readers & ann.audience_partner_ids)
            ann.unread_partner_ids = ann.audience_partner_ids - readers

    def _get_target_units(self):
        self.ensure_one()
        Unit = self.env["property.unit"].sudo()
        if self.target_type == "estate":
            return Unit.search([("estate_id", "=", self.estate_id.id)])
        if self.target_type == "building":
            return Unit.search([("building_id", "=", self.building_id.id)])
        if self.target_type == "unit":
            return self.unit_id
        return self.partner_id._portal_household_units().filtered(lambda u: u.estate_id == self.estate_id)

    def _get_audience(self, units):
        self.ensure_one()
        if self.target_type == "household":
            return self.partner_id
        occupancies = self.env["property.occupancy"].sudo()
        today = fields.Date.context_today(self)
        return occupancies.search(
            [("unit_id", "in", units.ids)] + occupancies._get_current_domain(today)
        ).partner_id

    def action_publish(self):
        for ann in self:
            if ann.state != "draft":
                raise UserError(self.env._("Announcement %s is already published.", ann.name))
            units = ann._get_target_units()
            audience = ann._get_audience(units)
            ann.write(
                {
                    "state": "published",
                    "date_published": fields.Datetime.now(),
                    "audience_unit_ids": [Command.set(units.ids)],
                    "audience_partner_ids": [Command.set(audience.ids)],
                }
            )
            ann._notify_audience(audience)
        return True

    def action_archive_announcement(self):
        self.write({"state": "archived"})
        return True

    def action_reset_draft(self):
        for ann in self:
            if ann.state != "archived":
                raise UserError(self.env._("Only archived announcements can be set back to draft."))
        self.write({"state": "draft"})
        return True

    def _notify_audience(self, audience):
        """Portal inbox + email through the chatter, and WeChat template messages."""
        self.ensure_one()
        if audience:
            self.message_post(
                body=self.body,
                subject=self.name,
                partner_ids=audience.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_comment",
            )
        self.wechat_sent_count = self._send_wechat_messages(audience)

    @api.model
    def _wechat_get_client(self):
        """wechatpy's Official Account client, or None when WeChat is not configured."""
        params = self.env["ir.config_parameter"].sudo()
        appid = params.get_param("property_portal.wechat_appid")
        secret = params.get_param("property_portal.wechat_secret")
        if not appid or not secret:
            return None
        from wechatpy import WeChatClient

        client = WeChatClient(appid, secret, timeout=WECHAT_TIMEOUT)
        return client

    def _send_wechat_messages(self, audience):
        self.ensure_one()
        bound = audience.sudo().filtered("wechat_openid")
        template_id = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("property_portal.wechat_announcement_template_id")
        )
        client = bound and template_id and self._wechat_get_client()
        if not client:
            return 0
        from wechatpy.exceptions import WeChatException

        url = f"{self.get_base_url()}/my/announcements/{self.id}"
        data = {
            "thing1": {"value": (self.name or "")[:20]},
            "thing3": {"value": (self.estate_id.name or "")[:20]},
        }
        company_tz = self.company_id.partner_id.tz or "Asia/Shanghai"
        sent = 0
        for partner in bound:
            # the time as the resident reads it: in their time zone, not in UTC
            published = format_datetime(
                self.env, self.date_published, tz=partner.tz or company_tz, dt_format="yyyy-MM-dd HH:mm"
            )
            try:
                client.message.send_template(
                    partner.wechat_openid, template_id, {**data, "time2": {"value": published}}, url=url
                )
                sent += 1
            except (WeChatException, OSError) as error:
                _logger.info("WeChat template message to partner %s failed: %s", partner.id, error)
        return sent

    def _mark_read(self, partner):
        """Record that ``partner`` read these announcements (once)."""
        Read = self.env["property.announcement.read"].sudo()
        done = set(
            Read.search(
                [("announcement_id", "in", self.ids), ("partner_id", "=", partner.id)]
            ).announcement_id.ids
        )
        Read.create(
            [{"announcement_id": ann.id, "partner_id": partner.id} for ann in self if ann.id not in done]
        )

    @api.model
    def _portal_domain(self, partner, units=None):
        """Published announcements whose audience includes ``partner``."""
        return [("state", "=", "published"), ("audience_partner_ids", "in", partner.ids)]

    @api.model
    def _create_portal_demo_data(self):
        """Chinese demo content for the demo resident's estate. Guarded: does nothing when the
        demo resident or the estates of the other addons' demo data are missing."""
        user = self.env.ref("property_base.user_resident_demo", raise_if_not_found=False)
        units = user.partner_id._portal_household_units() if user else self.env["property.unit"]
        estate = units[:1].estate_id or self.env["property.estate"].search([], limit=1)
        if not estate or self.search_count([("estate_id", "=", estate.id)]):
            return
        now = fields.Datetime.now()
        notices = self.create(
            [
                {
                    "name": "关于小区二次供水设施清洗的停水通知",
                    "estate_id": estate.id,
                    "is_urgent": True,
                    "body": "<p>尊敬的业主：为保障饮用水安全，本周六 9:00–15:00 将对二次供水水箱进行清洗消毒，"
                    "届时全小区停水，请提前储水。给您带来不便，敬请谅解。</p>",
                },
                {
                    "name": "电梯年度检验安排",
                    "estate_id": estate.id,
                    "body": "<p>市特种设备检验所将于下周一至周三对各楼栋电梯进行年度检验，检验期间将轮流停用单部电梯。</p>",
                },
            ]
        )
        notices.with_context(mail_notify_force_send=False).action_publish()
        event = self.env["property.community.event"].create(
            {
                "name": "中秋邻里游园会",
                "estate_id": estate.id,
                "location": "小区中心花园",
                "date_begin": fields.Datetime.add(now, days=7),
                "date_end": fields.Datetime.add(now, days=7, hours=3),
                "capacity": 50,
                "description": "<p>猜灯谜、做月饼、亲子游戏，欢迎全家参加！</p>",
            }
        )
        event.action_open()
        seller = user.partner_id if user and units else self.env.user.partner_id
        self.env["property.market.item"].create(
            [
                {
                    "name": "九成新儿童自行车",
                    "description": "16 寸，适合 4–7 岁，自提。",
                    "price": 120,
                    "partner_id": seller.id,
                    "estate_id": estate.id,
                },
                {
                    "name": "宜家书桌",
                    "description": "白色，120×60 cm，搬家转让。",
                    "price": 200,
                    "partner_id": seller.id,
                    "estate_id": estate.id,
                    "state": "reserved",
                },
            ]
        )
