from odoo import api, models, tools


class PropertyOccupancy(models.Model):
    _inherit = "property.occupancy"

    @api.model
    @tools.ormcache("partner_id", "day")
    def _portal_household_ids(self, partner_id, day):
        """``(unit ids, partner ids)`` of the household of ``partner_id`` on ``day``: the units where
        the partner has an occupancy on that day, and everybody who lives in them that day.

        Every portal page and API call starts from this, so it is cached; any change to an
        occupancy clears the cache (in every worker, through the registry's signalling).
        """
        occupancies = self.sudo()
        current = occupancies._get_current_domain(day)
        own = occupancies.search_fetch([("partner_id", "=", partner_id)] + current, ["unit_id"])
        unit_ids = tuple(sorted(set(own.unit_id.ids)))
        members = occupancies.search_fetch([("unit_id", "in", unit_ids)] + current, ["partner_id"])
        partner_ids = tuple(sorted(set(members.partner_id.ids) | {partner_id}))
        return unit_ids, partner_ids

    # Clear the cache on the low-level writes: every way of changing occupancies goes through
    # them, including modules that wrap create/write/unlink (OCA auditlog patches those).
    def _create(self, data_list):
        records = super()._create(data_list)
        self.env.registry.clear_cache()
        return records

    def _write_multi(self, vals_list):
        # cleared before the write: nothing in this transaction reads the household in between
        self.env.registry.clear_cache()
        return super()._write_multi(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_clear_household_cache(self):
        self.env.registry.clear_cache()
