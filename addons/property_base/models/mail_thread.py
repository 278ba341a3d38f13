from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _creation_message(self):
        """ "<Document> created" in one language. Without a language in the context (a cron, a
        job, the IoT bridge, demo data), Odoo's ``_()`` guesses the user's language while the
        document's name is read in English ("Building 创建"): both follow the company's."""
        if self.env.context.get("lang"):
            return super()._creation_message()
        company = self.env.company
        if "company_id" in self._fields and self._fields["company_id"].comodel_name == "res.company":
            company = self.company_id or company
        return super(MailThread, self.with_context(lang=company._property_lang()))._creation_message()
