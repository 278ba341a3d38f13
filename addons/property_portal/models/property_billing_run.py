from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class PropertyBillingRun(models.Model):
    _inherit = "property.billing.run"

    @api.model
    def _load_portal_demo_bills(self, months=2):
        """Demo data: bill the demo resident's building for the ``months`` previous months, so
        that the resident has posted bills to pay. Guarded: does nothing without the demo
        resident's home, or when that building already has bills for those months."""
        unit = self.env.ref("property_base.unit_resident_demo", raise_if_not_found=False)
        if not unit or not unit.company_id.chart_template:
            return False  # no books yet: called again once the chart of accounts is loaded
        this_month = fields.Date.context_today(self).replace(day=1)
        for back in range(months, 0, -1):
            date_from = this_month - relativedelta(months=back)
            if self.search_count([("estate_id", "=", unit.estate_id.id), ("date_from", "=", date_from)]):
                continue
            run = self.create(
                {
                    "estate_id": unit.estate_id.id,
                    "building_ids": [fields.Command.set(unit.building_id.ids)],
                    "date_from": date_from,
                    "date_due": date_from + relativedelta(months=1, days=-1),
                }
            )
            run._run_now()
        return True
