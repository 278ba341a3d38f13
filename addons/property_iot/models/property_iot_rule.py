import statistics
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import pairwise
from typing import NamedTuple

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .property_iot_device import DEVICE_KINDS, METER_KINDS, METER_REGISTER

RULE_TYPES = [
    ("threshold", "Threshold"),
    ("rate_of_change", "Rate of Change"),
    ("anomaly", "Anomaly (Median/MAD)"),
    ("event", "Device Event"),
    ("offline", "Device Offline"),
    ("night_consumption", "Night-time Consumption"),
    ("register", "Meter Register Check"),
]
# evaluated on every ingest batch; the others by crons
BATCH_RULE_TYPES = ("threshold", "rate_of_change", "anomaly", "event", "register")
SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")]
OPERATORS = [("above", "Above"), ("below", "Below")]
EVENT_LABELS = [
    ("smoke", "Smoke"),
    ("leak", "Water Leak"),
    ("door_open", "Door Open"),
    ("door_forced", "Door Forced Open"),
    ("access_granted", "Access Granted"),
    ("access_denied", "Access Denied"),
    ("fault", "Fault"),
    ("tamper", "Tamper"),
]
MAD_TO_SIGMA = 1.4826  # MAD × 1.4826 estimates the standard deviation of a normal series


@dataclass
class EvaluationContext:
    """What the rule evaluators of one batch share: the batch's series and events, the stored
    history they need, and the alarms to raise and resolve that they fill in."""

    env: object
    series: dict
    events: dict
    previous: dict
    history: dict
    raised: dict
    resolved: set
    held: dict
    envs: dict = field(default_factory=dict)

    def env_for(self, spec):
        """The environment whose ``_()`` writes the texts of ``spec``'s alarms: in the language
        of the rule's company, not in the bridge's."""
        if spec.company_id not in self.envs:
            company = self.env["res.company"].browse(spec.company_id)
            self.envs[spec.company_id] = self.env(
                context=dict(self.env.context, lang=company._property_lang())
            )
        return self.envs[spec.company_id]


def local_timezone(env):
    return pytz.timezone(
        env["ir.config_parameter"].sudo().get_param("property_iot.timezone", "Asia/Shanghai")
    )


