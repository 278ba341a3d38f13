"""The resident's household and what the portal pages show of it.

Access is decided by the residents' record rules (base.group_portal), which derive from
occupancies with their dates (``property.occupancy._portal_access_data``). Records are searched
as the portal user, so those rules apply; the domains below only narrow a page to what it lists
(open bills, published notices, ...). A page that forgets a domain therefore still shows only
what the rules allow. ``sudo()`` comes after the rule-checked search, to render related data.
"""

from odoo import fields
from odoo.exceptions import AccessError

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

    def _user_env(self):
        """The portal user's own environment: rules apply. Anything else fails closed."""
        env = self.env(su=False)
        if env.user.partner_id != self.partner:
            raise AccessError(env._("The household is read as its resident only."))
        return env

    # --- page filters (access itself is the record rules' job) ---------------------------
    def bill_domain(self):
        payers = [self.partner.id, self.partner.commercial_partner_id.id]
        return [("partner_id", "in", payers), ("state", "in", ("open", "partial", "paid"))]

    def request_domain(self):
        return []

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
        return [("host_partner_id", "=", self.partner.id)]

    def transaction_domain(self):
        return [("partner_id", "=", self.partner.id), ("property_bill_ids", "!=", False)]

    def consent_domain(self):
        return [("partner_id", "=", self.partner.id)]

    # --- records: searched as the resident, then sudo for rendering ----------------------
    def search(self, model, domain_name, **kwargs):
        domain = getattr(self, f"{domain_name}_domain")()
        return self._user_env()[model].search(domain, **kwargs).sudo()

    def search_count(self, model, domain):
        return self._user_env()[model].search_count(domain)

    def get(self, model, domain_name, record_id):
        """The record if the resident may read it (record rules) and it belongs on the page,
        else an empty recordset (caller: 404)."""
        empty = self.env[model].sudo()
        try:
            record_id = int(record_id)
        except (TypeError, ValueError):
            return empty
        domain = [("id", "=", record_id)] + getattr(self, f"{domain_name}_domain")()
        try:
            return self._user_env()[model].search(domain, limit=1).sudo()
        except AccessError:
            return empty

    def payable_bills(self, ids):
        """The bills ``ids`` if the resident may read every one, they are still to pay and all
        share one currency (they are paid together); else an empty recordset (caller: 404)."""
        Bill = self.env["property.bill"].sudo()
        if not ids:
            return Bill
        bills = (
            self._user_env()["property.bill"]
            .search([("id", "in", ids), ("state", "in", ("open", "partial"))] + self.bill_domain())
            .sudo()
        )
        if len(bills) != len(set(ids)) or len(bills.currency_id) != 1:
            return Bill
        return bills

    def registrations(self, events):
        """The resident's live sign-ups to ``events``."""
        return (
            self._user_env()["property.community.registration"]
            .search(
                [
                    ("event_id", "in", events.ids),
                    ("partner_id", "=", self.partner.id),
                    ("state", "!=", "cancelled"),
                ]
            )
            .sudo()
        )

    def unit(self, unit_id):
        try:
            unit_id = int(unit_id)
        except (TypeError, ValueError):
            return self.units[:1]
        return self.units.filtered(lambda u: u.id == unit_id)

    def members(self):
        """(current occupancies, vehicle plates, own consents) for the "my household" page and API:
        the occupancies of the people the resident lives with, and their own plates."""
        env = self._user_env()
        occupancies = env["property.occupancy"].search([("state", "=", "current")]).sudo()
        plates = env["property.security.vehicle.plate"].search([("partner_id", "=", self.partner.id)]).sudo()
        return occupancies, plates, self.search("property.consent", "consent")

    # --- dashboard -----------------------------------------------------------------------
    def dashboard(self):
        env = self._user_env()
        due = env["property.bill"]._read_group(
            self.bill_domain() + [("state", "in", ("open", "partial"))],
            [],
            ["amount_residual:sum", "__count"],
        )[0]
        now = fields.Datetime.now()
        return {
            "amount_due": due[0] or 0.0,
            "bills_due": due[1],
            "currency": self.units[:1].company_id.currency_id or self.env.company.currency_id,
            "open_requests": env["property.request"].search_count(
                self.request_domain() + [("state", "in", OPEN_REQUEST_STATES)]
            ),
            "announcements": self.search("property.announcement", "announcement", limit=3),
            "events": env["property.community.event"]
            .search(self.event_domain() + [("date_begin", ">=", now), ("state", "=", "open")], limit=3)
            .sudo(),
        }
