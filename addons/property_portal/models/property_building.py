import base64

from odoo import models
from odoo.tools.image import image_data_uri


class PropertyBuilding(models.Model):
    _inherit = "property.building"

    def _portal_binding_url(self):
        """The absolute link of the binding page with this building filled in (posters, SMS)."""
        self.ensure_one()
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        return f"{base_url}/bind?building={self.id}"

    def _portal_binding_qr(self, size=600):
        """The QR code of the binding link, as a PNG data URI (embedded: the PDF engine fetches
        nothing over HTTP)."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "QR", self._portal_binding_url(), width=size, height=size, barLevel="M"
        )
        return image_data_uri(base64.b64encode(png))

    def _portal_poster_lang(self):
        """The language of the lobby poster: Chinese when installed, else the user's."""
        zh_cn = self.env["res.lang"]._lang_get("zh_CN")
        return "zh_CN" if zh_cn and zh_cn.active else self.env.lang or "en_US"
