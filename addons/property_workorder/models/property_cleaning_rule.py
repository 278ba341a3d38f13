from odoo import fields, models

CLEANING_METRICS = [
    ("request_volume", "Cleaning Requests (last 30 days)"),
    ("foot_traffic", "Foot Traffic (people per day)"),
]


class PropertyCleaningRule(models.Model):
    """An explicit rule from observed load to cleaning frequency.

    For a cleaning route, each metric is measured (cleaning requests raised in the route's
    area over the last 30 days; the foot traffic entered on the route). Among the active
    rules, the one with the highest threshold that the measured value reaches wins, over both
    metrics; the route then runs every ``interval_days`` days. The cleanest interval (the
    smallest) wins when both metrics match a rule."""

    _name = "property.cleaning.rule"
    _description = "Cleaning Frequency Rule"
    _order = "metric, threshold desc, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    metric = fields.Selection(CLEANING_METRICS, required=True, default="request_volume")
    threshold = fields.Float(required=True, help="The rule applies when the measured value is at least this.")
    interval_days = fields.Integer(string="Clean Every (days)", required=True, default=1)
    company_id = fields.Many2one("res.company", index=True, help="Empty: all companies.")

    _sql_constraints = [
        (
            "interval_positive",
            "CHECK(interval_days >= 1)",
            "Clean at most once a day: interval of at least 1 day.",
        ),
        ("threshold_positive", "CHECK(threshold >= 0)", "The threshold cannot be negative."),
    ]

    def _pick_interval(self, values):
        """``values``: {metric: measured}. The interval of the best matching rule, or None."""
        intervals = []
        for metric, measured in values.items():
            rules = self.filtered(lambda r, m=metric, v=measured: r.metric == m and r.threshold <= v)
            if rules:
                intervals.append(max(rules, key=lambda r: r.threshold).interval_days)
        return min(intervals) if intervals else None
