import hashlib

from odoo import api, fields, models
from odoo.tools import html2plaintext

EXCERPT_LENGTH = 300


class PropertySecurityWatchKeyword(models.Model):
    _name = "property.security.watch.keyword"
    _description = "Public-Opinion Watch Keyword"
    _order = "name"

    name = fields.Char(string="Keyword", required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: every company.")

    _sql_constraints = [("name_company_uniq", "unique(name, company_id)", "This keyword is already watched.")]


class PropertySecurityWatchHit(models.Model):
    """A text (feedback, request, rating, message) that contains watch keywords."""

    _name = "property.security.watch.hit"
    _description = "Public-Opinion Watch Hit"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, readonly=True)
    keyword_ids = fields.Many2many("property.security.watch.keyword", string="Keywords", readonly=True)
    keywords = fields.Char(string="Matched Keywords", readonly=True)
    excerpt = fields.Text(readonly=True)
    source_model = fields.Char(readonly=True, index=True)
    source_id = fields.Many2oneReference(string="Source Record ID", model_field="source_model", readonly=True)
    source_name = fields.Char(string="Source", readonly=True)
    text_hash = fields.Char(readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Author", readonly=True, index=True)
    estate_id = fields.Many2one("property.estate", readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("new", "New"), ("handling", "Handling"), ("closed", "Closed")],
        required=True,
        default="new",
        tracking=True,
    )
    user_id = fields.Many2one("res.users", string="Handled By", tracking=True)
    hit_count = fields.Integer(default=1, readonly=True)

    @api.depends("keywords", "source_name")
    def _compute_display_name(self):
        for hit in self:
            hit.display_name = f"{hit.keywords or ''} · {hit.source_name or ''}"

    @api.model
    def _match_keywords(self, text, company=None):
        if not text:
            return self.env["property.security.watch.keyword"]
        lowered = text.lower()
        keywords = (
            self.env["property.security.watch.keyword"]
            .sudo()
            .search(["|", ("company_id", "=", False), ("company_id", "=", (company or self.env.company).id)])
        )
        return keywords.filtered(lambda k: k.name and k.name.lower() in lowered)

    @api.model
    def _scan_text(self, text, source_model=None, source_id=None, partner=None):
        """Scan ``text`` for the watch keywords; a hit is recorded once per source and text.
        Other addons call this for feedback, request descriptions and ratings. Returns the hit."""
        source = None
        if source_model and source_id and source_model in self.env:
            source = self.env[source_model].sudo().browse(source_id).exists()
        company = (
            source.company_id
            if source is not None and "company_id" in source._fields and source.company_id
            else self.env.company
        )
        keywords = self._match_keywords(text, company)
        if not keywords:
            return self.browse()
        digest = hashlib.sha1(text.encode()).hexdigest()
        domain = [
            ("source_model", "=", source_model or False),
            ("source_id", "=", source_id or 0),
            ("text_hash", "=", digest),
        ]
        existing = self.sudo().search(domain, limit=1)
        if existing:
            return existing
        estate = source.estate_id if source is not None and "estate_id" in source._fields else False
        if source is not None and source._name == "property.estate":
            estate = source
        return self.sudo().create(
            {
                "keyword_ids": [fields.Command.set(keywords.ids)],
                "keywords": "、".join(keywords.mapped("name")),
                "excerpt": text[:EXCERPT_LENGTH],
                "source_model": source_model or False,
                "source_id": source_id or 0,
                "source_name": source.display_name if source else False,
                "text_hash": digest,
                "partner_id": partner.id if partner else False,
                "estate_id": estate.id if estate else False,
                "company_id": company.id,
            }
        )

    def action_open_source(self):
        self.ensure_one()
        if not self.source_model or not self.source_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.source_model,
            "res_id": self.source_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_handle(self):
        self.write({"state": "handling", "user_id": self.env.uid})
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True


class PropertySecurityWatchMixin(models.AbstractModel):
    """Inherit it and list the text fields to watch in ``_security_watch_fields``: created and
    changed texts are scanned (feedback, request descriptions, rating comments…)."""

    _name = "property.security.watch.mixin"
    _description = "Public-Opinion Watch Mixin"
    _security_watch_fields = []

    def _security_watch_partner(self):
        return self["partner_id"] if "partner_id" in self._fields else False

    def _security_watch_source(self):
        """The (model, id) a hit points to: the record itself by default."""
        self.ensure_one()
        return self._name, self.id

    def _security_watch_should_scan(self):
        return True

    def _security_watch_scan(self, fnames=None):
        Hit = self.env["property.security.watch.hit"].sudo()
        for record in self.filtered(lambda r: r._security_watch_should_scan()):
            source_model, source_id = record._security_watch_source()
            for fname in fnames or self._security_watch_fields:
                value = record[fname]
                if value and isinstance(value, str):
                    text = value
                    if self._fields[fname].type == "html":
                        text = html2plaintext(value)
                    Hit._scan_text(text, source_model, source_id, record._security_watch_partner())

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._security_watch_scan()
        return records

    def write(self, vals):
        res = super().write(vals)
        watched = [f for f in self._security_watch_fields if f in vals]
        if watched:
            self._security_watch_scan(watched)
        return res
