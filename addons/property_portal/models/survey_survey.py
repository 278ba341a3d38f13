from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.osv import expression

# the demo's history: a satisfaction survey a quarter, answered by part of the residents
DEMO_SURVEY_ANSWERS = 30
DEMO_SURVEY_QUESTIONS = [
    (
        "您对物业服务的总体满意度？",
        [("非常满意", 5), ("满意", 4), ("一般", 3), ("不满意", 2), ("很不满意", 1)],
    ),
    ("报修处理是否及时？", [("很及时", 5), ("比较及时", 4), ("一般", 3), ("不及时", 1)]),
    ("小区环境卫生如何？", [("很好", 5), ("较好", 4), ("一般", 3), ("较差", 2)]),
]
# how residents answer: mostly satisfied (weights of the choices, best first)
DEMO_SURVEY_WEIGHTS = [35, 40, 15, 7, 3]


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

    # ------------------------------------------------------------------
    # Demo history
    # ------------------------------------------------------------------
    @api.model
    def _property_demo_history(self, months, today, rng):
        """A residents' satisfaction survey each quarter of ``months``, answered by some of the
        current residents in the quarter's months; the past quarters' surveys are archived."""
        occupancies = self.env["property.occupancy"].search([("state", "=", "current")])
        partners = occupancies.partner_id
        if not partners:
            return self.browse()
        quarters = {}
        for month in months:
            quarters.setdefault((month.year, (month.month - 1) // 3 + 1), []).append(month)
        surveys = self.browse()
        now = fields.Datetime.now()
        Line = self.env["survey.user_input.line"]
        for (year, quarter), quarter_months in sorted(quarters.items()):
            survey = self.create(
                {
                    "title": f"{year}年第{quarter}季度物业服务满意度调查",
                    "is_property_survey": True,
                    "property_estate_ids": [Command.set(occupancies.estate_id.ids)],
                    "access_mode": "token",
                    "users_login_required": True,
                    "is_attempts_limited": True,
                    "attempts_limit": 1,
                    "question_and_page_ids": [
                        Command.create(
                            {
                                "title": title,
                                "question_type": "simple_choice",
                                "sequence": sequence,
                                "suggested_answer_ids": [
                                    Command.create({"value": value, "answer_score": score, "sequence": index})
                                    for index, (value, score) in enumerate(choices)
                                ],
                            }
                        )
                        for sequence, (title, choices) in enumerate(DEMO_SURVEY_QUESTIONS)
                    ],
                }
            )
            surveys |= survey
            pool = partners
            if quarter_months[-1] == months[-1]:
                # the demo resident (login ``resident``) still has this quarter's survey to answer
                resident = self.env.ref("property_base.user_resident_demo", raise_if_not_found=False)
                pool -= resident.partner_id if resident else pool.browse()
            respondents = rng.sample(list(pool), min(DEMO_SURVEY_ANSWERS, len(pool)))
            answers = self.env["survey.user_input"]
            for partner in respondents:
                answers |= survey._create_answer(partner=partner, check_attempts=False)
            line_vals = []
            for answer in answers:
                for question in survey.question_ids:
                    choices = question.suggested_answer_ids.sorted("sequence")
                    choice = rng.choices(list(choices), weights=DEMO_SURVEY_WEIGHTS[: len(choices)])[0]
                    line_vals.append(answer._get_line_answer_values(question, choice.id, "suggestion"))
            Line.create(line_vals)
            answers._mark_done()
            last_day = quarter_months[-1] + relativedelta(months=1, days=-1)
            if quarter_months[-1] == months[-1]:
                last_day = max(today - timedelta(days=1), quarter_months[0])
            span = (last_day - quarter_months[0]).days + 1
            for answer in answers:
                started = datetime.combine(
                    quarter_months[0] + timedelta(days=rng.randrange(span)), time(rng.randrange(1, 14))
                )
                answer.write(
                    {
                        "start_datetime": min(started, now),
                        "end_datetime": min(started + timedelta(minutes=rng.randrange(2, 15)), now),
                    }
                )
        # residents answer the current quarter's survey on the portal; the past ones are results
        surveys[:-1].action_archive()
        return surveys
