"""Automatic dispatch of service requests: each new request goes to the best technician by
skill, shift and presence (hr_attendance), workload and estate or distance, with the choice
written out on the order. The only part of the request that reads hr_attendance: it can move to
an addon of its own. Manual dispatch and the grab pool are transitions of the state machine
(property_request.py)."""

from collections import defaultdict
from datetime import timedelta

from pytz import utc

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.geo import distance_m
from .property_request import OPEN_STATES

# Dispatch weights (points). The explanation stored on each order shows the same numbers.
SCORE_SKILL = 40.0
SCORE_SHIFT_AND_PRESENT = 30.0
SCORE_SHIFT_ONLY = 15.0
SCORE_PRESENT_ONLY = 10.0
SCORE_WORKLOAD = 20.0
WORKLOAD_CAP = 5
SCORE_LOCATION = 10.0
DISTANCE_ZERO_M = 10000.0
# requests nobody at the desk looks at before they are dispatched: on creation, automatically,
# when the classifier is confident and a team covers the category (res.company and
# property.estate may turn it off)
AUTO_DISPATCH_SOURCES = ("portal", "phone", "iot")


# property.request split by concern: one class per file on purpose (property_request.py's docstring)
class PropertyRequest(models.Model):
    _inherit = "property.request"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        new = requests.filtered(lambda r: r.state == "new" and r.dispatch_mode != "grab")
        explicit = new.filtered(lambda r: r.dispatch_mode == "auto" and r.category_id and not r.needs_triage)
        if explicit:
            explicit._dispatch_auto()
        (new - explicit).filtered(lambda r: r._is_auto_dispatched())._dispatch_on_create()
        return requests

    def _is_auto_dispatched(self):
        """Whether this new request is dispatched on creation: it comes from the portal, a phone
        call or a device (or was asked for automatic dispatch), nobody chose its technician, and
        its company and estate allow it."""
        self.ensure_one()
        return (
            not self.technician_id  # the creator's own choice stands
            and (self.source in AUTO_DISPATCH_SOURCES or self.dispatch_mode == "auto")
            and self.company_id.property_auto_dispatch
            and (not self.estate_id or self.estate_id.is_auto_dispatch)
        )

    def _dispatch_on_create(self):
        """Dispatch new requests to a technician of a team that covers their category and
        estate, chosen by the same score as any automatic dispatch. A request the classifier was
        not sure about, or that no team covers, goes to triage (待分诊): never to whoever
        happens to score best."""
        if not self:
            return {}
        triage = self.filtered(lambda r: r.needs_triage or not r.category_id or not r.estate_id)
        todo = self - triage
        choices = {}
        if todo:
            context = todo._prepare_dispatch_context(todo.company_id)
            choices = todo._choose_technicians(context, covering_only=True)
            for request, (employee, explanation) in choices.items():
                request._set_assigned(employee, "auto", explanation)
        uncovered = todo - todo.browse([r.id for r in choices])
        if uncovered:
            uncovered.write({"needs_triage": True})
        for request in triage:
            request.message_post(
                body=self.env._("The category is not certain: the request waits for triage before dispatch.")
            )
        for request in uncovered:
            request.message_post(
                body=self.env._(
                    "No service team covers %(category)s in %(estate)s: the request waits for triage.",
                    category=request.category_id.name,
                    estate=request.estate_id.name,
                )
            )
        return choices

    @api.model
    def _get_workloads(self, employees):
        return {
            employee.id: count
            for employee, count in self.sudo()._read_group(
                [("technician_id", "in", employees.ids), ("state", "in", OPEN_STATES)],
                ["technician_id"],
                ["__count"],
            )
        }

    @api.model
    def _get_dispatch_candidates(self, companies):
        return (
            self.env["hr.employee"]
            .sudo()
            .search([("is_property_technician", "=", True), ("company_id", "in", companies.ids)])
        )

    @api.model
    def _prepare_dispatch_context(self, companies, now=None):
        """Everything dispatch needs about the technicians, read in a few batched queries:
        skills and estates (prefetched), shifts (one work-interval computation per calendar),
        presence and last position (one query on hr_attendance), workloads (one _read_group)."""
        now = now or fields.Datetime.now()
        employees = self._get_dispatch_candidates(companies)
        employees.fetch(
            [
                "property_category_ids",
                "property_estate_ids",
                "resource_id",
                "resource_calendar_id",
                "property_team_id",
                "company_id",
                "name",
            ]
        )
        employees.property_team_id.fetch(["category_ids", "estate_id", "active"])
        on_shift = set()
        by_calendar = defaultdict(lambda: self.env["hr.employee"])
        for employee in employees:
            calendar = employee._get_property_calendar()
            if calendar:
                by_calendar[calendar] |= employee
        now_utc = utc.localize(now)
        for calendar, members in by_calendar.items():
            intervals = calendar._work_intervals_batch(
                now_utc - timedelta(minutes=1), now_utc + timedelta(minutes=1), resources=members.resource_id
            )
            for employee in members:
                if any(s <= now_utc < e for s, e, _meta in intervals.get(employee.resource_id.id, [])):
                    on_shift.add(employee.id)
        # Latest attendance per employee in one query: the ORM would need one per employee.
        presence = {}
        if employees:
            self.env["hr.attendance"].flush_model(
                ["employee_id", "check_in", "check_out", "in_latitude", "in_longitude"]
            )
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (employee_id) employee_id, check_out IS NULL, in_latitude, in_longitude
                      FROM hr_attendance
                     WHERE employee_id = ANY(%s) AND check_in <= %s
                  ORDER BY employee_id, check_in DESC
                    """,
                    employees.ids,
                    now,
                )
            )
            presence = {row[0]: (row[1], row[2], row[3]) for row in self.env.cr.fetchall()}
        technicians = []
        for employee in employees:
            present, lat, lon = presence.get(employee.id, (False, 0.0, 0.0))
            team = employee.property_team_id
            technicians.append(
                {
                    "employee": employee,
                    "id": employee.id,
                    "name": employee.name,
                    "company_id": employee.company_id.id,
                    "skills": set(employee.property_category_ids.ids),
                    "estates": set(employee.property_estate_ids.ids),
                    # what their team covers: its categories, in its estate (or the technician's)
                    "team_categories": set(team.category_ids.ids) if team.active else set(),
                    "team_estate": team.estate_id.id,
                    "on_shift": employee.id in on_shift,
                    "present": bool(present),
                    "position": (lat, lon) if (lat or lon) else None,
                }
            )
        return {"technicians": technicians, "workloads": self._get_workloads(employees), "now": now}

    @staticmethod
    def _score_technician(tech, load, category_id, estate_id, estate_position):
        """The dispatch score of one technician (an item of the dispatch context) for one
        request: ``(total, points)``, points being ``(skill, shift, workload, location,
        distance in metres or None)``. The only scoring function: the choice compares the
        totals and the explanation writes out the points of the same call. Plain Python values
        only: this is the hot loop of a batch."""
        if not category_id:
            skill = SCORE_SKILL / 2
        elif category_id in tech["skills"]:
            skill = SCORE_SKILL
        else:
            skill = 0.0
        if tech["on_shift"]:
            shift = SCORE_SHIFT_AND_PRESENT if tech["present"] else SCORE_SHIFT_ONLY
        else:
            shift = SCORE_PRESENT_ONLY if tech["present"] else 0.0
        workload = round(SCORE_WORKLOAD * max(0.0, 1.0 - load / WORKLOAD_CAP), 1)
        distance = None
        if estate_id and estate_id in tech["estates"]:
            location = SCORE_LOCATION
        elif estate_position and tech["position"]:
            distance = distance_m(tech["position"][0], tech["position"][1], *estate_position)
            location = round(SCORE_LOCATION * max(0.0, 1.0 - distance / DISTANCE_ZERO_M), 1)
        else:
            location = 0.0
        return skill + shift + workload + location, (skill, shift, workload, location, distance)

    def _explain_score(self, tech, load, points):
        """The explanation of ``points`` (from _score_technician) for this request, one part
        per criterion. Only words are added here: every number is one of ``points``."""
        self.ensure_one()
        skill, shift, workload, location, distance = points
        category = self.category_id
        if not category:
            parts = [self.env._("skill %(points)s (no category)", points=skill)]
        elif category.id in tech["skills"]:
            parts = [self.env._("skill %(points)s (%(category)s)", points=skill, category=category.name)]
        else:
            parts = [self.env._("skill 0 (not qualified)")]
        if tech["on_shift"] and tech["present"]:
            label = self.env._("on shift, checked in")
        elif tech["on_shift"]:
            label = self.env._("on shift, not checked in")
        elif tech["present"]:
            label = self.env._("checked in, off shift")
        else:
            label = self.env._("off shift")
        parts.append(self.env._("shift %(points)s (%(label)s)", points=shift, label=label))
        parts.append(self.env._("workload %(points)s (%(count)s open)", points=workload, count=load))
        if distance is not None:
            parts.append(
                self.env._(
                    "location %(points)s (%(km)s km away)", points=location, km=round(distance / 1000, 1)
                )
            )
        elif location:
            parts.append(self.env._("location %(points)s (serves the estate)", points=location))
        else:
            parts.append(self.env._("location 0 (unknown)"))
        return parts

    @staticmethod
    def _covers(tech, category_id, estate_id):
        """Whether the technician's team covers the category in the estate."""
        if category_id not in tech["team_categories"]:
            return False
        if tech["team_estate"]:
            return tech["team_estate"] == estate_id
        return estate_id in tech["estates"]

    def _choose_technicians(self, context, covering_only=False):
        """Pick the best technician for each request in ``self`` (no write). Workloads grow as
        the batch is assigned, so one batch spreads over the team. Returns {request: (employee,
        explanation)}; requests with no candidate are left out. ``covering_only``: only
        technicians whose team covers the request's category and estate are candidates."""
        workloads = context["workloads"]
        by_company = defaultdict(list)
        for tech in context["technicians"]:
            by_company[tech["company_id"]].append(tech)
        score_technician = self._score_technician
        choices = {}
        for request in self:
            candidates = by_company.get(request.company_id.id, [])
            category_id = request.category_id.id
            if covering_only:
                candidates = [t for t in candidates if self._covers(t, category_id, request.estate_id.id)]
            skilled = [t for t in candidates if category_id in t["skills"]] if category_id else candidates
            pool = skilled or candidates
            if not pool:
                continue
            estate = request.estate_id
            estate_position = (
                (estate.latitude, estate.longitude) if estate and estate._has_coordinates() else None
            )
            best = None
            runner_up = None
            for tech in pool:
                load = workloads.get(tech["id"], 0)
                score, points = score_technician(tech, load, category_id, estate.id, estate_position)
                key = (score, -load, -tech["id"])
                if best is None or key > best[0]:
                    runner_up = best
                    best = (key, tech, load, points)
                elif runner_up is None or key > runner_up[0]:
                    runner_up = (key, tech, load, points)
            (score, _load, _id), tech, load, points = best
            explanation = self.env._(
                "%(name)s: %(parts)s = %(score)s points.",
                name=tech["name"],
                parts=" + ".join(request._explain_score(tech, load, points)),
                score=round(score, 1),
            )
            if runner_up:
                explanation += " " + self.env._(
                    "Runner-up: %(name)s, %(score)s points.",
                    name=runner_up[1]["name"],
                    score=round(runner_up[0][0], 1),
                )
            if not skilled and category_id:
                explanation += " " + self.env._("No technician has this skill: best available chosen.")
            choices[request] = (tech["employee"], explanation)
            workloads[tech["id"]] = load + 1
        return choices

    def _dispatch_auto(self):
        """Automatic dispatch of new requests, in one batch."""
        self._check_state(("new",), self.env._("Automatic dispatch"))
        context = self._prepare_dispatch_context(self.company_id)
        choices = self._choose_technicians(context)
        for request, (employee, explanation) in choices.items():
            request._set_assigned(employee, "auto", explanation)
        unassigned = self - self.browse([r.id for r in choices])
        for request in unassigned:
            request.message_post(
                body=self.env._("Automatic dispatch found no technician: dispatch it by hand.")
            )
        return choices

    def action_dispatch_auto(self):
        if self.filtered("needs_triage"):
            raise UserError(
                self.env._("Confirm or choose the category first: the request is waiting for triage.")
            )
        self._dispatch_auto()
        return True
