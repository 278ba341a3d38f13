"""The resident's household and what it may see: one place for the domains every portal route
and API endpoint uses. Records are read with sudo, always through these domains."""

from odoo import fields

OPEN_REQUEST_STATES = ("new", "assigned", "accepted", "in_progress", "paused", "done")


class Household:
    def __init__(self, env, partner):
        self.env = env
        self.partner = partner.sudo()
        unit_ids, partner_ids = self.partner._portal_household_ids()
        self.units = env["property.unit"].sudo().browse(unit_ids)
        self.partners = env["res.partner"].sudo().browse(partner_ids)

    def __bool__(self):
        return bool(self.units)

    # --- domains -------------------------------------------------------------------------
    def bill_domain(self):
        return [
            ("line_ids.unit_id", "in", self.units.ids),
            ("state", "in", ("open", "partial", "paid")),
        ]

    def request_domain(self):
        return ["|", ("unit_id", "in", self.units.ids), ("partner_id", "=", self.partner.id)]

    def announcement_domain(self):
        return self.env["property.announcement"]._portal_domain(self.partner, self.units)

    def event_domain(self):
        return self.env["property.community.event"]._portal_domain(self.partner, self.units)

    def market_domain(self):
        return self.env["property.market.item"]._portal_domain(self.partner, self.units)

    def survey_domain(self):
        return self.env["survey.survey"]._portal_domain(self.partner, self.units)

    def feedback_domain(self):
        return [("partner_id", "=", self.partner.id)]

    def visitor_domain(self):
        return [("unit_id", "in", self.units.ids)]

    def transaction_domain(self):
        return [
            ("partner_id", "in", self.partners.ids),
            ("property_bill_ids", "!=", False),
            ("property_bill_ids.line_ids.unit_id", "in", self.units.ids),
        ]

    def consent_domain(self):
        return [("partner_id", "=", self.partner.id)]

    # --- records -------------------------------------------------------------------------
    def search(self, model, domain_name, **kwargs):
        return self.env[model].sudo().search(getattr(self, f"{domain_name}_domain")(), **kwargs)

    def get(self, model, domain_name, record_id):
        """The record if it belongs to the household, else an empty recordset (caller: 404)."""
        try:
            record_id = int(record_id)
        except (TypeError, ValueError):
            return self.env[model].sudo()
        domain = [("id", "=", record_id)] + getattr(self, f"{domain_name}_domain")()
        return self.env[model].sudo().search(domain, limit=1)

    def payable_bills(self, ids):
        """The bills ``ids`` if every one is the household's, still to pay, and all share one
        currency (they are paid together); else an empty recordset (caller: 404)."""
        Bill = self.env["property.bill"].sudo()
        bills = Bill.search([("id", "in", ids), ("state", "in", ("open", "partial"))] + self.bill_domain())
        if not ids or len(bills) != len(set(ids)) or len(bills.currency_id) != 1:
            return Bill
        return bills

    def registrations(self, events):
        """The resident's live sign-ups to ``events``."""
        return (
            self.env["property.community.registration"]
            .sudo()
            .search(
                [
                    ("event_id", "in", events.ids),
                    ("partner_id", "=", self.partner.id),
                    ("state", "!=", "cancelled"),
                ]
            )
        )

    def unit(self, unit_id):
        try:
            unit_id = int(unit_id)
        except (TypeError, ValueError):
            return self.units[:1]
        return self.units.filtered(lambda u: u.id == unit_id)

    def members(self):
        """(current occupancies, vehicle plates, own consents) for the "my household" page and API."""
        occupancies = (
            self.env["property.occupancy"]
            .sudo()
            .search([("unit_id", "in", self.units.ids), ("state", "=", "current")])
        )
        plates = (
            self.env["property.security.vehicle.plate"]
            .sudo()
            .search(["|", ("unit_id", "in", self.units.ids), ("partner_id", "in", self.partners.ids)])
        )
        return occupancies, plates, self.search("property.consent", "consent")

    # --- dashboard -----------------------------------------------------------------------
    def dashboard(self):
        Bill = self.env["property.bill"].sudo()
        due = Bill._read_group(
            self.bill_domain() + [("state", "in", ("open", "partial"))],
            [],
            ["amount_residual:sum", "__count"],
        )[0]
        now = fields.Datetime.now()
        return {
            "amount_due": due[0] or 0.0,
            "bills_due": due[1],
            "currency": self.units[:1].company_id.currency_id or self.env.company.currency_id,
            "open_requests": self.env["property.request"]
            .sudo()
            .search_count(self.request_domain() + [("state", "in", OPEN_REQUEST_STATES)]),
            "announcements": self.search("property.announcement", "announcement", limit=3),
            "events": self.env["property.community.event"]
            .sudo()
            .search(self.event_domain() + [("date_begin", ">=", now), ("state", "=", "open")], limit=3),
        }
