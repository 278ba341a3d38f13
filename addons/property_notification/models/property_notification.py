import json
import logging

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime

from odoo.addons.property_sms.models.property_sms_gateway import SUCCESS_STATES
from odoo.addons.queue_job.job import identity_exact

_logger = logging.getLogger(__name__)

EVENTS = [
    ("bill", "Bill Issued"),
    ("payment", "Payment Received"),
    ("dunning", "Payment Reminder"),
    ("workorder", "Repair Progress"),
    ("alarm", "Alarm Answered"),
    ("feedback", "Feedback Reply"),
]
CHANNELS = [("wechat", "WeChat"), ("sms", "SMS"), ("portal", "Portal")]
STATES = [("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed"), ("skipped", "Skipped")]
# notifications sent per job; a failed one is tried again at most MAX_ATTEMPTS times in all
BATCH_SIZE = 100
MAX_ATTEMPTS = 3
RETRY_DELAY = 300  # seconds, times the attempt number
PENDING_KEY = "property_notification.pending"
# WeChat template message fields: 20 characters at most in a "thing" field
WECHAT_THING = 20


class PropertyNotification(models.Model):
    """One message to one resident about one event, through one channel.

    ``key`` (event, source record, stage, recipient, channel) is unique: an event that fires
    twice, or a job that runs twice, never sends twice. The message is written when the event
    happens, in the recipient's language; WeChat and SMS messages are sent by queue jobs
    (:meth:`_job_send`) once the transaction that caused them is committed, and a message is
    marked sent in the same transaction as its sending. Portal messages are the residents'
    inbox (/my/notifications): they are delivered when written."""

    _name = "property.notification"
    _description = "Resident Notification"
    _order = "create_date desc, id desc"
    _rec_name = "subject"
    _check_company_auto = True

    key = fields.Char(required=True, readonly=True, index=True, copy=False)
    event = fields.Selection(EVENTS, required=True, readonly=True, index=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Resident", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    estate_id = fields.Many2one("property.estate", readonly=True, index=True, ondelete="set null")
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", readonly=True)
    subject = fields.Char(required=True, readonly=True)
    body = fields.Text(readonly=True)
    url = fields.Char(string="Link", readonly=True, help="Path of the portal page the message leads to.")
    sms_template_code = fields.Char(string="SMS Message Type", readonly=True)
    sms_params = fields.Text(string="SMS Parameters", readonly=True)
    state = fields.Selection(STATES, required=True, default="pending", readonly=True, index=True)
    attempt_count = fields.Integer(string="Attempts", readonly=True, default=0)
    date_sent = fields.Datetime(string="Sent On", readonly=True)
    error = fields.Char(readonly=True)
    provider_ref = fields.Char(string="Provider Reference", readonly=True)
    is_read = fields.Boolean(string="Read", readonly=True)

    _sql_constraints = [
        ("key_uniq", "unique(key)", "A resident is told once per event and channel."),
    ]

    # ------------------------------------------------------------------
    # Dispatcher: what every event source calls
    # ------------------------------------------------------------------
    @api.model
    def _notify(self, event, items):
        """Tell residents about ``event``.

        ``items``: iterable of ``(record, partner, stage, render)``; ``record`` is the source
        document, ``stage`` tells apart the messages of one document (``assigned``/``done``),
        ``render(env)`` returns, in ``env``'s language (the recipient's), a dict with
        ``subject``, ``body``, ``url`` and the SMS ``sms_template`` and ``sms_params``.

        Each recipient gets the channels they allow for the event (see
        :meth:`property.notification.preference._get_channels`), narrowed to the context's
        ``property_notification_channels`` when given. Returns the notifications
        created (those that existed already are not created again)."""
        items = [item for item in items if item[1]]
        if not items:
            return self.browse()
        partners = self.env["res.partner"].browse({item[1].id for item in items}).sudo()
        channels = self.env["property.notification.preference"].sudo()._get_channels(partners, event)
        # a caller that sends some channels itself (property_dunning) asks for the others only
        only = self.env.context.get("property_notification_channels")
        candidates = []
        for record, partner, stage, render in items:
            for channel in channels.get(partner.id, ()):
                if only is not None and channel not in only:
                    continue
                key = f"{event}:{record._name}:{record.id}:{stage or ''}:{partner.id}:{channel}"
                candidates.append((key, record, partner, channel, render))
        if not candidates:
            return self.browse()
        existing = set(self.sudo().search([("key", "in", [c[0] for c in candidates])]).mapped("key"))
        vals_list, rendered, now = [], {}, fields.Datetime.now()
        for key, record, partner, channel, render in candidates:
            if key in existing:
                continue
            existing.add(key)
            company = self._get_record_company(record)
            cache_key = (record._name, record.id, partner.id)
            if cache_key not in rendered:
                rendered[cache_key] = render(self._get_partner_env(partner, company))
            content = rendered[cache_key]
            vals_list.append(
                {
                    "key": key,
                    "event": event,
                    "channel": channel,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "estate_id": self._get_record_estate(record).id,
                    "res_model": record._name,
                    "res_id": record.id,
                    "subject": content["subject"],
                    "body": content.get("body"),
                    "url": content.get("url"),
                    "sms_template_code": content.get("sms_template"),
                    "sms_params": json.dumps(content.get("sms_params") or [], ensure_ascii=False),
                    # the portal inbox is delivered by being written
                    "state": "sent" if channel == "portal" else "pending",
                    "date_sent": now if channel == "portal" else False,
                }
            )
        notifications = self.sudo().create(vals_list)
        notifications.filtered(lambda n: n.state == "pending")._send_after_commit()
        return notifications

    @api.model
    def _get_record_company(self, record):
        record = record.sudo()
        company = record.company_id[:1] if "company_id" in record._fields else False
        return company or self.env.company

    @api.model
    def _get_record_estate(self, record):
        record = record.sudo()
        if "estate_id" in record._fields:
            return record.estate_id[:1]
        if "property_bill_ids" in record._fields:  # a payment: its bills' estate
            return record.property_bill_ids.estate_id[:1]
        return self.env["property.estate"]

    @api.model
    def _get_partner_env(self, partner, company):
        """An environment in the recipient's language (else the company's)."""
        lang = partner.lang if partner.lang and self.env["res.lang"]._lang_get(partner.lang) else False
        return self.with_context(lang=lang or company._property_lang()).env

    @api.model
    def _format_datetime(self, env, value, partner):
        """A date and time as the recipient reads it: in their time zone."""
        if not value:
            return ""
        return format_datetime(env, value, tz=partner.tz or "Asia/Shanghai", dt_format="yyyy-MM-dd HH:mm")

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------
    def _send_after_commit(self):
        """Enqueue the sending of these notifications when the current transaction commits
        (all those of one transaction together, in jobs of BATCH_SIZE)."""
        if not self:
            return
        precommit = self.env.cr.precommit
        if PENDING_KEY not in precommit.data:
            precommit.data[PENDING_KEY] = set()
            precommit.add(self._enqueue_pending)
        precommit.data[PENDING_KEY].update(self.ids)

    def _enqueue_pending(self):
        ids = self.env.cr.precommit.data.pop(PENDING_KEY, set())
        self.sudo().browse(sorted(ids)).exists()._enqueue_send()
        self.env.flush_all()

    def _enqueue_send(self):
        """One job per BATCH_SIZE notifications; a batch already waiting is not enqueued again."""
        jobs = []
        for start in range(0, len(self), BATCH_SIZE):
            batch = self[start : start + BATCH_SIZE]
            jobs.append(
                batch.with_delay(
                    identity_key=identity_exact,
                    description=self.env._("Send %s resident notifications", len(batch)),
                )._job_send()
            )
        return jobs

    @api.model
    def _cron_send_pending(self):
        """Safety net: notifications still waiting an hour after they were written (their job was
        lost or cancelled) are enqueued again; their key keeps them from being sent twice."""
        stale = self.sudo().search(
            [
                ("state", "=", "pending"),
                ("channel", "!=", "portal"),
                ("create_date", "<", fields.Datetime.subtract(fields.Datetime.now(), hours=1)),
            ],
            limit=BATCH_SIZE * 10,
        )
        stale._enqueue_send()

    # ------------------------------------------------------------------
    # Sending (the job)
    # ------------------------------------------------------------------
    def _job_send(self):
        """Send these notifications, those that still have to be: a job that runs again (retried,
        or enqueued twice) finds them sent and sends nothing. A message that fails is marked
        failed and tried again by a later job, at most MAX_ATTEMPTS times; the job itself does
        not fail, so that the messages it did send stay marked sent."""
        todo = self._lock_sendable()
        for notification in todo:
            notification._send_one()
        retry = todo.filtered(lambda n: n.state == "failed" and n.attempt_count < MAX_ATTEMPTS)
        if retry:
            retry.with_delay(
                eta=RETRY_DELAY * max(retry.mapped("attempt_count")),
                identity_key=identity_exact,
                description=self.env._("Send %s resident notifications again", len(retry)),
            )._job_send()
        return len(todo)

    def _lock_sendable(self):
        """The notifications of ``self`` still to send, locked for this transaction. SQL for
        ``FOR UPDATE SKIP LOCKED``, which the ORM cannot say: two workers running the same batch
        never both send a message."""
        if not self.ids:
            return self.browse()
        self.flush_model(["state", "attempt_count"])
        self.env.cr.execute(
            SQL(
                """SELECT id FROM property_notification
                    WHERE id = ANY(%s) AND channel != 'portal' AND state IN ('pending', 'failed')
                      AND COALESCE(attempt_count, 0) < %s
                 ORDER BY id
                      FOR UPDATE SKIP LOCKED""",
                self.ids,
                MAX_ATTEMPTS,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_recordset(["state", "attempt_count"])
        return self.sudo().browse(ids)

    def _send_one(self):
        self.ensure_one()
        from wechatpy.exceptions import WeChatException

        try:
            state, ref, error = getattr(self, f"_send_{self.channel}")()
        except (WeChatException, requests.RequestException, OSError, UserError, ValueError) as exc:
            _logger.info("Notification %s (%s) failed: %s", self.id, self.channel, exc)
            state, ref, error = "failed", False, str(exc)[:200]
        self.write(
            {
                "state": state,
                "attempt_count": self.attempt_count + 1,
                "provider_ref": ref or False,
                "error": error or False,
                "date_sent": fields.Datetime.now() if state == "sent" else False,
            }
        )

    def _send_sms(self):
        """Through the company's SMS gateway, with the event's approved template."""
        gateway = self.env["property.sms.gateway"]._get_company_gateway(self.company_id)
        if not gateway:
            return "skipped", False, self.env._("No SMS gateway is configured.")
        mobile = self.partner_id.mobile
        if not mobile:
            return "skipped", False, self.env._("The resident has no mobile number.")
        params = json.loads(self.sms_params or "[]")
        result = gateway._send_template([mobile], self.sms_template_code, params, partners=[self.partner_id])[
            0
        ]
        if result["state"] in SUCCESS_STATES:
            return "sent", result.get("provider_ref"), False
        return "failed", False, result.get("code") or result["state"]

    def _send_wechat(self):
        """A WeChat template message (Official Account) to the resident's bound account; the
        template of the event, else the common one (fields thing1: subject, thing2: text,
        time3: date)."""
        params = self.env["ir.config_parameter"].sudo()
        template_id = params.get_param(
            f"property_notification.wechat_template_{self.event}"
        ) or params.get_param("property_notification.wechat_template_id")
        client = template_id and self.env["property.announcement"]._wechat_get_client()
        openid = self.partner_id.wechat_openid
        if not client or not openid:
            return "skipped", False, self.env._("WeChat is not configured.")
        env = self._get_partner_env(self.partner_id, self.company_id)
        data = {
            "thing1": {"value": (self.subject or "")[:WECHAT_THING]},
            "thing2": {"value": (self.body or "")[:WECHAT_THING]},
            "time3": {"value": self._format_datetime(env, self.create_date, self.partner_id)},
        }
        url = f"{self.get_base_url()}{self.url or '/my/notifications'}"
        answer = client.message.send_template(openid, template_id, data, url=url)
        return "sent", str((answer or {}).get("msgid") or "") or False, False

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------
    @api.model
    def _portal_domain(self, partner):
        return [("partner_id", "=", partner.id), ("channel", "=", "portal")]

    def _mark_read(self):
        """Mark the resident's own portal messages read (checked with their rights first)."""
        self.check_access("read")
        self.filtered(lambda n: not n.is_read).sudo().write({"is_read": True})
