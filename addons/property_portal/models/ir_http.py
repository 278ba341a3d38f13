from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _register_website_track(cls, response):
        """Residents' pages are private: no website-visitor page tracking (which would also read
        the page's whole view record on every request to learn that tracking is off)."""
        qcontext = getattr(response, "qcontext", None)
        if qcontext and qcontext.get("property_portal_head_key"):
            return False
        return super()._register_website_track(response)
