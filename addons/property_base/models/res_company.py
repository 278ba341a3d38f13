from odoo import api, models
from odoo.tools.misc import get_lang


class ResCompany(models.Model):
    _inherit = "res.company"

    def _property_lang(self):
        """The language of the text that background work writes for this company (crons, the
        IoT bridge, queue jobs): its partner's language when it is active, else the language
        of the current environment. Write such text with
        ``self.with_context(lang=company._property_lang()).env._(...)``."""
        company = self[:1] or self.env.company
        lang = company.partner_id.lang
        if lang and self.env["res.lang"]._lang_get(lang):
            return lang
        return get_lang(self.env).code

    @api.model
    def _property_set_demo_locale(self, lang="zh_CN", tz="Asia/Shanghai"):
        """Demo: the company and its staff work in China's time, and in Chinese when the
        language is loaded (``make run`` loads it; a test database keeps English)."""
        company = self.env.ref("base.main_company")
        users = self.env["res.users"].search([("company_id", "=", company.id), ("share", "=", False)]) | (
            self.env["res.users"].search([("login", "=", "resident")])
        )
        partners = company.partner_id | users.partner_id
        partners.write({"tz": tz})
        if self.env["res.lang"]._lang_get(lang):
            partners.write({"lang": lang})
            self._property_load_demo_terms(["property_base"])

    @api.model
    def _property_load_demo_terms(self, modules):
        """Demo: Odoo loads a module's terms after its demo data, so the demo records would
        name their models in English in their chatter ("Building 创建"). A demo file calls
        this first, for its module."""
        lang = self.env.ref("base.main_company")._property_lang()
        if lang != "en_US":
            self.env["ir.module.module"]._load_module_terms(modules, [lang])
