from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_data(self, template_code, company, template_data):
        """Demo data: once the demo company has its chart of accounts (Odoo loads it after every
        module is installed, as account's demo entries), the demo resident's building gets posted
        bills to pay. Only where property_portal was installed with its demo data."""
        res = super()._post_load_data(template_code, company, template_data)
        module = self.env.ref("base.module_property_portal", raise_if_not_found=False)
        if module and module.demo and company == self.env.ref("base.main_company"):
            self.env["property.billing.run"].sudo()._load_portal_demo_bills()
        return res
