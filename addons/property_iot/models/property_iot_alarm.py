from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.queue_job.job import identity_exact

from .property_iot_rule import SEVERITIES

ALARM_STATES = [("raised", "Raised"), ("acknowledged", "Acknowledged"), ("resolved", "Resolved")]


class PropertyIotAlarm(models.Model):
    """An alarm of one rule on one device: raised → acknowledged → resolved.

    At most one alarm per (device, rule) is open (not resolved) at a time — a partial unique
    index guarantees it even with several bridges; a repeated condition increments the open
    alarm's ``occurrence_count``.

    Extension points: :meth:`_on_raised` is called on the alarms a batch (or a cron) has just
    created, in a queue_job job the batch enqueues (:meth:`_enqueue_raised`): the side effects
    of an alarm — work orders, safety incidents, notifications — run after the commit of the
    readings that raised it, and the bridge acknowledges the messages without waiting for them.
    :meth:`_on_resolved` is called on the alarms just resolved, in their transaction. The
    work-order and security bridges override them (call ``super()``); both must be idempotent
    (a job may run again after a failure).
    """

    _name = "property.iot.alarm"
    _description = "IoT Alarm"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, raised_at desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    device_id = fields.Many2one(
        "property.iot.device", required=True, index=True, ondelete="cascade", readonly=True
    )
    rule_id = fields.Many2one(
        "property.iot.rule", required=True, index=True, ondelete="cascade", readonly=True
    )
    rule_type = fields.Selection(related="rule_id.rule_type", store=True)
    kind = fields.Selection(related="device_id.kind", store=True)
    severity = fields.Selection(SEVERITIES, required=True, default="medium", tracking=True)
    state = fields.Selection(ALARM_STATES, required=True, default="raised", tracking=True, readonly=True)
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    company_id = fields.Many2one(related="device_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="device_id.estate_id", store=True, index=True)
    building_id = fields.Many2one(related="device_id.building_id", store=True)
    unit_id = fields.Many2one(related="device_id.unit_id", store=True)
    equipment_id = fields.Many2one(related="device_id.equipment_id", store=True)
    description = fields.Text(readonly=True)
    value = fields.Float(readonly=True, digits=(16, 4), help="The value that raised the alarm.")
    last_value = fields.Float(readonly=True, digits=(16, 4))
    first_ts = fields.Datetime(string="First Occurrence", readonly=True)
    last_ts = fields.Datetime(string="Last Occurrence", readonly=True)
    occurrence_count = fields.Integer(default=1, readonly=True)
    raised_at = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    acknowledged_at = fields.Datetime(readonly=True)
    acknowledged_by_id = fields.Many2one("res.users", readonly=True)
    resolved_at = fields.Datetime(readonly=True)
    resolved_by_id = fields.Many2one("res.users", readonly=True)

    def init(self):
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS property_iot_alarm_open_uniq
                       ON property_iot_alarm (device_id, rule_id) WHERE state != 'resolved'"""
            )
        )

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {state: i for i, (state, _label) in enumerate(ALARM_STATES)}
        for alarm in self:
            alarm.state_sequence = order.get(alarm.state, 0)

    # lifecycle ------------------------------------------------------------------------------
    def action_acknowledge(self):
        if any(alarm.state != "raised" for alarm in self):
            raise UserError(self.env._("Only raised alarms can be acknowledged."))
        self.write(
            {
                "state": "acknowledged",
                "acknowledged_at": fields.Datetime.now(),
                "acknowledged_by_id": self.env.uid,
            }
        )
        return True

    def action_resolve(self):
        if any(alarm.state == "resolved" for alarm in self):
            raise UserError(self.env._("This alarm is already resolved."))
        self._set_resolved(self.env.user)
        return True

    def _set_resolved(self, user=None):
        self.write(
            {
                "state": "resolved",
                "resolved_at": fields.Datetime.now(),
                "resolved_by_id": user.id if user else False,
            }
        )
        self._on_resolved()

    # extension points -----------------------------------------------------------------------
    def _on_raised(self):
        """Called in a job on the alarms just raised (one job per batch). Override in bridges:
        create a work order (property_workorder) or a safety incident (property_security).
        Must be idempotent: skip the alarms that already have their side effect."""
        return True

    def _on_resolved(self):
        """Called on the alarms just resolved (automatically or by a user)."""
        return True

    def _enqueue_raised(self):
        """Enqueue the job of :meth:`_on_raised` for these new alarms, in the current
        transaction: the job runner sees it only once that transaction is committed."""
        if not self:
            return None
        env = self.with_context(lang=self.company_id[:1]._property_lang()).env
        return self.with_delay(
            channel="root.iot_alarm",
            identity_key=identity_exact,
            description=env._("IoT alarms raised: %s", ", ".join(self.mapped("name"))[:200]),
        )._job_on_raised()

    def _job_on_raised(self):
        """The job: the side effects of new alarms (those still there)."""
        alarms = self.exists()
        alarms._on_raised()
        return len(alarms)

    # batch API used by rules ----------------------------------------------------------------
    @api.model
    def _raise_batch(self, candidates):
        """``candidates``: {(device_id, rule_id): (ts, value, description)}.

        An open alarm of the same device and rule gets its occurrence counted (one UPDATE for
        all of them); the others are created in one ``create`` and passed to :meth:`_on_raised`.
        Returns the new alarms."""
        if not candidates:
            return self.browse()
        device_ids = list({key[0] for key in candidates})
        rule_ids = list({key[1] for key in candidates})
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT id, device_id, rule_id FROM property_iot_alarm
                    WHERE state != 'resolved' AND device_id = ANY(%s) AND rule_id = ANY(%s)""",
                device_ids,
                rule_ids,
            )
        )
        open_alarms = {
            (device_id, rule_id): alarm_id for alarm_id, device_id, rule_id in self.env.cr.fetchall()
        }
        repeated = [
            (open_alarms[key], ts, value)
            for key, (ts, value, _text) in candidates.items()
            if key in open_alarms
        ]
        if repeated:
            self.env.cr.execute(
                SQL(
                    """UPDATE property_iot_alarm a
                          SET occurrence_count = a.occurrence_count + 1,
                              last_ts = GREATEST(a.last_ts, v.ts), last_value = v.value
                         FROM unnest(%s::int[], %s::timestamp[], %s::float8[]) AS v(id, ts, value)
                        WHERE a.id = v.id""",
                    [r[0] for r in repeated],
                    [r[1] for r in repeated],
                    [r[2] for r in repeated],
                )
            )
            self.invalidate_model(["occurrence_count", "last_ts", "last_value"])
        new_keys = [key for key in candidates if key not in open_alarms]
        if not new_keys:
            return self.browse()
        devices = self.env["property.iot.device"].sudo().browse([k[0] for k in new_keys])
        rules = self.env["property.iot.rule"].sudo().browse([k[1] for k in new_keys])
        devices.fetch(["name", "company_id"])
        rules.fetch(["severity"])
        # the alarm is named in its company's language, whoever raises it (bridge, cron)
        langs = {company: company._property_lang() for company in devices.company_id}
        vals_list = []
        for (device_id, rule_id), device, rule in zip(new_keys, devices, rules, strict=True):
            ts, value, text = candidates[(device_id, rule_id)]
            rule_name = rule.with_context(lang=langs.get(device.company_id)).name
            vals_list.append(
                {
                    "name": f"{rule_name} – {device.name}",
                    "device_id": device_id,
                    "rule_id": rule_id,
                    "severity": rule.severity,
                    "description": text,
                    "value": value,
                    "last_value": value,
                    "first_ts": ts,
                    "last_ts": ts,
                }
            )
        alarms = self.with_context(tracking_disable=True, mail_create_nolog=True).create(vals_list)
        alarms._enqueue_raised()
        return alarms

    @api.model
    def _resolve_batch(self, keys):
        """Resolve the open alarms of these (device_id, rule_id) pairs."""
        if not keys:
            return self.browse()
        device_ids = list({k[0] for k in keys})
        alarms = self.search([("state", "!=", "resolved"), ("device_id", "in", device_ids)])
        alarms = alarms.filtered(lambda a: (a.device_id.id, a.rule_id.id) in keys)
        if alarms:
            alarms._set_resolved()
        return alarms
