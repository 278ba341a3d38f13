"""The demo's history of surveys and feedback (property_cockpit's generator calls it)."""

import random
from datetime import date

from odoo.tests import freeze_time, tagged

from odoo.addons.property_base.tests.common import PropertyTestCommon


@tagged("post_install", "-at_install")
class TestDemoHistorySurveys(PropertyTestCommon):
    @freeze_time("2026-05-20 10:00:00")
    def test_feedback_and_surveys_spread_over_the_months(self):
        months = [date(2026, m, 1) for m in (2, 3, 4, 5)]
        today = date(2026, 5, 20)
        feedback = self.env["property.feedback"]._property_demo_history(months, today, random.Random(1))
        self.assertEqual(len(feedback), 6 * len(months))
        self.assertEqual(
            {(f.create_date.year, f.create_date.month) for f in feedback},
            {(2026, m) for m in (2, 3, 4, 5)},
            "dated over the months, not all today",
        )
        self.assertTrue(all(f.create_date.date() < today for f in feedback))
        replied = feedback.filtered("reply")
        self.assertTrue(replied and all(f.state in ("replied", "closed") and f.reply_date for f in replied))
        self.assertTrue(all(f.estate_id == f.unit_id.estate_id for f in feedback))
        self.assertEqual(set(feedback.mapped("kind")), {"suggestion", "complaint", "praise"})

        surveys = self.env["survey.survey"]._property_demo_history(months, today, random.Random(1))
        self.assertEqual(
            surveys.mapped("title"), ["2026年第1季度物业服务满意度调查", "2026年第2季度物业服务满意度调查"]
        )
        self.assertEqual(surveys.mapped("active"), [False, True], "the current quarter's survey stays open")
        self.assertTrue(all(s.is_property_survey for s in surveys))
        for survey, (first, last) in zip(
            surveys,
            ((date(2026, 2, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 5, 19))),
            strict=True,
        ):
            answers = survey.user_input_ids
            self.assertTrue(answers)
            self.assertEqual(set(answers.mapped("state")), {"done"})
            self.assertTrue(all(first <= a.end_datetime.date() <= last for a in answers), survey.title)
            self.assertEqual(len(answers.user_input_line_ids), 3 * len(answers), "every question answered")
            self.assertTrue(all(line.suggested_answer_id for line in answers.user_input_line_ids))
