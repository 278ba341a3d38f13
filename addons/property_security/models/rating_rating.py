from odoo import models


class RatingRating(models.Model):
    """Ratings of property records (work orders, requests…) feed the public-opinion watch."""

    _name = "rating.rating"
    _inherit = ["rating.rating", "property.security.watch.mixin"]
    _security_watch_fields = ["feedback"]

    def _security_watch_should_scan(self):
        return bool(self.res_model and self.res_model.startswith("property.") and self.res_id)

    def _security_watch_source(self):
        return self.res_model, self.res_id
