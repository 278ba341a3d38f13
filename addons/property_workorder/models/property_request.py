import logging
from collections import defaultdict
from datetime import timedelta

from pytz import utc

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.geo import distance_m
from .property_request_sla import REQUEST_PRIORITIES

_logger = logging.getLogger(__name__)

REQUEST_STATES = [
    ("new", "New"),
    ("assigned", "Assigned"),
    ("accepted", "Accepted"),
    ("in_progress", "In Progress"),
    ("paused", "Paused"),
    ("done", "Done"),
    ("followup", "Follow-up"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# states in which a technician still has work to do: the workload used by dispatch
OPEN_STATES = ("assigned", "accepted", "in_progress", "paused")
# states in which the SLA clock runs
ACTIVE_STATES = ("new", *OPEN_STATES)
PAUSE_REASONS = [
    ("parts", "Waiting for Parts"),
    ("resident", "Waiting for the Resident"),
    ("other", "Other"),
]
REQUEST_SOURCES = [
    ("front_desk", "Front Desk"),
    ("phone", "Phone"),
    ("portal", "Resident Portal"),
    ("iot", "IoT Alarm"),
    ("inspection", "Inspection"),
    ("complaint", "Low Rating"),
]
CONTACT_PREFERENCES = [
    ("phone", "Phone Call"),
    ("sms", "SMS"),
    ("wechat", "WeChat"),
    ("portal", "Portal Message"),
]
DISPATCH_MODES = [("manual", "Manual"), ("grab", "Grab Pool"), ("auto", "Automatic")]
SLA_STATUSES = [
    ("none", "No SLA"),
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]
RATINGS = [
    ("1", "1 - Very Poor"),
    ("2", "2 - Poor"),
    ("3", "3 - Fair"),
    ("4", "4 - Good"),
    ("5", "5 - Excellent"),
]
LOW_RATING = 2
# Dispatch weights (points). The explanation stored on each order shows the same numbers.
SCORE_SKILL = 40.0
SCORE_SHIFT_AND_PRESENT = 30.0
SCORE_SHIFT_ONLY = 15.0
SCORE_PRESENT_ONLY = 10.0
SCORE_WORKLOAD = 20.0
WORKLOAD_CAP = 5
SCORE_LOCATION = 10.0
DISTANCE_ZERO_M = 10000.0
# Fields a resident may set through the portal
PORTAL_FIELDS = (
    "description",
    "category_id",
    "unit_id",
    "common_area",
    "contact_phone",
    "contact_preference",
    "preferred_time_from",
    "preferred_time_to",
    "photo_ids",
)


class PropertyRequest(models.Model):
    _name = "property.request"
    _description = "Service Request"
    _inherit = ["property.location.mixin", "mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "priority desc, request_date desc, id desc"
    _check_company_auto = True
    # copied from the reporter: masked below manager (property_base/models/base.py)
    _property_pii_fields = ("contact_phone",)
    _property_pii_partner_field = "partner_id"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    description = fields.Text(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    estate_id = fields.Many2one(tracking=True, check_company=True)
    building_id = fields.Many2one(check_company=True)
    unit_id = fields.Many2one(tracking=True, check_company=True)
    common_area = fields.Char(help="For common areas: where exactly, e.g. '3号楼大堂' or '地下车库B1'.")
    category_id = fields.Many2one(
        "property.request.category", tracking=True, index=True, ondelete="restrict", check_company=True
    )
    priority = fields.Selection(REQUEST_PRIORITIES, default="1", required=True, tracking=True, index=True)
    state = fields.Selection(
        REQUEST_STATES, default="new", required=True, tracking=True, index=True, copy=False
    )
    source = fields.Selection(REQUEST_SOURCES, default="front_desk", required=True)
    origin = fields.Char(help="Reference of the record that raised the request (alarm, inspection run, …).")
    parent_id = fields.Many2one(
        "property.request",
        string="Origin Request",
        index=True,
        help="The request a complaint was raised about.",
    )
    request_date = fields.Datetime(
        string="Reported On", required=True, default=fields.Datetime.now, index=True, copy=False
    )
    # reporter
    partner_id = fields.Many2one("res.partner", string="Reporter", tracking=True, index=True)
    contact_phone = fields.Char()
    contact_preference = fields.Selection(CONTACT_PREFERENCES, default="phone")
    preferred_time_from = fields.Datetime(string="Preferred From")
    preferred_time_to = fields.Datetime(string="Preferred To")
    photo_ids = fields.Many2many(
        "ir.attachment", "property_request_photo_rel", "request_id", "attachment_id", string="Photos"
    )
    # classification
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
    # dispatch
    dispatch_mode = fields.Selection(DISPATCH_MODES, default="manual", required=True, tracking=True)
    team_id = fields.Many2one(
        "property.service.team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
    )
    technician_id = fields.Many2one(
        "hr.employee",
        tracking=True,
        index=True,
        domain="[('is_property_technician', '=', True)]",
        check_company=True,
        copy=False,
    )
    technician_user_id = fields.Many2one(
        related="technician_id.user_id", store=True, index=True, string="Technician User"
    )
    dispatch_explanation = fields.Text(readonly=True, copy=False)
    assigned_date = fields.Datetime(readonly=True, copy=False)
    accepted_date = fields.Datetime(readonly=True, copy=False)
    started_date = fields.Datetime(readonly=True, copy=False)
    done_date = fields.Datetime(readonly=True, copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False)
    # pauses, cancellations, reopenings
    pause_reason = fields.Selection(PAUSE_REASONS, readonly=True, copy=False)
    paused_from_state = fields.Selection(REQUEST_STATES, readonly=True, copy=False)
    state_reason = fields.Text(string="Reason", readonly=True, copy=False)
    reopen_count = fields.Integer(readonly=True, copy=False)
    # SLA
    response_deadline = fields.Datetime(compute="_compute_sla_deadlines", store=True, copy=False)
    resolution_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, copy=False, index=True
    )
    sla_warning_date = fields.Datetime(compute="_compute_sla_deadlines", store=True, copy=False)
    is_resolved_late = fields.Boolean(compute="_compute_is_resolved_late", store=True)
    sla_status = fields.Selection(
        SLA_STATUSES, compute="_compute_sla_status", search="_search_sla_status", string="SLA"
    )
    is_sla_warned = fields.Boolean(readonly=True, copy=False)
    escalation_level = fields.Selection(
        [("0", "None"), ("1", "Team Leader"), ("2", "Manager")],
        default="0",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    escalation_date = fields.Datetime(readonly=True, copy=False)
    # execution
    checkin_date = fields.Datetime(string="Checked In", readonly=True, copy=False)
    checkin_latitude = fields.Float(digits=(10, 7), copy=False)
    checkin_longitude = fields.Float(digits=(10, 7), copy=False)
    checkin_distance_m = fields.Float(
        string="Check-in Distance (m)", readonly=True, copy=False, digits=(16, 0)
    )
    labour_hours = fields.Float(copy=False, help="Filled from check-in to done when left empty.")
    material_ids = fields.One2many("property.request.material", "request_id", string="Materials", copy=False)
    material_cost = fields.Monetary(
        compute="_compute_material_cost", store=True, currency_field="currency_id"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    picking_ids = fields.One2many(
        "stock.picking",
        "property_request_id",
        string="Transfers",
        copy=False,
        groups="stock.group_stock_user",
    )
    picking_count = fields.Integer(compute="_compute_picking_count", compute_sudo=True)
    before_photo_ids = fields.Many2many(
        "ir.attachment",
        "property_request_before_photo_rel",
        "request_id",
        "attachment_id",
        string="Photos Before",
    )
    after_photo_ids = fields.Many2many(
        "ir.attachment",
        "property_request_after_photo_rel",
        "request_id",
        "attachment_id",
        string="Photos After",
    )
    work_note = fields.Text(string="Work Report")
    is_paid_service = fields.Boolean(
        help="The resident pays for this work (e.g. inside their unit): charged on confirmation "
        "through _charge_resident(), which property_billing implements."
    )
    service_fee = fields.Monetary(currency_field="currency_id")
    is_resident_confirmed = fields.Boolean(readonly=True, copy=False, tracking=True)
    resident_confirmed_date = fields.Datetime(readonly=True, copy=False)
    # follow-up
    rating = fields.Selection(RATINGS, copy=False, tracking=True)
    rating_comment = fields.Text(copy=False)
    followup_note = fields.Text(string="Follow-up Call", copy=False)
    followup_date = fields.Datetime(readonly=True, copy=False)
    followup_user_id = fields.Many2one("res.users", readonly=True, copy=False)
    complaint_id = fields.Many2one("property.request", string="Complaint Request", readonly=True, copy=False)
    response_hours = fields.Float(compute="_compute_durations", store=True, aggregator="avg")
    resolution_hours = fields.Float(compute="_compute_durations", store=True, aggregator="avg")

    _sql_constraints = [
        (
            "preferred_window",
            "CHECK(preferred_time_to IS NULL OR preferred_time_from IS NULL OR preferred_time_to >= preferred_time_from)",
            "The preferred time window ends before it starts.",
        ),
        ("labour_positive", "CHECK(labour_hours >= 0)", "Labour time cannot be negative."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("estate_id")
    def _compute_company_id(self):
        for request in self:
            request.company_id = request.estate_id.company_id or request.company_id or self.env.company

    @api.depends("estate_id", "technician_id")
    def _compute_team_id(self):
        for request in self:
            request.team_id = (
                request.technician_id.sudo().property_team_id
                or request.team_id
                or request.estate_id.service_team_ids[:1]
            )

    @api.depends("material_ids.subtotal")
    def _compute_material_cost(self):
        for request in self:
            request.material_cost = sum(request.material_ids.mapped("subtotal"))

    def _compute_picking_count(self):
        counts = dict(
            self.env["stock.picking"]._read_group(
                [("property_request_id", "in", self.ids)], ["property_request_id"], ["__count"]
            )
        )
        for request in self:
            request.picking_count = counts.get(request, 0)

    @api.depends("request_date", "accepted_date", "done_date")
    def _compute_durations(self):
        for request in self:
            start = request.request_date
            request.response_hours = (
                (request.accepted_date - start).total_seconds() / 3600
                if start and request.accepted_date
                else 0.0
            )
            request.resolution_hours = (
                (request.done_date - start).total_seconds() / 3600 if start and request.done_date else 0.0
            )

    def _get_sla_line(self):
        self.ensure_one()
        return self.category_id.sla_ids.filtered(lambda s: s.priority == self.priority)[:1]

    @api.depends("category_id", "priority", "request_date", "estate_id.service_calendar_id")
    def _compute_sla_deadlines(self):
        for request in self:
            if not request.category_id or not request.request_date:
                request.response_deadline = request.resolution_deadline = request.sla_warning_date = False
                continue
            sla = request._get_sla_line()
            response = sla.response_hours if sla else request.category_id.response_hours
            resolution = sla.resolution_hours if sla else request.category_id.resolution_hours
            ratio = (sla.warning_ratio if sla else 80.0) / 100.0
            start = request.request_date
            calendar = request.estate_id.service_calendar_id
            request.response_deadline = request._plan_working_hours(calendar, start, response)
            request.resolution_deadline = request._plan_working_hours(calendar, start, resolution)
            request.sla_warning_date = request._plan_working_hours(calendar, start, resolution * ratio)

    @api.model
    def _plan_working_hours(self, calendar, start, hours):
        """``start`` + ``hours`` of working time of ``calendar`` (wall time without one)."""
        if not hours:
            return False
        if calendar:
            return calendar.plan_hours(hours, start, compute_leaves=True) or False
        return start + timedelta(hours=hours)

    @api.depends("done_date", "resolution_deadline")
    def _compute_is_resolved_late(self):
        for request in self:
            request.is_resolved_late = bool(
                request.done_date
                and request.resolution_deadline
                and request.done_date > request.resolution_deadline
            )

    @api.depends(
        "state", "done_date", "accepted_date", "resolution_deadline", "response_deadline", "sla_warning_date"
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for request in self:
            request.sla_status = request._get_sla_status(now)

    def _get_sla_status(self, now):
        self.ensure_one()
        if self.state == "cancelled" or not self.resolution_deadline:
            return "none"
        if self.done_date:
            return "breached" if self.is_resolved_late else "met"
        response_late = not self.accepted_date and self.response_deadline and now > self.response_deadline
        if response_late or now > self.resolution_deadline:
            return "breached"
        if self.sla_warning_date and now >= self.sla_warning_date:
            return "at_risk"
        return "on_track"

    def _search_sla_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the SLA status."))
        values = {value} if isinstance(value, str) else set(value)
        now = fields.Datetime.now()
        running = [
            ("done_date", "=", False),
            ("state", "!=", "cancelled"),
            ("resolution_deadline", "!=", False),
        ]
        response_late = [("accepted_date", "=", False), ("response_deadline", "<", now)]
        late_now = expression.OR([response_late, [("resolution_deadline", "<", now)]])
        domains = {
            "none": ["|", ("state", "=", "cancelled"), ("resolution_deadline", "=", False)],
            "met": [
                ("done_date", "!=", False),
                ("is_resolved_late", "=", False),
                ("state", "!=", "cancelled"),
            ],
            "breached": expression.OR(
                [
                    expression.AND([running, late_now]),
                    [
                        ("done_date", "!=", False),
                        ("is_resolved_late", "=", True),
                        ("state", "!=", "cancelled"),
                    ],
                ]
            ),
            "at_risk": expression.AND([running, [("sla_warning_date", "<=", now)], ["!", *late_now]]),
            "on_track": expression.AND(
                [
                    running,
                    ["|", ("sla_warning_date", "=", False), ("sla_warning_date", ">", now)],
                    ["!", *late_now],
                ]
            ),
        }
        wanted = values if operator in ("=", "in") else set(domains) - values
        return expression.OR([domains[v] for v in sorted(wanted) if v in domains] or [[(0, "=", 1)]])

    @api.constrains("technician_id", "state")
    def _check_technician(self):
        for request in self:
            if request.state in OPEN_STATES and not request.technician_id:
                raise ValidationError(
                    self.env._("Request %s needs a technician in this state.", request.name)
                )

    # ------------------------------------------------------------------
    # Create / write
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("property.request") or "/"
        self._classify_vals(vals_list)
        requests = super().create(vals_list)
        if any(r.dispatch_mode == "auto" for r in requests):
            requests.filtered(lambda r: r.dispatch_mode == "auto" and r.state == "new")._dispatch_auto()
        return requests

    def write(self, vals):
        if "category_id" in vals and not self.env.context.get("property_request_no_confirm"):
            vals = dict(vals, is_category_confirmed=True, needs_triage=False)
        res = super().write(vals)
        if vals.get("rating"):
            self._open_complaint_for_low_rating()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if any(r.state not in ("new", "cancelled") for r in self):
            raise UserError(self.env._("Only new or cancelled requests can be deleted; cancel it instead."))

    # ------------------------------------------------------------------
    # Classification
    # ------------------------------------------------------------------
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

    # ------------------------------------------------------------------
    # Entry points for other addons and the portal
    # ------------------------------------------------------------------
    @api.model
    def _create_from_source(self, source, vals):
        """Create requests raised by another addon (IoT alarm, inspection finding, …).

        ``source`` is a value of the ``source`` field (this addon's REQUEST_SOURCES and those
        other addons add); ``vals`` a dict of request values, or a list of them (``origin`` may
        hold the raising record's reference). Runs with the caller's rights; returns the new
        requests."""
        if source not in self._fields["source"].get_values(self.env):
            raise UserError(self.env._("Unknown request source: %s", source))
        vals_list = [vals] if isinstance(vals, dict) else vals
        return self.create([dict(v, source=source) for v in vals_list])

    @api.model
    def _portal_create_request(self, partner, vals):
        """Create a request for a resident. The unit must be one the partner currently lives
        in (any current occupancy: owner, co-owner, tenant, family). Only PORTAL_FIELDS are
        taken from ``vals``. Returns the request (sudo: the caller renders it for the portal)."""
        unit = self.env["property.unit"].sudo().browse(vals.get("unit_id")).exists()
        if not unit:
            raise UserError(self.env._("Choose the unit the request is about."))
        occupancy_model = self.env["property.occupancy"].sudo()
        today = fields.Date.context_today(self)
        household = occupancy_model.search_count(
            [("unit_id", "=", unit.id), ("partner_id", "=", partner.id)]
            + occupancy_model._get_current_domain(today),
            limit=1,
        )
        if not household:
            raise AccessError(self.env._("You can only report requests for a unit you currently live in."))
        values = {key: vals[key] for key in PORTAL_FIELDS if key in vals}
        values.update(
            {
                "partner_id": partner.id,
                "source": "portal",
                "company_id": unit.company_id.id,
                "contact_phone": values.get("contact_phone") or partner.mobile or partner.phone,
            }
        )
        request = self.sudo().create(values)
        request.message_subscribe(partner_ids=partner.ids)
        return request

    # ------------------------------------------------------------------
    # Lifecycle (every transition guarded)
    # ------------------------------------------------------------------
    def _check_state(self, allowed, action_label):
        for request in self:
            if request.state not in allowed:
                states = dict(REQUEST_STATES)
                raise UserError(
                    self.env._(
                        "%(action)s is not possible for request %(name)s in state %(state)s.",
                        action=action_label,
                        name=request.name,
                        state=states[request.state],
                    )
                )

    def _set_assigned(self, technician, mode, explanation=False):
        technician = technician.sudo()
        now = fields.Datetime.now()
        self.write(
            {
                "technician_id": technician.id,
                "state": "assigned",
                "dispatch_mode": mode,
                "assigned_date": now,
                "dispatch_explanation": explanation,
            }
        )
        if technician.user_id:
            self._message_subscribe_technician(technician)

    def _message_subscribe_technician(self, technician):
        for request in self:
            request.message_subscribe(partner_ids=technician.user_id.partner_id.ids)

    def action_assign(self):
        """Manual dispatch: the technician chosen on the form."""
        self._check_state(("new", "assigned"), self.env._("Assigning"))
        for request in self:
            if not request.technician_id:
                raise UserError(self.env._("Choose a technician for request %s first.", request.name))
            request._set_assigned(request.technician_id, "manual")
        return True

    def action_put_in_pool(self):
        """Offer the requests in the grab pool (抢单)."""
        self._check_state(("new",), self.env._("Offering in the grab pool"))
        self.write({"dispatch_mode": "grab"})
        return True

    def action_grab(self):
        """A technician claims a pooled request. Atomic: the UPDATE only succeeds while the
        request is still unclaimed, and PostgreSQL's row lock makes a concurrent claim wait and
        then find nothing to update, so two technicians can never both win."""
        self.ensure_one()
        employee = self.env.user.employee_id.sudo()
        if not employee or not employee.is_property_technician:
            raise UserError(self.env._("Only technicians can take requests from the pool."))
        self.check_access("read")
        self.flush_recordset()
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                UPDATE property_request
                   SET technician_id = %s, technician_user_id = %s, state = 'assigned',
                       assigned_date = %s, write_uid = %s, write_date = %s
                 WHERE id = %s AND state = 'new' AND dispatch_mode = 'grab' AND technician_id IS NULL
             RETURNING id
                """,
                employee.id,
                self.env.user.id,
                now,
                self.env.uid,
                now,
                self.id,
            )
        )
        won = bool(self.env.cr.fetchone())
        self.invalidate_recordset()
        if not won:
            raise UserError(self.env._("Request %s has already been taken by someone else.", self.name))
        self.sudo()._message_subscribe_technician(employee)
        self.sudo().message_post(body=self.env._("Taken from the grab pool by %s.", employee.name))
        return True

    def action_accept(self):
        self._check_state(("assigned",), self.env._("Accepting"))
        self.write({"state": "accepted", "accepted_date": fields.Datetime.now()})
        return True

    def action_check_in(self, latitude=None, longitude=None):
        """The technician arrives on site (from the form, or by RPC with a position). Starts
        the work if it was accepted."""
        self._check_state(("assigned", "accepted", "in_progress"), self.env._("Checking in"))
        now = fields.Datetime.now()
        for request in self:
            lat = request.checkin_latitude if latitude is None else latitude
            lon = request.checkin_longitude if longitude is None else longitude
            vals = {"checkin_date": now, "checkin_latitude": lat, "checkin_longitude": lon}
            estate = request.estate_id
            if (lat or lon) and estate and estate._has_coordinates():
                vals["checkin_distance_m"] = distance_m(lat, lon, estate.latitude, estate.longitude)
            if request.state == "assigned":
                vals["accepted_date"] = now
            if request.state != "in_progress":
                vals.update(state="in_progress", started_date=request.started_date or now)
            request.write(vals)
            request.message_post(
                body=self.env._("Checked in on site at (%(lat)s, %(lon)s).", lat=lat or 0.0, lon=lon or 0.0)
            )
        return True

    def action_start(self):
        self._check_state(("accepted",), self.env._("Starting"))
        now = fields.Datetime.now()
        for request in self:
            request.write({"state": "in_progress", "started_date": request.started_date or now})
        return True

    def _action_pause(self, reason_type, reason):
        self._check_state(("assigned", "accepted", "in_progress"), self.env._("Pausing"))
        if not reason:
            raise UserError(self.env._("Give a reason to pause the request."))
        for request in self:
            request.write(
                {
                    "paused_from_state": request.state,
                    "state": "paused",
                    "pause_reason": reason_type,
                    "state_reason": reason,
                }
            )
            request.message_post(
                body=self.env._(
                    "Paused (%(type)s): %(reason)s", type=dict(PAUSE_REASONS)[reason_type], reason=reason
                )
            )
        return True

    def action_resume(self):
        self._check_state(("paused",), self.env._("Resuming"))
        for request in self:
            request.write({"state": request.paused_from_state or "accepted", "pause_reason": False})
        return True

    def action_done(self):
        self._check_state(("in_progress",), self.env._("Finishing"))
        now = fields.Datetime.now()
        for request in self:
            vals = {"state": "done", "done_date": now}
            if not request.labour_hours and request.started_date:
                vals["labour_hours"] = round((now - request.started_date).total_seconds() / 3600, 2)
            request.write(vals)
        return True

    def action_resident_confirm(self):
        """The resident (or the desk on their behalf) accepts the work: on to the follow-up.
        Paid services are charged here."""
        self._check_state(("done",), self.env._("Confirming"))
        self.write(
            {
                "state": "followup",
                "is_resident_confirmed": True,
                "resident_confirmed_date": fields.Datetime.now(),
            }
        )
        self.filtered("is_paid_service")._charge_resident()
        return True

    def _action_reject(self, reason):
        """The resident rejects the result: the order goes back to its technician."""
        self._check_state(("done", "followup"), self.env._("Reopening"))
        if not reason:
            raise UserError(self.env._("Give the reason the resident rejects the work."))
        for request in self:
            request.write(
                {
                    "state": "accepted",
                    "done_date": False,
                    "is_resident_confirmed": False,
                    "reopen_count": request.reopen_count + 1,
                    "state_reason": reason,
                }
            )
            request.message_post(body=self.env._("Reopened, the resident rejects the result: %s", reason))
        return True

    def action_record_followup(self):
        """The service desk records the follow-up call (回访): note and rating from the form."""
        self._check_state(("followup",), self.env._("Recording the follow-up"))
        for request in self:
            if not (request.followup_note or request.rating):
                raise UserError(self.env._("Write down the follow-up call or the rating first."))
            request.write({"followup_date": fields.Datetime.now(), "followup_user_id": self.env.uid})
            request.message_post(
                body=self.env._("Follow-up call: %s", request.followup_note or request.rating_comment or "")
            )
        return True

    def action_close(self):
        self._check_state(("followup",), self.env._("Closing"))
        for request in self:
            if not request.followup_date:
                raise UserError(
                    self.env._("Record the follow-up call of request %s before closing it.", request.name)
                )
        self.write({"state": "closed", "closed_date": fields.Datetime.now()})
        return True

    def _action_cancel(self, reason):
        self._check_state(ACTIVE_STATES, self.env._("Cancelling"))
        if not reason:
            raise UserError(self.env._("Give a reason to cancel the request."))
        self.write({"state": "cancelled", "state_reason": reason})
        for request in self:
            request.message_post(body=self.env._("Cancelled: %s", reason))
        return True

    def _open_reason_wizard(self, action):
        return {
            "type": "ir.actions.act_window",
            "name": dict(
                self.env["property.request.reason.wizard"]._fields["action"]._description_selection(self.env)
            )[action],
            "res_model": "property.request.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": self.ids, "default_action": action},
        }

    def action_pause_wizard(self):
        self._check_state(("assigned", "accepted", "in_progress"), self.env._("Pausing"))
        return self._open_reason_wizard("pause")

    def action_cancel_wizard(self):
        self._check_state(ACTIVE_STATES, self.env._("Cancelling"))
        return self._open_reason_wizard("cancel")

    def action_reject_wizard(self):
        self._check_state(("done", "followup"), self.env._("Reopening"))
        return self._open_reason_wizard("reject")

    # ------------------------------------------------------------------
    # Paid services
    # ------------------------------------------------------------------
    def _charge_resident(self):
        """Hook: charge the resident for a paid service (``is_paid_service``, ``service_fee``
        plus ``material_cost``). Called once the resident confirms the work. Does nothing here;
        ``property_billing`` overrides it to add a line to the household's next bill. Overrides
        must be idempotent per request and return True."""
        return True

    # ------------------------------------------------------------------
    # Follow-up: a low rating opens a complaint
    # ------------------------------------------------------------------
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

    # ------------------------------------------------------------------
    # Dispatch
    # ------------------------------------------------------------------
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
            technicians.append(
                {
                    "employee": employee,
                    "id": employee.id,
                    "name": employee.name,
                    "company_id": employee.company_id.id,
                    "skills": set(employee.property_category_ids.ids),
                    "estates": set(employee.property_estate_ids.ids),
                    "on_shift": employee.id in on_shift,
                    "present": bool(present),
                    "position": (lat, lon) if (lat or lon) else None,
                }
            )
        return {"technicians": technicians, "workloads": self._get_workloads(employees), "now": now}

    def _score_technician(self, tech, load, estate):
        """(score, parts) for one technician and this request; parts explain the score."""
        parts = []
        category = self.category_id
        if not category:
            skill = SCORE_SKILL / 2
            parts.append(self.env._("skill %(points)s (no category)", points=skill))
        elif category.id in tech["skills"]:
            skill = SCORE_SKILL
            parts.append(self.env._("skill %(points)s (%(category)s)", points=skill, category=category.name))
        else:
            skill = 0.0
            parts.append(self.env._("skill 0 (not qualified)"))
        if tech["on_shift"] and tech["present"]:
            shift, label = SCORE_SHIFT_AND_PRESENT, self.env._("on shift, checked in")
        elif tech["on_shift"]:
            shift, label = SCORE_SHIFT_ONLY, self.env._("on shift, not checked in")
        elif tech["present"]:
            shift, label = SCORE_PRESENT_ONLY, self.env._("checked in, off shift")
        else:
            shift, label = 0.0, self.env._("off shift")
        parts.append(self.env._("shift %(points)s (%(label)s)", points=shift, label=label))
        workload = round(SCORE_WORKLOAD * max(0.0, 1.0 - load / WORKLOAD_CAP), 1)
        parts.append(self.env._("workload %(points)s (%(count)s open)", points=workload, count=load))
        if estate and estate.id in tech["estates"]:
            location = SCORE_LOCATION
            parts.append(self.env._("location %(points)s (serves the estate)", points=location))
        elif estate and tech["position"] and estate._has_coordinates():
            dist = distance_m(tech["position"][0], tech["position"][1], estate.latitude, estate.longitude)
            location = round(SCORE_LOCATION * max(0.0, 1.0 - dist / DISTANCE_ZERO_M), 1)
            parts.append(
                self.env._("location %(points)s (%(km)s km away)", points=location, km=round(dist / 1000, 1))
            )
        else:
            location = 0.0
            parts.append(self.env._("location 0 (unknown)"))
        return skill + shift + workload + location, parts

    def _choose_technicians(self, context):
        """Pick the best technician for each request in ``self`` (no write). Workloads grow as
        the batch is assigned, so one batch spreads over the team. Returns {request: (employee,
        explanation)}; requests with no candidate are left out."""
        workloads = context["workloads"]
        by_company = defaultdict(list)
        for tech in context["technicians"]:
            by_company[tech["company_id"]].append(tech)
        choices = {}
        for request in self:
            candidates = by_company.get(request.company_id.id, [])
            category_id = request.category_id.id
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
                score = self._quick_score(tech, load, category_id, estate.id, estate_position)
                key = (score, -load, -tech["id"])
                if best is None or key > best[0]:
                    runner_up = best
                    best = (key, tech)
                elif runner_up is None or key > runner_up[0]:
                    runner_up = (key, tech)
            tech = best[1]
            load = workloads.get(tech["id"], 0)
            score, parts = request._score_technician(tech, load, estate)
            explanation = self.env._(
                "%(name)s: %(parts)s = %(score)s points.",
                name=tech["name"],
                parts=" + ".join(parts),
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

    @staticmethod
    def _quick_score(tech, load, category_id, estate_id, estate_position):
        """The number part of _score_technician without the explanation (the hot loop of a
        batch: plain Python values only)."""
        score = SCORE_SKILL / 2 if not category_id else SCORE_SKILL if category_id in tech["skills"] else 0.0
        if tech["on_shift"]:
            score += SCORE_SHIFT_AND_PRESENT if tech["present"] else SCORE_SHIFT_ONLY
        elif tech["present"]:
            score += SCORE_PRESENT_ONLY
        score += round(SCORE_WORKLOAD * max(0.0, 1.0 - load / WORKLOAD_CAP), 1)
        if estate_id and estate_id in tech["estates"]:
            score += SCORE_LOCATION
        elif estate_position and tech["position"]:
            dist = distance_m(tech["position"][0], tech["position"][1], *estate_position)
            score += round(SCORE_LOCATION * max(0.0, 1.0 - dist / DISTANCE_ZERO_M), 1)
        return score

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
        self._dispatch_auto()
        return True

    # ------------------------------------------------------------------
    # SLA cron: warn before a breach, escalate once per level after it
    # ------------------------------------------------------------------
    @api.model
    def _get_escalation_delay(self):
        return float(
            self.env["ir.config_parameter"].sudo().get_param("property_workorder.escalation_delay_hours", "2")
        )

    def _sla_responsible_user(self):
        self.ensure_one()
        return self.technician_user_id or self.team_id.leader_id or self.estate_id.manager_id

    def _sla_schedule(self, user, summary, note):
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        if user and activity_type:
            self.activity_schedule(
                activity_type_id=activity_type.id, user_id=user.id, summary=summary, note=note
            )
        self.message_post(body=note, partner_ids=user.partner_id.ids if user else [])

    @api.model
    def _cron_check_sla(self, limit=500):
        now = fields.Datetime.now()
        delay = timedelta(hours=self._get_escalation_delay())
        running = [("state", "in", ACTIVE_STATES), ("resolution_deadline", "!=", False)]
        to_warn = self.search(
            running + [("is_sla_warned", "=", False), ("sla_status", "=", "at_risk")], limit=limit
        )
        for request in to_warn:
            request._sla_schedule(
                request._sla_responsible_user(),
                self.env._("SLA at risk"),
                self.env._(
                    "Request %(name)s must be resolved by %(deadline)s.",
                    name=request.name,
                    deadline=request.resolution_deadline,
                ),
            )
        to_warn.write({"is_sla_warned": True})
        breached = self.search(
            running + [("sla_status", "=", "breached"), ("escalation_level", "!=", "2")], limit=limit
        )
        for request in breached:
            if request.escalation_level == "0":
                request._escalate("1", request.team_id.leader_id or request.estate_id.manager_id, now)
            elif request.escalation_date and now >= request.escalation_date + delay:
                request._escalate("2", request.team_id.manager_id or request.estate_id.manager_id, now)
        return True

    def _escalate(self, level, user, now):
        self.ensure_one()
        labels = dict(self._fields["escalation_level"]._description_selection(self.env))
        self.write({"escalation_level": level, "escalation_date": now, "is_sla_warned": True})
        self._sla_schedule(
            user,
            self.env._("SLA breached: escalated"),
            self.env._(
                "Request %(name)s breached its SLA (deadline %(deadline)s): escalated to %(level)s %(user)s.",
                name=self.name,
                deadline=self.resolution_deadline,
                level=labels[level],
                user=user.name or "-",
            ),
        )

    # ------------------------------------------------------------------
    # Materials
    # ------------------------------------------------------------------
    def action_consume_materials(self):
        """Take the request's materials out of stock. Anyone who may edit the request may do
        it (technicians have no stock rights): the stock operations run as superuser."""
        self.check_access("write")
        self._check_state(
            ("accepted", "in_progress", "paused", "done"), self.env._("Taking materials out of stock")
        )
        self.material_ids.sudo()._consume()
        return True

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("property_request_id", "=", self.id)]
        action["context"] = {}
        return action

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/requests/{request.id}"
        return res

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _load_demo_data(self):
        estate = self.env["property.estate"].search([("company_id", "=", self.env.company.id)], limit=1)
        if not estate:
            return True
        ref = self.env.ref
        categories = {c.code: c for c in self.env["property.request.category"].search([])}
        calendar = ref("resource.resource_calendar_std", raise_if_not_found=False)
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", estate.company_id.id)], limit=1)
        estate.write(
            {
                "warehouse_id": warehouse.id,
                "service_calendar_id": calendar.id if calendar else False,
                "latitude": estate.latitude or 31.2304,
                "longitude": estate.longitude or 121.4737,
            }
        )
        manager = ref("property_base.user_manager_demo", raise_if_not_found=False)
        team = self.env["property.service.team"].create(
            {
                "name": f"{estate.name}工程部",
                "estate_id": estate.id,
                "leader_id": manager.id if manager else False,
                "manager_id": manager.id if manager else False,
                "resource_calendar_id": calendar.id if calendar else False,
            }
        )
        technicians = self.env["hr.employee"]
        people = [
            ("property_base.user_technician_demo", "王师傅", ["plumbing", "electrical", "doors_locks"]),
            (None, "李师傅", ["elevator", "electrical"]),
            (None, "赵阿姨", ["cleaning", "greening"]),
        ]
        for user_xmlid, name, skills in people:
            user = ref(user_xmlid, raise_if_not_found=False) if user_xmlid else None
            technicians |= self.env["hr.employee"].create(
                {
                    "name": user.name if user else name,
                    "user_id": user.id if user else False,
                    "is_property_technician": True,
                    "property_team_id": team.id,
                    "property_category_ids": [
                        fields.Command.set([categories[s].id for s in skills if s in categories])
                    ],
                    "property_estate_ids": [fields.Command.link(estate.id)],
                    "company_id": estate.company_id.id,
                }
            )
        units = self.env["property.unit"].search([("estate_id", "=", estate.id)], limit=5)
        texts = [
            ("厨房水管漏水，水流了一地，麻烦尽快处理", "manual"),
            ("3号楼电梯门关不上，老人上不了楼", "auto"),
            ("楼道灯坏了，晚上一片漆黑", "grab"),
            ("楼上半夜装修电钻声吵得睡不着", "manual"),
            ("单元门禁坏了刷卡进不去", "auto"),
            ("绿化带杂草丛生，有空来修剪一下", "grab"),
        ]
        requests = self.create(
            [
                {
                    "description": text,
                    "estate_id": estate.id,
                    "unit_id": units[i % len(units)].id if units and i % 2 == 0 else False,
                    "common_area": False if i % 2 == 0 else "大堂",
                    "dispatch_mode": mode,
                    "source": "phone" if i % 3 else "front_desk",
                }
                for i, (text, mode) in enumerate(texts)
            ]
        )
        first = requests[0]
        first.write({"technician_id": technicians[0].id})
        first.action_assign()
        first.action_accept()
        route = self.env["property.route"].create(
            {
                "name": "夜间安全巡检",
                "route_type": "inspection",
                "estate_id": estate.id,
                "team_id": team.id,
                "employee_id": technicians[0].id,
                "checkpoint_ids": [
                    fields.Command.create({"name": name, "sequence": seq})
                    for seq, name in enumerate(["东门岗亭", "地下车库B1", "配电房", "水泵房", "中心花园"], 1)
                ],
            }
        )
        route._generate_runs(fields.Date.context_today(self))
        return True
