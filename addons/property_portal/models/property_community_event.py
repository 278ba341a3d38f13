from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class PropertyCommunityEvent(models.Model):
    """A community event of an estate, with sign-up, a capacity and a waiting list."""

    _name = "property.community.event"
    _description = "Community Event"
    _inherit = ["mail.thread"]
    _order = "date_begin, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    description = fields.Html(sanitize=True)
    estate_id = fields.Many2one("property.estate", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    location = fields.Char()
    date_begin = fields.Datetime(string="Start", required=True, tracking=True)
    date_end = fields.Datetime(string="End")
    capacity = fields.Integer(default=0, tracking=True, help="0: no limit.")
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open for Sign-up"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    registration_ids = fields.One2many("property.community.registration", "event_id", string="Sign-ups")
    seats_taken = fields.Integer(compute="_compute_seats")
    seats_available = fields.Integer(compute="_compute_seats")
    waiting_count = fields.Integer(compute="_compute_seats")

    _sql_constraints = [("capacity_positive", "CHECK(capacity >= 0)", "The capacity cannot be negative.")]

    @api.constrains("date_begin", "date_end")
    def _check_dates(self):
        for event in self:
            if event.date_end and event.date_end < event.date_begin:
                raise ValidationError(self.env._("An event cannot end before it starts."))

    @api.depends("capacity", "registration_ids.state")
    def _compute_seats(self):
        counts = {
            (event.id, state): count
            for event, state, count in self.env["property.community.registration"]._read_group(
                [("event_id", "in", self.ids)], ["event_id", "state"], ["__count"]
            )
        }
        for event in self:
            taken = counts.get((event.id, "confirmed"), 0)
            event.seats_taken = taken
            event.waiting_count = counts.get((event.id, "waiting"), 0)
            event.seats_available = max(event.capacity - taken, 0) if event.capacity else -1

    def action_open(self):
        self.write({"state": "open"})
        return True

    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_cancel(self):
        self.write({"state": "cancel"})
        return True

    def _portal_sign_up(self, partner, units=None):
        """Sign ``partner`` up (for their unit of ``units`` in the event's estate): confirmed while
        seats remain, else on the waiting list. The event row is locked so two last-seat sign-ups
        cannot both be confirmed."""
        self.ensure_one()
        unit = units.filtered(lambda u: u.estate_id == self.estate_id)[:1] if units else None
        if self.state != "open":
            raise UserError(self.env._("Sign-up for this event is closed."))
        self.env.cr.execute("SELECT id FROM property_community_event WHERE id = %s FOR UPDATE", [self.id])
        Registration = self.env["property.community.registration"].sudo()
        existing = Registration.search(
            [("event_id", "=", self.id), ("partner_id", "=", partner.id), ("state", "!=", "cancelled")],
            limit=1,
        )
        if existing:
            return existing
        self.invalidate_recordset(["seats_taken"])
        full = self.capacity and self.seats_taken >= self.capacity
        return Registration.create(
            {
                "event_id": self.id,
                "partner_id": partner.id,
                "unit_id": unit.id if unit else False,
                "state": "waiting" if full else "confirmed",
            }
        )

    def _promote_waiting(self):
        """Fill the free seats from the waiting list, first come first served."""
        for event in self:
            event.invalidate_recordset(["seats_taken"])
            free = event.capacity - event.seats_taken if event.capacity else None
            waiting = event.registration_ids.filtered(lambda r: r.state == "waiting").sorted("id")
            promoted = waiting if free is None else waiting[: max(free, 0)]
            for registration in promoted:
                registration.state = "confirmed"
                event.message_post(
                    body=self.env._("%s moved up from the waiting list.", registration.partner_id.name),
                    partner_ids=registration.partner_id.ids,
                    message_type="notification",
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _portal_domain(self, partner, units):
        return [("estate_id", "in", units.estate_id.ids), ("state", "in", ("open", "done"))]
