"""Classification of service requests: category and priority suggested from the text by
the classifier (property.request.classifier), 'needs triage' when it is not confident, and
staff confirmation, which feeds the next training."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .property_request_sla import REQUEST_PRIORITIES


# property.request split by concern: one class per file on purpose (property_request.py's docstring)
class PropertyRequest(models.Model):
    _inherit = "property.request"  # pylint: disable=consider-merging-classes-inherited

    suggested_category_id = fields.Many2one("property.request.category", readonly=True, copy=False)
    suggested_priority = fields.Selection(REQUEST_PRIORITIES, readonly=True, copy=False)
    suggestion_confidence = fields.Float(readonly=True, copy=False, digits=(3, 2))
    needs_triage = fields.Boolean(
        copy=False,
        index=True,
        tracking=True,
        help="The classifier was not confident enough: a person must confirm the category.",
    )
    is_category_confirmed = fields.Boolean(
        copy=False, help="A staff member set or confirmed the category: the request feeds the next training."
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._classify_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if "category_id" in vals and not self.env.context.get("property_request_no_confirm"):
            vals = dict(vals, is_category_confirmed=True, needs_triage=False)
        return super().write(vals)

    @api.model
    def _classify_vals(self, vals_list):
        """Suggest a category and priority for new requests from their text. Confident
        suggestions are applied when the creator gave no category; others raise 'needs triage'."""
        todo = [v for v in vals_list if v.get("description")]
        if not todo:
            return
        predictions = self.env["property.request.classifier"]._predict([v["description"] for v in todo])
        if predictions is None:
            for vals in todo:
                if not vals.get("category_id"):
                    vals["needs_triage"] = True
            return
        threshold = self.env["property.request.classifier"]._get_confidence_threshold()
        codes = {p[0] for p in predictions}
        categories = {
            c.code: c
            for c in self.env["property.request.category"].sudo().search([("code", "in", list(codes))])
        }
        for vals, (code, confidence, priority, _priority_confidence) in zip(todo, predictions, strict=True):
            category = categories.get(code)
            vals["suggested_category_id"] = category.id if category else False
            vals["suggested_priority"] = priority
            vals["suggestion_confidence"] = confidence
            if vals.get("category_id"):
                vals.setdefault("is_category_confirmed", True)
                continue
            if category and confidence >= threshold:
                vals["category_id"] = category.id
                if "priority" not in vals:
                    vals["priority"] = priority
            else:
                vals["needs_triage"] = True

    def action_confirm_suggestion(self):
        """Triage: accept the suggested category (staff confirmation feeds the next training)."""
        for request in self:
            if not request.suggested_category_id:
                raise UserError(self.env._("Request %s has no suggestion to confirm.", request.name))
            request.write(
                {
                    "category_id": (request.category_id or request.suggested_category_id).id,
                    "is_category_confirmed": True,
                    "needs_triage": False,
                }
            )
        return True
