"""Follow-up of service requests: a low rating (LOW_RATING or less) opens a complaint request
linked to the rated one."""

from odoo import fields, models

LOW_RATING = 2


# property.request split by concern: one class per file on purpose (property_request.py's docstring)
class PropertyRequest(models.Model):
    _inherit = "property.request"  # pylint: disable=consider-merging-classes-inherited

    parent_id = fields.Many2one(
        "property.request",
        string="Origin Request",
        index=True,
        help="The request a complaint was raised about.",
    )
    complaint_id = fields.Many2one("property.request", string="Complaint Request", readonly=True, copy=False)

    def write(self, vals):
        res = super().write(vals)
        if vals.get("rating"):
            self._open_complaint_for_low_rating()
        return res

    def _open_complaint_for_low_rating(self):
        low = self.filtered(lambda r: r.rating and int(r.rating) <= LOW_RATING and not r.complaint_id)
        if not low:
            return
        category = self.env["property.request.category"].sudo().search([("is_complaint", "=", True)], limit=1)
        vals_list = [
            {
                "description": self.env._(
                    "Low rating (%(rating)s/5) on %(name)s: %(comment)s",
                    rating=request.rating,
                    name=request.name,
                    comment=request.rating_comment or "",
                ),
                "estate_id": request.estate_id.id,
                "building_id": request.building_id.id,
                "unit_id": request.unit_id.id,
                "common_area": request.common_area,
                "partner_id": request.partner_id.id,
                "category_id": category.id,
                "priority": "2",
                "parent_id": request.id,
                "origin": request.name,
                "company_id": request.company_id.id,
                "team_id": request.team_id.id,
            }
            for request in low
        ]
        complaints = (
            self.sudo()
            .with_context(property_request_no_confirm=True)
            ._create_from_source("complaint", vals_list)
        )
        for request, complaint in zip(low, complaints, strict=True):
            request.sudo().complaint_id = complaint
            request.sudo().message_post(body=self.env._("Low rating: complaint %s opened.", complaint.name))