class PropertyIotRule(models.Model):
    """When a device's data raises an alarm.

    A rule applies to one device, or to every device of a kind (a device's own rule of the
    same type and metric does not replace the kind's rule: both are evaluated).
    Threshold, rate-of-change, anomaly and event rules are evaluated in batch after every
    ingest batch of the bridge; offline and night-consumption rules by crons.
    """

    _name = "property.iot.rule"
    _description = "IoT Alarm Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    rule_type = fields.Selection(RULE_TYPES, required=True, default="threshold")
    device_kind = fields.Selection(DEVICE_KINDS, help="Applies to every device of this kind.")
    device_id = fields.Many2one(
        "property.iot.device", ondelete="cascade", check_company=True, help="Applies to this device only."
    )
    estate_id = fields.Many2one(
        related="device_id.estate_id",
        store=True,
        index="btree_not_null",
        help="A device's rule belongs to the device's estate; a rule for a kind of device, to the company.",
    )
    severity = fields.Selection(SEVERITIES, required=True, default="medium")
    metric = fields.Char(help="Telemetry value the rule watches, e.g. temperature.")
    operator = fields.Selection(OPERATORS, default="above")
    threshold = fields.Float(
        digits=(16, 4),
        help="Threshold: the limit. Rate of change: the largest change per minute (either way). "
        "Night consumption: the largest consumption in the night window.",
    )
    event_name = fields.Selection(EVENT_LABELS, string="Event")
    offline_minutes = fields.Integer(default=30, help="Silence after which the device is offline.")
    anomaly_window = fields.Integer(default=48, help="Number of previous values forming the baseline.")
    anomaly_k = fields.Float(
        string="Anomaly Factor",
        default=5.0,
        help="A value is anomalous when |value − median| > factor × 1.4826 × MAD of the window.",
    )
    anomaly_min_samples = fields.Integer(default=12, help="No verdict before this many values.")
    anomaly_min_deviation = fields.Float(
        default=0.0, help="Smallest deviation considered, so that a flat series does not alarm on noise."
    )
    night_start_hour = fields.Integer(default=2)
    night_end_hour = fields.Integer(default=5)
    auto_resolve = fields.Boolean(
        default=True,
        help="Resolve the open alarm when the condition clears: value back in range, event cleared, "
        "device seen again.",
    )
    alarm_ids = fields.One2many("property.iot.alarm", "rule_id")

    @api.constrains("rule_type", "device_kind", "device_id", "metric", "event_name", "anomaly_window")
    def _check_rule(self):
        for rule in self:
            if not rule.device_kind and not rule.device_id:
                raise ValidationError(self.env._("Rule %s needs a device kind or a device.", rule.name))
            if rule.rule_type in ("threshold", "rate_of_change", "anomaly") and not rule.metric:
                raise ValidationError(self.env._("Rule %s needs a metric.", rule.name))
            if rule.rule_type == "event" and not rule.event_name:
                raise ValidationError(self.env._("Rule %s needs an event.", rule.name))
            if rule.rule_type == "anomaly" and rule.anomaly_window < 3:
                raise ValidationError(self.env._("The anomaly window must hold at least 3 values."))
            kind = rule.device_id.kind or rule.device_kind
            if rule.rule_type == "night_consumption" and kind not in METER_KINDS:
                raise ValidationError(self.env._("Night consumption rules apply to meters only."))
            if rule.rule_type == "register" and kind not in METER_KINDS:
                raise ValidationError(self.env._("Register checks apply to meters only."))

    # helpers ---------------------------------------------------------------------------------
    # batch evaluation -----------------------------------------------------------------------
    # The bridge calls _evaluate_batch for every batch of thousands of readings: the rules are
    # read once into plain tuples (RuleSpec) and evaluated in Python, so the cost per reading
    # is a few dictionary lookups, not ORM field accesses.

    @api.model
    def _rule_specs(self):
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT id, name->>'en_US', rule_type, company_id, device_kind, device_id, metric,
                          operator, threshold, event_name, anomaly_window, anomaly_k,
                          anomaly_min_samples, anomaly_min_deviation, auto_resolve
                     FROM property_iot_rule
                    WHERE active AND rule_type IN %s
                    ORDER BY sequence, id""",
                BATCH_RULE_TYPES,
            )
        )
        return [RuleSpec(*row) for row in self.env.cr.fetchall()]

    @api.model
    def _rules_by_device(self, specs, device_ids):
        """{device_id: [RuleSpec]}: the rules that apply to each device."""
        if not specs:
            return {}
        self.env["property.iot.device"].flush_model(["kind", "company_id"])
        self.env.cr.execute(
            SQL("SELECT id, kind, company_id FROM property_iot_device WHERE id = ANY(%s)", list(device_ids))
        )
        by_kind, by_device = defaultdict(list), defaultdict(list)
        for spec in specs:
            if spec.device_id:
                by_device[spec.device_id].append(spec)
            else:
                by_kind[(spec.company_id, spec.device_kind)].append(spec)
        result = {}
        for device_id, kind, company_id in self.env.cr.fetchall():
            rules = by_kind.get((company_id, kind), []) + by_device.get(device_id, [])
            if rules:
                result[device_id] = rules
        return result

    def _history(self, pairs, limit):
        """{(device_id, metric): [(ts, value), oldest first]}: the last ``limit`` values before a time.

        ``pairs``: {(device_id, metric): ts}. One query for all pairs (index on device, metric, ts)."""
        if not pairs:
            return {}
        keys = list(pairs)
        self.env.cr.execute(
            SQL(
                """SELECT p.device_id, p.metric, r.ts, r.value
                     FROM unnest(%s::int[], %s::varchar[], %s::timestamp[]) AS p(device_id, metric, ts)
                     CROSS JOIN LATERAL (
                         SELECT ts, value FROM property_iot_reading
                          WHERE device_id = p.device_id AND metric = p.metric AND ts < p.ts
                            AND msg_type = 'telemetry'
                          ORDER BY ts DESC LIMIT %s) r
                    ORDER BY p.device_id, p.metric, r.ts""",
                [k[0] for k in keys],
                [k[1] for k in keys],
                [pairs[k] for k in keys],
                limit,
            )
        )
        history = defaultdict(list)
        for device_id, metric, ts, value in self.env.cr.fetchall():
            history[(device_id, metric)].append((ts, value))
        return history

    @api.model
    def _evaluate_batch(self, batch):
        """Evaluate every batch rule against the new rows of an ingest batch, in a constant
        number of queries; raise and resolve alarms in batch."""
        Alarm = self.env["property.iot.alarm"].sudo()
        if not batch.device_ids:
            return Alarm
        series = defaultdict(list)  # (device, metric) -> [(ts, value)] telemetry, in time order
        events = defaultdict(list)  # (device, event) -> [(ts, value)]
        for device_id, ts, msg_type, metric, value in batch.rows:
            (series if msg_type == "telemetry" else events)[(device_id, metric)].append((ts, value))
        applicable = self._rules_by_device(
            self._rule_specs(), {key[0] for key in series} | {k[0] for k in events}
        )
        need_rate, need_anomaly, window = {}, {}, 0
        for device_id, specs in applicable.items():
            for spec in specs:
                key = (device_id, spec.metric)
                if spec.rule_type == "rate_of_change" and key in series:
                    need_rate[key] = series[key][0][0]
                elif spec.rule_type == "anomaly" and key in series:
                    need_anomaly[key] = series[key][0][0]
                    window = max(window, spec.anomaly_window)
        ctx = EvaluationContext(
            env=self.env,
            series=series,
            events=events,
            previous=self._history(need_rate, 1),
            history=self._history(need_anomaly, window),
            raised={},
            resolved=set(),
            held=defaultdict(list),
        )
        for (device_id, ts), (value, reason) in sorted(batch.held.items(), key=lambda item: item[0][1]):
            ctx.held[device_id].append((ts, value, reason))
        for device_id, specs in applicable.items():
            for spec in specs:
                EVALUATORS[spec.rule_type](spec, device_id, ctx)
        alarms = Alarm._raise_batch(ctx.raised)
        # a device that talks again is no longer offline; auto-resolution of the other rules.
        # The open alarms of the batch's devices are few: read them all and match the pairs
        # in Python (a row-value IN list of every device's pairs cost 40 ms a batch to plan)
        Alarm.flush_model(["state", "device_id", "rule_id"])
        self.env.cr.execute(
            SQL(
                """SELECT a.device_id, a.rule_id, r.rule_type = 'offline' AND r.auto_resolve
                     FROM property_iot_alarm a JOIN property_iot_rule r ON r.id = a.rule_id
                    WHERE a.state != 'resolved' AND a.device_id = ANY(%s)""",
                list(batch.device_ids),
            )
        )
        Alarm._resolve_batch(
            {
                (device_id, rule_id)
                for device_id, rule_id, offline in self.env.cr.fetchall()
                if offline or (device_id, rule_id) in ctx.resolved
            }
        )
        return alarms

    # crons ----------------------------------------------------------------------------------
    @api.model
    def _evaluate_offline(self, now=None):
        """Raise an alarm for every device silent for longer than an offline rule allows."""
        now = now or fields.Datetime.now()
        Device = self.env["property.iot.device"].sudo()
        rules = self.sudo().search([("rule_type", "=", "offline")])
        raised, silent = {}, Device
        for rule in rules:
            rule_env = rule.with_context(lang=rule.company_id._property_lang()).env
            limit = now - timedelta(minutes=rule.offline_minutes)
            domain = [("company_id", "=", rule.company_id.id)] + (
                [("id", "=", rule.device_id.id)] if rule.device_id else [("kind", "=", rule.device_kind)]
            )
            # only a device that reported at least once can go silent: one installed but never
            # connected (or a demo device) is not an outage, and must not open work orders
            devices = Device.search(domain + [("last_seen", "!=", False), ("last_seen", "<", limit)])
            for device in devices:
                raised[(device.id, rule.id)] = (
                    device.last_seen,
                    0.0,
                    rule_env._("No message for more than %s minutes.", rule.offline_minutes),
                )
            silent |= devices
        silent.filtered(lambda d: d.status != "offline").write({"status": "offline"})
        return self.env["property.iot.alarm"].sudo()._raise_batch(raised)

    @api.model
    def _night_window(self, rule, day):
        """The UTC bounds of the night window of a local ``day``."""
        tz = local_timezone(self.env)
        start = tz.localize(datetime.combine(day, time(rule.night_start_hour)))
        end = tz.localize(datetime.combine(day, time(rule.night_end_hour)))
        return start.astimezone(pytz.UTC).replace(tzinfo=None), end.astimezone(pytz.UTC).replace(tzinfo=None)

    @api.model
    def _evaluate_night_consumption(self, day=None):
        """Flag meters that consumed more than the rule allows during the night of ``day``
        (local date; by default the last night that is over): water flowing at 3 a.m. is a leak."""
        tz = local_timezone(self.env)
        Device = self.env["property.iot.device"].sudo()
        raised = {}
        for rule in self.sudo().search([("rule_type", "=", "night_consumption")]):
            if day is None:
                local_now = datetime.now(tz)
                night = (
                    local_now.date()
                    if local_now.hour >= rule.night_end_hour
                    else local_now.date() - timedelta(1)
                )
            else:
                night = day
            start, end = self._night_window(rule, night)
            devices = rule.device_id or Device.search(
                [("kind", "=", rule.device_kind), ("company_id", "=", rule.company_id.id)]
            )
            if not devices:
                continue
            kind_metric = {d.id: METER_REGISTER[d.kind] for d in devices}
            self.env.cr.execute(
                SQL(
                    """SELECT r.device_id, max(r.value) - min(r.value)
                         FROM property_iot_reading r
                         JOIN unnest(%s::int[], %s::varchar[]) AS m(device_id, metric)
                           ON m.device_id = r.device_id AND m.metric = r.metric
                        WHERE r.ts >= %s AND r.ts <= %s AND r.msg_type = 'telemetry'
                        GROUP BY r.device_id""",
                    list(kind_metric),
                    list(kind_metric.values()),
                    start,
                    end,
                )
            )
            for device_id, consumption in self.env.cr.fetchall():
                if consumption > rule.threshold:
                    raised[(device_id, rule.id)] = (
                        end,
                        consumption,
                        rule.with_context(lang=rule.company_id._property_lang()).env._(
                            "%(consumption)s consumed between %(start)s:00 and %(end)s:00 on %(day)s: "
                            "possible leak.",
                            consumption=round(consumption, 3),
                            start=rule.night_start_hour,
                            end=rule.night_end_hour,
                            day=night,
                        ),
                    )
        return self.env["property.iot.alarm"].sudo()._raise_batch(raised)


def anomaly_score(window, value, min_samples, min_deviation=0.0):
    """Robust z-score of ``value`` against ``window``: |value − median| / (1.4826 × MAD).

    None while the window holds fewer than ``min_samples`` values. ``min_deviation`` floors
    the scale so that a perfectly flat series does not turn its first wobble into an alarm."""
    if len(window) < max(min_samples, 3):
        return None
    median = statistics.median(window)
    mad = statistics.median(abs(x - median) for x in window)
    scale = max(MAD_TO_SIGMA * mad, min_deviation, 1e-9)
    return abs(value - median) / scale


class RuleSpec(NamedTuple):
    id: int
    name: str
    rule_type: str
    company_id: int
    device_kind: str
    device_id: int
    metric: str
    operator: str
    threshold: float
    event_name: str
    anomaly_window: int
    anomaly_k: float
    anomaly_min_samples: int
    anomaly_min_deviation: float
    auto_resolve: bool

    def breaches(self, value):
        return value > self.threshold if self.operator == "above" else value < self.threshold


def evaluate_threshold(spec, device_id, ctx):
    values = ctx.series.get((device_id, spec.metric))
    if not values:
        return
    breach = next(((ts, v) for ts, v in values if spec.breaches(v)), None)
    if breach:
        ctx.raised[(device_id, spec.id)] = (
            breach[0],
            breach[1],
            ctx.env_for(spec)._(
                "%(metric)s = %(value)s, %(op)s the threshold %(threshold)s",
                metric=spec.metric,
                value=round(breach[1], 4),
                op=ctx.env_for(spec)._("above") if spec.operator == "above" else ctx.env_for(spec)._("below"),
                threshold=spec.threshold,
            ),
        )
    if spec.auto_resolve and not spec.breaches(values[-1][1]):
        ctx.resolved.add((device_id, spec.id))


def evaluate_rate_of_change(spec, device_id, ctx):
    values = ctx.series.get((device_id, spec.metric))
    if not values:
        return
    before = ctx.previous.get((device_id, spec.metric))
    points = before[-1:] + values if before else values
    last_ok = True
    for (ts0, v0), (ts1, v1) in pairwise(points):
        minutes = (ts1 - ts0).total_seconds() / 60.0
        rate = (v1 - v0) / minutes if minutes > 0 else None
        last_ok = rate is None or abs(rate) <= spec.threshold
        if not last_ok and (device_id, spec.id) not in ctx.raised:
            ctx.raised[(device_id, spec.id)] = (
                ts1,
                v1,
                ctx.env_for(spec)._(
                    "%(metric)s changed by %(rate)s per minute (limit %(limit)s)",
                    metric=spec.metric,
                    rate=round(rate, 4),
                    limit=spec.threshold,
                ),
            )
    if spec.auto_resolve and last_ok:
        ctx.resolved.add((device_id, spec.id))


def evaluate_anomaly(spec, device_id, ctx):
    values = ctx.series.get((device_id, spec.metric))
    if not values:
        return
    past = ctx.history.get((device_id, spec.metric), [])[-spec.anomaly_window :]
    window = deque((v for _ts, v in past), maxlen=spec.anomaly_window)
    last_ok = True
    for ts, value in values:
        score = anomaly_score(window, value, spec.anomaly_min_samples, spec.anomaly_min_deviation)
        last_ok = score is None or score <= spec.anomaly_k
        if not last_ok and (device_id, spec.id) not in ctx.raised:
            ctx.raised[(device_id, spec.id)] = (
                ts,
                value,
                ctx.env_for(spec)._(
                    "%(metric)s = %(value)s is %(score)s robust deviations from its median %(median)s",
                    metric=spec.metric,
                    value=round(value, 4),
                    score=round(score, 1),
                    median=round(statistics.median(window), 4),
                ),
            )
        window.append(value)
    if spec.auto_resolve and last_ok:
        ctx.resolved.add((device_id, spec.id))


def evaluate_event(spec, device_id, ctx):
    states = ctx.events.get((device_id, spec.event_name))
    if not states:
        return
    active = next(((ts, v) for ts, v in states if v), None)
    if active:
        env = ctx.env_for(spec)
        labels = dict(env["property.iot.rule"]._fields["event_name"]._description_selection(env))
        event = labels.get(spec.event_name, spec.event_name)
        ctx.raised[(device_id, spec.id)] = (active[0], 1.0, env._("Event: %s", event))
    if spec.auto_resolve and not states[-1][1]:
        ctx.resolved.add((device_id, spec.id))


def evaluate_register(spec, device_id, ctx):
    """A meter register value held by the register checks (``_check_registers``): a jump
    outside the plausibility band, a rollback, a negative value."""
    held = ctx.held.get(device_id)
    if held:
        ctx.raised[(device_id, spec.id)] = held[0]


EVALUATORS = {
    "threshold": evaluate_threshold,
    "rate_of_change": evaluate_rate_of_change,
    "anomaly": evaluate_anomaly,
    "event": evaluate_event,
    "register": evaluate_register,
}
