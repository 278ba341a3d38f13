from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.osv import expression


class PortalResident:
    """``resident`` in record rules: what the current user reaches as a resident, from their
    occupancies (``property.occupancy._portal_access_data``). Computed on first use only, so
    rules of staff users do not pay for it."""

    def __init__(self, env):
        self._env = env
        self._data = None

    def _get(self):
        if self._data is None:
            self._data = self._env["property.occupancy"]._portal_access(self._env.user.partner_id)
        return self._data

    @property
    def unit_ids(self):
        return list(self._get()["unit_ids"])

    @property
    def home_unit_ids(self):
        return list(self._get()["home_unit_ids"])

    @property
    def occupancy_ids(self):
        return list(self._get()["occupancy_ids"])

    @property
    def partner_ids(self):
        return list(self._get()["partner_ids"])

    @property
    def estate_ids(self):
        return list(self._get()["estate_ids"])

    @property
    def building_ids(self):
        return list(self._get()["building_ids"])

    def lived_domain(self, unit_field, datetime_field):
        """Records of a unit dated while the user lived in it (``datetime_field`` in UTC)."""
        domains = []
        for unit_id, start, end in self._get()["windows"]:
            domain = [(unit_field, "=", unit_id), (datetime_field, ">=", datetime.combine(start, time.min))]
            if end:
                domain.append((datetime_field, "<", datetime.combine(end + timedelta(days=1), time.min)))
            domains.append(domain)
        return expression.OR(domains) if domains else list(expression.FALSE_DOMAIN)


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        context = super()._eval_context()
        context["resident"] = PortalResident(self.env(su=True))
        return context

    def _compute_domain_context_values(self):
        # residents' rules depend on the day (occupancies start and end): one cache entry a day
        yield from super()._compute_domain_context_values()
        yield fields.Date.context_today(self)
