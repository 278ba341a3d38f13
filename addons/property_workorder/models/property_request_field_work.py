"""The technician's side of a service request: where to go (address), what he may change
(field-work fields only, the rest is the desk's and is refused on write), and the proof of
completion the company may require (after-photo, resident's signature)."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# What the desk decided and the technician must not change. Extension point:
# _get_field_work_readonly_fields().
FIELD_WORK_READONLY_FIELDS = (
    "description",
    "partner_id",
    "contact_phone",
    "contact_preference",
    "preferred_time_from",
    "preferred_time_to",
    "company_id",
    "estate_id",
    "building_id",
    "unit_id",
    "common_area",
    "category_id",
    "priority",
    "source",
    "origin",
    "request_date",
    "photo_ids",
    "dispatch_mode",
    "team_id",
    "technician_id",
    "response_deadline",
    "resolution_deadline",
    "sla_warning_date",
    "escalation_level",
    "escalation_date",
    "is_paid_service",
    "service_fee",
    "rating",
    "rating_comment",
    "followup_note",
    # set by the check-in button from the phone's position, never typed
    "checkin_date",
    "checkin_latitude",
    "checkin_longitude",
    "checkin_distance_m",
)


# property.request split by concern: one class per file on purpose (property_request.py's docstring)
class PropertyRequest(models.Model):
    _inherit = "property.request"  # pylint: disable=consider-merging-classes-inherited

    site_address = fields.Char(
        string="Address",
        compute="_compute_site_address",
        help="Estate, building and unit, or the common area.",
    )
    is_field_work_only = fields.Boolean(
        compute="_compute_is_field_work_only",
        help="The current user is a technician without desk rights: only the field-work fields "
        "(check-in, materials, photos, work report, signature) are editable.",
    )
    resident_signature = fields.Binary(
        string="Resident's Signature",
        copy=False,
        attachment=True,
        help="Signed on site when the work is done.",
    )

    @api.depends("estate_id.name", "building_id.name", "unit_id.number", "common_area")
    def _compute_site_address(self):
        for request in self:
            parts = [request.estate_id.name, request.building_id.name]
            parts.append(request.unit_id.number or request.common_area)
            request.site_address = " ".join(p for p in parts if p)

    @api.depends_context("uid")
    def _compute_is_field_work_only(self):
        self.is_field_work_only = self._is_field_work_user()

    @api.model
    def _is_field_work_user(self):
        user = self.env.user
        return user.has_group("property_base.group_property_technician") and not user.has_group(
            "property_base.group_property_front_desk"
        )

    @api.model
    def _get_field_work_readonly_fields(self):
        """Fields a technician (without desk rights) may not write."""
        return FIELD_WORK_READONLY_FIELDS

    def write(self, vals):
        if not self.env.su and self._is_field_work_user():
            refused = set(vals) & set(self._get_field_work_readonly_fields())
            if refused:
                labels = ", ".join(sorted(self._fields[f]._description_string(self.env) for f in refused))
                raise AccessError(self.env._("Technicians cannot change these fields: %s", labels))
        res = super().write(vals)
        if vals.get("state") == "done":
            # whatever the path (button or RPC), done needs the proofs the company asks for
            self._check_completion_proof()
        return res

    def _check_completion_proof(self):
        """The proofs the company requires before a request is marked done."""
        for request in self:
            company = request.company_id
            missing = []
            if company.property_request_require_after_photo and not request.after_photo_ids:
                missing.append(self.env._("a photo after the work"))
            if company.property_request_require_signature and not request.resident_signature:
                missing.append(self.env._("the resident's signature"))
            if missing:
                raise UserError(
                    self.env._(
                        "Request %(name)s cannot be marked done without %(missing)s.",
                        name=request.name,
                        missing=self.env._(" and ").join(missing),
                    )
                )
