import logging
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import format_amount, format_date

from .property_dunning_level import CHANNELS

_logger = logging.getLogger(__name__)

LOG_STATES = [("pending", "Pending"), ("sent", "Sent"), ("skipped", "Skipped"), ("error", "Error")]


class PropertyDunningLog(models.Model):
    """One reminder of one household, at one level, through one channel.

    The rule against repeats: a household's reminders are anchored on its *oldest unpaid
    overdue bill* (``anchor_bill_id``), and its level is the highest one reached by that
    bill's days overdue. Each (household, level, channel, anchor) is sent at most once —
    the unique constraint below. Newer overdue bills join the reminder (``bill_ids``,
    ``amount_due``) but do not trigger it again. When the household pays the anchor, its
    next oldest overdue bill becomes the anchor and the ladder starts over from that bill's
    own level. Only the highest level reached is sent: a household that is 40 days late when
    dunning starts gets the second notice, not the first one as well. Skipped channels
    (opt-out, no email or mobile) and errors are logged too and are not retried."""

    _name = "property.dunning.log"
    _description = "Dunning Log"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Household", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    estate_id = fields.Many2one("property.estate", related="anchor_bill_id.estate_id", store=True, index=True)
    level_id = fields.Many2one("property.dunning.level", required=True, ondelete="restrict", readonly=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    anchor_bill_id = fields.Many2one(
        "property.bill",
        string="Oldest Overdue Bill",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    bill_ids = fields.Many2many("property.bill", string="Overdue Bills", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_due = fields.Monetary(readonly=True)
    days_overdue = fields.Integer(readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    state = fields.Selection(LOG_STATES, required=True, default="pending", index=True, readonly=True)
    error = fields.Char(readonly=True)
    mail_id = fields.Many2one("mail.mail", string="Email", ondelete="set null", readonly=True)
    sms_id = fields.Many2one("sms.sms", string="SMS", ondelete="set null", readonly=True)
    message_id = fields.Many2one("mail.message", string="Portal Message", ondelete="set null", readonly=True)

    _sql_constraints = [
        (
            "reminder_uniq",
            "unique(partner_id, level_id, channel, anchor_bill_id)",
            "A household is reminded once per level and channel for the same oldest overdue bill.",
        ),
    ]

    # ------------------------------------------------------------------
    # Finding the work
    # ------------------------------------------------------------------
    @api.model
    def _get_overdue_bill_domain(self, today, min_days):
        return [
            ("state", "in", ("open", "partial")),
            ("amount_residual", ">", 0),
            ("date_due", "<=", today - timedelta(days=min_days)),
        ]

    @api.model
    def _get_candidates(self, partners=None, today=None):
        """Households that have a reminder to send now.

        Returns a list of dicts ``{partner, company, level, anchor, bills, days_overdue,
        amount_due, channels}`` where ``channels`` are the level's channels not logged yet
        for this anchor."""
        today = today or fields.Date.context_today(self)
        levels = self.env["property.dunning.level"].sudo().search([])
        if not levels:
            return []
        domain = self._get_overdue_bill_domain(today, min(levels.mapped("days_overdue")))
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        Bill = self.env["property.bill"].sudo()
        groups = Bill._read_group(domain, ["partner_id", "company_id"], ["id:array_agg"], order="partner_id")
        bills = Bill.browse([bill_id for __, __, ids in groups for bill_id in ids])
        bills.fetch(["date_due", "amount_residual", "partner_id", "company_id"])
        candidates = []
        for partner, company, bill_ids in groups:
            partner_bills = Bill.browse(bill_ids).sorted(lambda b: (b.date_due, b.id))
            anchor = partner_bills[0]
            days = (today - anchor.date_due).days
            reached = levels.filtered(
                lambda lv, c=company, d=days: (
                    (not lv.company_id or lv.company_id == c) and lv.days_overdue <= d
                )
            )
            if not reached:
                continue
            candidates.append(
                {
                    "partner": partner,
                    "company": company,
                    "level": reached.sorted(lambda lv: (lv.days_overdue, lv.sequence, lv.id))[-1],
                    "anchor": anchor,
                    "bills": partner_bills,
                    "days_overdue": days,
                    "amount_due": sum(partner_bills.mapped("amount_residual")),
                }
            )
        done = {
            (log.partner_id.id, log.level_id.id, log.channel, log.anchor_bill_id.id)
            for log in self.sudo().search([("anchor_bill_id", "in", [c["anchor"].id for c in candidates])])
        }
        pending = []
        for candidate in candidates:
            key = (candidate["partner"].id, candidate["level"].id)
            candidate["channels"] = [
                channel
                for channel in candidate["level"]._get_channels()
                if (*key, channel, candidate["anchor"].id) not in done
            ]
            if candidate["channels"]:
                pending.append(candidate)
        return pending

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_reminders(self, batch_size=200):
        """Daily: send the reminders that are due, ``batch_size`` households per call.

        Idempotent (the log says what was sent); when households remain, it reports its
        progress and the scheduler calls it again."""
        candidates = self._get_candidates()
        batch = candidates[:batch_size]
        self._send_reminders(batch)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(candidates) - len(batch))

    @api.model
    def _send_reminders(self, candidates):
        """Create the logs of ``candidates`` (see ``_get_candidates``) and send them."""
        logs = self.sudo().create(
            [
                {
                    "partner_id": c["partner"].id,
                    "company_id": c["company"].id,
                    "level_id": c["level"].id,
                    "channel": channel,
                    "anchor_bill_id": c["anchor"].id,
                    "bill_ids": [fields.Command.set(c["bills"].ids)],
                    "amount_due": c["amount_due"],
                    "days_overdue": c["days_overdue"],
                }
                for c in candidates
                for channel in c["channels"]
            ]
        )
        for log in logs:
            log._send()
        return logs

    def _send(self):
        self.ensure_one()
        partner = self.partner_id
        if partner[f"has_dunning_{self.channel}_opt_out"]:
            self.write({"state": "skipped", "error": self.env._("The household opted out of this channel.")})
            return
        try:
            with self.env.cr.savepoint():
                getattr(self, f"_send_{self.channel}")()
        except Exception as error:
            _logger.info("Dunning reminder %s failed: %s", self.id, error)
            self.write({"state": "error", "error": str(error)[:500]})

    def _send_email(self):
        if not self.partner_id.email:
            self.write({"state": "skipped", "error": self.env._("The household has no email address.")})
            return
        mail_id = self.level_id.mail_template_id.send_mail(self.id, force_send=False)
        self.write({"state": "sent", "mail_id": mail_id})

    def _get_mobile(self):
        return self.partner_id.mobile or False

    def _send_sms(self):
        mobile = self._get_mobile()
        if not mobile:
            self.write({"state": "skipped", "error": self.env._("The household has no mobile number.")})
            return
        gateway = self.env["property.sms.gateway"]._get_company_gateway(self.company_id)
        params = self._get_sms_params()
        code = self.level_id.sms_template_code
        body = gateway._render_template(code, params) if (gateway and code) else self._get_reminder_text()
        sms = (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "number": mobile,
                    "partner_id": self.partner_id.id,
                    "body": body,
                    "property_template_code": code or False,
                    "property_template_params": params if code else False,
                }
            )
        )
        sms.with_company(self.company_id).send(unlink_sent=False, raise_exception=False)
        if sms.state == "error":
            self.write({"state": "error", "error": sms.failure_type or "unknown", "sms_id": sms.id})
        else:
            self.write({"state": "sent", "sms_id": sms.id})

    def _send_voice(self):
        mobile = self._get_mobile()
        if not mobile:
            self.write({"state": "skipped", "error": self.env._("The household has no mobile number.")})
            return
        gateway = self.env["property.sms.gateway"]._get_company_gateway(self.company_id)
        if not gateway:
            self.write({"state": "error", "error": self.env._("No SMS/voice gateway is configured.")})
            return
        result = gateway._send_voice(
            mobile, self.level_id.voice_template_code, self._get_sms_params(), partner=self.partner_id
        )
        if result["state"] in ("success", "sent"):
            self.write({"state": "sent"})
        else:
            self.write({"state": "error", "error": result.get("code") or result["state"]})

    def _send_portal(self):
        """A message on the oldest overdue bill, addressed to the household: not internal,
        so the bill's portal page (property_portal) shows it."""
        message = (
            self.env["mail.message"]
            .sudo()
            .create(
                {
                    "model": "property.bill",
                    "res_id": self.anchor_bill_id.id,
                    "message_type": "comment",
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                    "is_internal": False,
                    "author_id": self.company_id.partner_id.id,
                    "subject": self.level_id.name,
                    "body": Markup("<p>%s</p>") % escape(self._get_reminder_text()),
                    "partner_ids": [fields.Command.link(self.partner_id.id)],
                }
            )
        )
        self.write({"state": "sent", "message_id": message.id})

    # ------------------------------------------------------------------
    # Content
    # ------------------------------------------------------------------
    def _get_param_values(self):
        self.ensure_one()
        return {
            "partner_name": self.partner_id.name,
            "amount_due": f"{self.amount_due:.2f}",
            "days_overdue": str(self.days_overdue),
            "bill_count": str(len(self.bill_ids)),
            "date_due": fields.Date.to_string(self.anchor_bill_id.date_due),
            "company_name": self.company_id.name,
        }

    def _get_sms_params(self):
        """The level's template parameters, in the order it lists them."""
        values = self._get_param_values()
        return [values[name] for name in self.level_id._get_sms_param_names()]

    def _get_reminder_text(self):
        """In the household's language (else the company's), not in the cron's."""
        self.ensure_one()
        env = self.with_context(lang=self.partner_id.lang or self.company_id._property_lang()).env
        return env._(
            "%(level)s: %(partner)s, %(count)s bill(s) (%(bills)s) totalling %(amount)s are unpaid; "
            "the oldest was due on %(date)s (%(days)s days ago). Please pay at your earliest convenience.",
            level=self.level_id.with_env(env).name,
            partner=self.partner_id.name,
            count=len(self.bill_ids),
            bills=", ".join(self.bill_ids.mapped("name")),
            amount=format_amount(env, self.amount_due, self.currency_id),
            date=format_date(env, self.anchor_bill_id.date_due),
            days=self.days_overdue,
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_anchor_bill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "property.bill",
            "res_id": self.anchor_bill_id.id,
            "view_mode": "form",
        }
