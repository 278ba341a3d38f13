from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

OPEN_REQUEST_STATES = ("new", "assigned", "accepted", "in_progress", "paused")
OPEN_ALARM_STATES = ("raised", "acknowledged")
# requests raised by residents (not by devices or inspections): the complaint heatmap and the
# residents' activity count these
RESIDENT_SOURCES = ("front_desk", "phone", "portal", "complaint")
SLA_ORDER = ("breached", "at_risk", "on_track", "none")
# what a meter of each type measures: consumption is compared within a type, never summed across
ENERGY_UNITS = {"electricity": "kWh", "water": "m³", "gas": "m³"}
TREND_MONTHS = 12
TEAM_DAYS = 30
HEATMAP_DAYS = 90


def percent(part, whole):
    """``part`` of ``whole`` in %, one decimal; None when there is nothing to divide by."""
    return round(100.0 * part / whole, 1) if whole else None


def change_percent(current, previous):
    """Change from ``previous`` to ``current`` in %; None without a base to compare with."""
    return round(100.0 * (current - previous) / previous, 1) if previous else None


class PropertyCockpit(models.AbstractModel):
    """运营驾驶舱: the figures a property manager starts the day with.

    Everything is read through the calling user's rights (access rights and record rules of
    each model, no sudo): a user sees the figures of the estates and companies they may read,
    and a section whose model they cannot read is left out (None)."""

    _name = "property.cockpit"
    _description = "Operations Cockpit"

    # ------------------------------------------------------------------ API
    @api.model
    def get_cockpit_data(self, estate_ids=None):
        """All figures of the cockpit, for the given estates (all readable ones when empty)."""
        self._check_cockpit_access()
        estate_ids = self._sanitize_estate_ids(estate_ids)
        today = fields.Date.context_today(self)
        ctx = {
            "today": today,
            "estate_ids": estate_ids,
            "domain": [("estate_id", "in", estate_ids)] if estate_ids else [],
            "month_start": today.replace(day=1),
            "trend_start": today.replace(day=1) - relativedelta(months=TREND_MONTHS - 1),
        }
        company = self.env.company
        return {
            "today": fields.Date.to_string(today),
            "estates": [
                {"id": estate.id, "name": estate.name} for estate in self.env["property.estate"].search([])
            ],
            "estate_ids": estate_ids,
            "currency": {"symbol": company.currency_id.symbol, "position": company.currency_id.position},
            "collection": self._cockpit_collection(ctx),
            "arrears": self._cockpit_arrears(ctx),
            "workorders": self._cockpit_workorders(ctx),
            "teams": self._cockpit_teams(ctx),
            "heatmap": self._cockpit_heatmap(ctx),
            "energy": self._cockpit_energy(ctx),
            "satisfaction": self._cockpit_satisfaction(ctx),
            "activity": self._cockpit_activity(ctx),
            "alarms": self._cockpit_alarms(ctx),
        }

    @api.model
    def open_figure(self, figure, estate_ids=None, key=None, key2=None):
        """The list behind one figure: a window action of the addon that owns the records,
        list view first, filtered like the figure."""
        self._check_cockpit_access()
        estate_ids = self._sanitize_estate_ids(estate_ids)
        method = (
            getattr(self, f"_cockpit_action_{figure}", None) if figure in self._cockpit_figures() else None
        )
        if method is None:
            raise UserError(self.env._("Unknown cockpit figure: %s", figure))
        today = fields.Date.context_today(self)
        xmlid, domain, context, name = method(today, key, key2, estate_ids)
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        if estate_ids:
            domain = [("estate_id", "in", estate_ids), *domain]
        views = action.get("views") or []
        action.update(
            {
                "name": name,
                "display_name": name,
                "domain": domain,
                "context": context,
                "views": sorted(views, key=lambda view: view[1] != "list"),
                "target": "current",
            }
        )
        return action

    # -------------------------------------------------------------- helpers
    def _check_cockpit_access(self):
        if not self.env.user.has_group("property_base.group_property_user"):
            raise AccessError(self.env._("The operations cockpit is for property staff."))

    @api.model
    def _sanitize_estate_ids(self, estate_ids):
        if not estate_ids:
            return []
        if isinstance(estate_ids, int):
            estate_ids = [estate_ids]
        try:
            return sorted({int(estate_id) for estate_id in estate_ids})
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("Estates must be given by their ids.")) from error

    def _key_id(self, key):
        try:
            return int(key)
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("Invalid cockpit figure key: %s", key)) from error

    def _key_month(self, key):
        try:
            return fields.Date.to_date(f"{key}-01")
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("Invalid cockpit figure key: %s", key)) from error

    @api.model
    def _cockpit_figures(self):
        return (
            "collection",
            "arrears_aging",
            "arrears_estate",
            "workorders",
            "teams",
            "heatmap",
            "energy",
            "satisfaction",
            "activity",
            "iot_alarms",
            "security_alarms",
        )

    def _readable(self, model):
        return model in self.env and self.env[model].has_access("read")

    def _utc_start(self, day):
        """Midnight of ``day`` in the user's time zone, as naive UTC (for datetime fields)."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

    def _selection_labels(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    @staticmethod
    def _month_key(value):
        return value.strftime("%Y-%m") if value else False

    def _months(self, ctx):
        return [self._month_key(ctx["trend_start"] + relativedelta(months=i)) for i in range(TREND_MONTHS)]

    # ------------------------------------------------------------- sections
    def _cockpit_collection(self, ctx):
        """收缴率: collected / billed of the bills of each month's period."""
        model = "property.billing.collection.report"
        if not self._readable(model):
            return None
        groups = self.env[model]._read_group(
            ctx["domain"] + [("month", ">=", ctx["trend_start"]), ("month", "<=", ctx["today"])],
            ["month:month"],
            ["amount_billed:sum", "amount_collected:sum"],
        )
        by_month = {self._month_key(month): (billed, collected) for month, billed, collected in groups}
        trend = []
        for month in self._months(ctx):
            billed, collected = by_month.get(month, (0.0, 0.0))
            trend.append(
                {"month": month, "billed": billed, "collected": collected, "rate": percent(collected, billed)}
            )
        current, previous = trend[-1], trend[-2]
        return {
            "month": current["month"],
            "rate": current["rate"],
            "billed": current["billed"],
            "collected": current["collected"],
            "previous_rate": previous["rate"],
            "trend": trend,
        }

    def _cockpit_arrears(self, ctx):
        """Overdue receivables by aging bucket and by estate."""
        model = "property.billing.arrears.report"
        if not self._readable(model):
            return None
        Report = self.env[model]
        domain = ctx["domain"] + [("aging", "!=", "not_due")]
        labels = self._selection_labels(model, "aging")
        by_aging = {
            aging: (amount, count)
            for aging, amount, count in Report._read_group(
                domain, ["aging"], ["amount_residual:sum", "__count"]
            )
        }
        buckets = [
            {
                "key": key,
                "label": labels[key],
                "amount": by_aging.get(key, (0.0, 0))[0],
                "count": by_aging.get(key, (0.0, 0))[1],
            }
            for key in labels
            if key != "not_due"
        ]
        by_estate = [
            {"id": estate.id, "name": estate.display_name, "amount": amount, "count": count}
            for estate, amount, count in Report._read_group(
                domain, ["estate_id"], ["amount_residual:sum", "__count"], order="amount_residual:sum desc"
            )
        ]
        return {
            "total": sum(bucket["amount"] for bucket in buckets),
            "count": sum(bucket["count"] for bucket in buckets),
            "by_aging": buckets,
            "by_estate": by_estate,
        }

    def _cockpit_workorders(self, ctx):
        """Open work orders by SLA status (the status is computed: one count per status)."""
        model = "property.request"
        if not self._readable(model):
            return None
        Request = self.env[model]
        domain = ctx["domain"] + [("state", "in", OPEN_REQUEST_STATES)]
        labels = self._selection_labels(model, "sla_status")
        by_sla = [
            {
                "key": key,
                "label": labels[key],
                "count": Request.search_count(domain + [("sla_status", "=", key)]),
            }
            for key in SLA_ORDER
        ]
        return {"total": Request.search_count(domain), "by_sla": by_sla}

    def _cockpit_teams(self, ctx):
        """Timeliness by team over the last days: share of work orders with an SLA done in time."""
        model = "property.request"
        if not self._readable(model):
            return None
        Request = self.env[model]
        domain = ctx["domain"] + [
            ("done_date", ">=", self._utc_start(ctx["today"] - timedelta(days=TEAM_DAYS))),
            ("resolution_deadline", "!=", False),
            ("state", "!=", "cancelled"),
        ]
        stats = {}
        for team, is_late, count, hours in Request._read_group(
            domain, ["team_id", "is_resolved_late"], ["__count", "resolution_hours:sum"]
        ):
            row = stats.setdefault(team, {"done": 0, "late": 0, "hours": 0.0})
            row["done"] += count
            row["hours"] += hours
            if is_late:
                row["late"] += count
        teams = [
            {
                "id": team.id or False,
                "name": team.display_name if team else self.env._("No team"),
                "done": row["done"],
                "on_time": row["done"] - row["late"],
                "rate": percent(row["done"] - row["late"], row["done"]),
                "avg_hours": round(row["hours"] / row["done"], 1) if row["done"] else None,
            }
            for team, row in stats.items()
        ]
        teams.sort(key=lambda t: (-(t["rate"] or 0.0), t["avg_hours"] or 0.0, t["name"]))
        return {"days": TEAM_DAYS, "teams": teams}

    def _cockpit_heatmap(self, ctx):
        """Residents' requests and complaints by category × estate (× building for one estate)."""
        model = "property.request"
        if not self._readable(model):
            return None
        place = "building_id" if len(ctx["estate_ids"]) == 1 else "estate_id"
        groups = self.env[model]._read_group(
            ctx["domain"]
            + [
                ("request_date", ">=", self._utc_start(ctx["today"] - timedelta(days=HEATMAP_DAYS))),
                ("source", "in", RESIDENT_SOURCES),
                ("category_id", "!=", False),
                (place, "!=", False),
            ],
            ["category_id", place],
            ["__count"],
        )
        row_totals, columns, cells = {}, {}, {}
        for category, location, count in groups:
            row_totals[category] = row_totals.get(category, 0) + count
            columns[location.id] = location.display_name
            cells[f"{category.id}-{location.id}"] = count
        rows = sorted(row_totals, key=lambda c: (-row_totals[c], c.sequence, c.id))
        return {
            "days": HEATMAP_DAYS,
            "place": place,
            "rows": [{"id": c.id, "name": c.display_name, "total": row_totals[c]} for c in rows],
            "columns": [
                {"id": cid, "name": name} for cid, name in sorted(columns.items(), key=lambda x: x[1])
            ],
            "cells": cells,
            "max": max(cells.values(), default=0),
        }

    def _cockpit_energy(self, ctx):
        """Consumption of the last full month per meter type, in its own unit, with the change
        against the previous month and the same month a year before, in %."""
        model = "property.iot.energy.monthly"
        if not self._readable(model):
            return None
        month = ctx["month_start"] - relativedelta(months=1)
        labels = self._selection_labels(model, "meter_type")
        groups = self.env[model]._read_group(
            ctx["domain"] + [("month", "=", month)],
            ["meter_type"],
            ["consumption:sum", "consumption_prev_month:sum", "consumption_prev_year:sum"],
        )
        by_type = {meter_type: values for meter_type, *values in groups}
        rows = []
        for meter_type, unit in ENERGY_UNITS.items():
            current, prev_month, prev_year = by_type.get(meter_type, (0.0, 0.0, 0.0))
            rows.append(
                {
                    "key": meter_type,
                    "label": labels.get(meter_type, meter_type),
                    "unit": unit,
                    "consumption": round(current, 1),
                    "mom": change_percent(current, prev_month),
                    "yoy": change_percent(current, prev_year),
                    "has_data": meter_type in by_type,
                }
            )
        return {"month": self._month_key(month), "rows": rows}

    def _cockpit_satisfaction(self, ctx):
        """Average rating (1–5) of the work orders reported each month."""
        model = "property.request"
        if not self._readable(model):
            return None
        groups = self.env[model]._read_group(
            ctx["domain"]
            + [("rating", "!=", False), ("request_date", ">=", self._utc_start(ctx["trend_start"]))],
            ["request_date:month", "rating"],
            ["__count"],
        )
        sums = {}
        for month, rating, count in groups:
            total = sums.setdefault(self._month_key(month), [0, 0])
            total[0] += int(rating) * count
            total[1] += count
        trend = [
            {
                "month": month,
                "count": sums.get(month, [0, 0])[1],
                "average": round(sums[month][0] / sums[month][1], 2) if month in sums else None,
            }
            for month in self._months(ctx)
        ]
        points, count = sum(v[0] for v in sums.values()), sum(v[1] for v in sums.values())
        return {"average": round(points / count, 2) if count else None, "count": count, "trend": trend}

    def _cockpit_activity(self, ctx):
        """Residents' activity: requests they raised and how many residents raised one, by month."""
        model = "property.request"
        if not self._readable(model):
            return None
        groups = self.env[model]._read_group(
            ctx["domain"]
            + [
                ("source", "in", RESIDENT_SOURCES),
                ("request_date", ">=", self._utc_start(ctx["trend_start"])),
            ],
            ["request_date:month"],
            ["__count", "partner_id:count_distinct"],
        )
        by_month = {self._month_key(month): (count, residents) for month, count, residents in groups}
        trend = [
            {
                "month": month,
                "requests": by_month.get(month, (0, 0))[0],
                "residents": by_month.get(month, (0, 0))[1],
            }
            for month in self._months(ctx)
        ]
        return {"trend": trend, "requests": trend[-1]["requests"], "residents": trend[-1]["residents"]}

    def _cockpit_alarms(self, ctx):
        """Alarms not closed yet: device alarms by severity, safety alarms by type."""
        result = {}
        for key, model, field in (
            ("iot", "property.iot.alarm", "severity"),
            ("security", "property.security.alarm", "alarm_type"),
        ):
            if not self._readable(model):
                result[key] = None
                continue
            labels = self._selection_labels(model, field)
            groups = self.env[model]._read_group(
                ctx["domain"] + [("state", "in", OPEN_ALARM_STATES)], [field], ["__count"]
            )
            result[key] = {
                "total": sum(count for __, count in groups),
                "groups": [
                    {"key": value, "label": labels.get(value, value), "count": count}
                    for value, count in sorted(groups, key=lambda g: -g[1])
                ],
            }
        return result

    # ------------------------------------------------------ figure → list
    def _cockpit_action_collection(self, today, key, key2, estate_ids):
        month = self._key_month(key) if key else today.replace(day=1)
        return (
            "property_billing.property_billing_collection_report_action",
            [("month", "=", month)],
            {},
            self.env._("Collection Rate"),
        )

    def _cockpit_action_arrears_aging(self, today, key, key2, estate_ids):
        domain = [("aging", "=", key)] if key else [("aging", "!=", "not_due")]
        return (
            "property_billing.property_billing_arrears_report_action",
            domain,
            {},
            self.env._("Arrears"),
        )

    def _cockpit_action_arrears_estate(self, today, key, key2, estate_ids):
        domain = [("aging", "!=", "not_due")]
        if key:
            domain.append(("estate_id", "=", self._key_id(key)))
        return (
            "property_billing.property_billing_arrears_report_action",
            domain,
            {},
            self.env._("Arrears"),
        )

    def _cockpit_action_workorders(self, today, key, key2, estate_ids):
        domain = [("state", "in", OPEN_REQUEST_STATES)]
        context = {"search_default_filter_open": 1}
        if key in SLA_ORDER:
            domain.append(("sla_status", "=", key))
        return ("property_workorder.property_request_action", domain, context, self.env._("Open Work Orders"))

    def _cockpit_action_teams(self, today, key, key2, estate_ids):
        domain = [
            ("done_date", ">=", self._utc_start(today - timedelta(days=TEAM_DAYS))),
            ("resolution_deadline", "!=", False),
            ("state", "!=", "cancelled"),
        ]
        if key is not None:
            domain.append(("team_id", "=", self._key_id(key) or False))
        return (
            "property_workorder.property_request_action",
            domain,
            {"search_default_group_team": 1},
            self.env._("Work Orders Done"),
        )

    def _cockpit_action_heatmap(self, today, key, key2, estate_ids):
        place = "building_id" if len(estate_ids) == 1 else "estate_id"
        domain = [
            ("request_date", ">=", self._utc_start(today - timedelta(days=HEATMAP_DAYS))),
            ("source", "in", RESIDENT_SOURCES),
        ]
        if key:
            domain.append(("category_id", "=", self._key_id(key)))
        if key2:
            domain.append((place, "=", self._key_id(key2)))
        return (
            "property_workorder.property_request_action",
            domain,
            {},
            self.env._("Residents' Requests and Complaints"),
        )

    def _cockpit_action_energy(self, today, key, key2, estate_ids):
        domain = [("month", "=", today.replace(day=1) - relativedelta(months=1))]
        if key:
            domain.append(("meter_type", "=", key))
        return ("property_iot.property_iot_energy_monthly_action", domain, {}, self.env._("Energy"))

    def _cockpit_action_satisfaction(self, today, key, key2, estate_ids):
        start = today.replace(day=1) - relativedelta(months=TREND_MONTHS - 1)
        return (
            "property_workorder.property_request_action",
            [("rating", "!=", False), ("request_date", ">=", self._utc_start(start))],
            {},
            self.env._("Rated Work Orders"),
        )

    def _cockpit_action_activity(self, today, key, key2, estate_ids):
        start = today.replace(day=1) - relativedelta(months=TREND_MONTHS - 1)
        return (
            "property_workorder.property_request_action",
            [("source", "in", RESIDENT_SOURCES), ("request_date", ">=", self._utc_start(start))],
            {},
            self.env._("Residents' Requests and Complaints"),
        )

    def _cockpit_action_iot_alarms(self, today, key, key2, estate_ids):
        domain = [("state", "in", OPEN_ALARM_STATES)]
        if key:
            domain.append(("severity", "=", key))
        return ("property_iot.property_iot_alarm_action", domain, {}, self.env._("Open Device Alarms"))

    def _cockpit_action_security_alarms(self, today, key, key2, estate_ids):
        domain = [("state", "in", OPEN_ALARM_STATES)]
        if key:
            domain.append(("alarm_type", "=", key))
        return (
            "property_security.property_security_alarm_action",
            domain,
            {},
            self.env._("Open Safety Alarms"),
        )
