from odoo import api, fields, models
from odoo.osv import expression


class SurveySurvey(models.Model):
    """Odoo's surveys, targeted at residents: an estate (or some of its buildings). Residents
    answer once (an invitation per resident, one attempt); results and trends are survey's."""

    _inherit = "survey.survey"

    is_property_survey = fields.Boolean(
        string="Residents' Survey", help="Offered to the residents of the targeted estates on the portal."
    )
    property_estate_ids = fields.Many2many("property.estate", string="Target Estates")
    property_building_ids = fields.Many2many(
        "property.building",
        string="Target Buildings",
        help="Leave empty to reach every building of the target estates.",
    )

    @api.onchange("is_property_survey")
    def _onchange_is_property_survey(self):
        if self.is_property_survey:
            self.access_mode = "token"
            self.users_login_required = True
            self.is_attempts_limited = True
            self.attempts_limit = 1

    @api.model
    def _portal_domain(self, partner, units):
        return expression.AND(
            [
                [("is_property_survey", "=", True), ("active", "=", True)],
                [("property_estate_ids", "in", units.estate_id.ids)],
                expression.OR(
                    [
                        [("property_building_ids", "=", False)],
                        [("property_building_ids", "in", units.building_id.ids)],
                    ]
                ),
            ]
        )

    def _portal_get_answer(self, partner, user):
        """The resident's answer (an invitation): the existing one, or a new one. Creating a
        second one is refused by survey when the attempt is used (answer once)."""
        self.ensure_one()
        Answer = self.env["survey.user_input"].sudo()
        existing = Answer.search(
            [("survey_id", "=", self.id), ("partner_id", "=", partner.id), ("test_entry", "=", False)],
            order="id desc",
            limit=1,
        )
        if existing:
            return existing
        return self.sudo()._create_answer(user=user, partner=partner, check_attempts=True)
