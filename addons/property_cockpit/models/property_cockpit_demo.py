"""History for the demo (``make run`` calls it once after installing): past months of billing
runs, payments, finished and rated requests, a year of meter readings, and (with
property_portal) residents' surveys and feedback, so that the
cockpit and the reports show figures on first start. Not part of the demo XML: the test
database (which runs with demo data) stays as it is."""

import json
import logging
import random
import time as pytime
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.property_iot.services.ingest import IngestProcessor, Message

_logger = logging.getLogger(__name__)

DEMO_HISTORY_PARAM = "property_cockpit.demo_history"
PAYING_SHARE = 0.9  # households that pay their bills
REQUESTS_PER_MONTH = 12
HISTORY_METERS = 4


class PropertyCockpit(models.AbstractModel):
    _inherit = "property.cockpit"

    @api.model
    def _generate_demo_history(self, months=12):
        """Create ``months`` months of history through the engines of each addon, once: a
        marker parameter makes a second call add nothing. Returns whether it ran."""
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(DEMO_HISTORY_PARAM):
            return False
        cockpit = self.sudo().with_context(tracking_disable=True, mail_notrack=True, mail_create_nolog=True)
        rng = random.Random(2026)
        today = fields.Date.context_today(cockpit)
        first = today.replace(day=1)
        past = [first - relativedelta(months=i) for i in range(months, 0, -1)]
        started = pytime.monotonic()
        cockpit._demo_history_billing(past, today, rng)
        _logger.info("Demo history: billing in %.1fs", pytime.monotonic() - started)
        cockpit._demo_history_requests([*past, first], today, rng)
        _logger.info("Demo history: requests in %.1fs", pytime.monotonic() - started)
        cockpit._demo_history_readings(months, rng)
        # surveys and feedback belong to property_portal, which the cockpit does not depend on:
        # the models that own them generate their history when they are installed
        for model in ("property.feedback", "survey.survey"):
            if model in cockpit.env and hasattr(cockpit.env[model], "_property_demo_history"):
                cockpit.env[model]._property_demo_history([*past, first], today, rng)
        _logger.info("Demo history: surveys and feedback in %.1fs", pytime.monotonic() - started)
        _logger.info("Demo history: %s months in %.1fs", months, pytime.monotonic() - started)
        params.set_param(DEMO_HISTORY_PARAM, fields.Datetime.to_string(fields.Datetime.now()))
        return True

    def _demo_history_billing(self, months, today, rng):
        """A billing run per estate and past month; ~90 % of the households pay, the others
        fall into arrears (the recent months are paid less often: not everyone has paid yet)."""
        Run = self.env["property.billing.run"]
        for estate in self.env["property.estate"].search([]):
            for month in months:
                # a run of the whole estate was done already; a run of some buildings only (the
                # portal's demo bills) leaves the others to bill: a run adds only what is missing
                if Run.search_count(
                    [("estate_id", "=", estate.id), ("date_from", "=", month), ("building_ids", "=", False)]
                ):
                    continue
                due = month + relativedelta(months=1, days=-1)
                Run.create({"estate_id": estate.id, "date_from": month, "date_due": due})._run_now()
        _logger.info("Demo history: billing runs of %s months done", len(months))
        bills = self.env["property.bill"].search(
            [("period_start", "in", months), ("state", "in", ("open", "partial"))],
            order="partner_id, date_due",
        )
        journals = {}
        by_partner = {}
        for bill in bills:
            by_partner.setdefault(bill.partner_id, self.env["property.bill"])
            by_partner[bill.partner_id] |= bill
        recent = set(months[-2:])
        # the demo resident (login ``resident``) keeps the recent months to pay on the portal
        resident_user = self.env.ref("property_base.user_resident_demo", raise_if_not_found=False)
        pending = []
        for partner, partner_bills in by_partner.items():
            if rng.random() > PAYING_SHARE:
                continue
            to_pay = partner_bills.filtered(
                lambda b: (
                    b.period_start not in recent
                    or (
                        rng.random() < 0.8
                        and not (resident_user and b.partner_id == resident_user.partner_id)
                    )
                )
            )
            if not to_pay:
                continue
            lines = to_pay.receivable_line_ids.filtered(lambda x: not x.reconciled)
            date = min(max(to_pay.mapped("date_due")), today)
            for account in lines.account_id:
                account_lines = lines.filtered(lambda x: x.account_id == account)  # noqa: B023
                company = account_lines.company_id[:1]
                if company not in journals:
                    journals[company] = self.env["account.journal"].search(
                        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
                    )
                journal = journals[company]
                if not journal:
                    continue
                vals = {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": sum(account_lines.mapped("amount_residual")),
                    "journal_id": journal.id,
                    "destination_account_id": account.id,
                    "date": date,
                }
                pending.append((company, account_lines, vals))
        # one create and one posting per company, then each payment reconciled with its bills
        for company in {item[0] for item in pending}:
            items = [item for item in pending if item[0] == company]
            payments = self.env["account.payment"].with_company(company).create([item[2] for item in items])
            payments.action_post()
            for payment, (_company, account_lines, _vals) in zip(payments, items, strict=True):
                account = account_lines.account_id
                line = payment.move_id.line_ids.filtered(lambda x: x.account_id == account)  # noqa: B023
                (line | account_lines).reconcile()

    def _demo_history_requests(self, months, today, rng):
        """Requests raised by residents over the months, finished, confirmed, rated (3–5,
        sometimes 2: the complaint engine opens a complaint) and closed."""
        Request = self.env["property.request"]
        units = self.env["property.unit"].search([("owner_id", "!=", False)])
        categories = self.env["property.request.category"].search([])
        technicians = self.env["hr.employee"].search([("is_property_technician", "=", True)])
        if not (units and categories and technicians):
            return
        now = fields.Datetime.now()
        for month in months:
            days = ((month + relativedelta(months=1)) - month).days
            if month == months[-1]:
                days = max(today.day - 1, 0)
            for _i in range(REQUESTS_PER_MONTH if days else 0):
                unit = rng.choice(units)
                reported = datetime.combine(
                    month + timedelta(days=rng.randrange(days)), time(rng.randrange(1, 11))
                )
                request = Request.create(
                    {
                        "name": "/",
                        "estate_id": unit.estate_id.id,
                        "building_id": unit.building_id.id,
                        "unit_id": unit.id,
                        "partner_id": unit.owner_id.id,
                        "category_id": rng.choice(categories).id,
                        "source": rng.choice(("front_desk", "phone", "portal")),
                        "description": "报修",
                        "technician_id": rng.choice(technicians).id,
                    }
                )
                request.action_assign()
                request.action_accept()
                request.action_start()
                request.action_done()
                request.action_resident_confirm()
                rating = rng.choice("2345555444") if rng.random() < 0.95 else "2"
                request.write({"rating": rating, "followup_note": "回访完成"})
                request.action_record_followup()
                request.action_close()
                done = reported + timedelta(hours=rng.uniform(2, 40))
                request.write(
                    {
                        "request_date": reported,
                        "assigned_date": reported + timedelta(minutes=20),
                        "accepted_date": reported + timedelta(minutes=40),
                        "started_date": reported + timedelta(hours=1),
                        "done_date": min(done, now),
                        "resident_confirmed_date": min(done + timedelta(hours=2), now),
                        "followup_date": min(done + timedelta(days=1), now),
                        "closed_date": min(done + timedelta(days=1), now),
                    }
                )

    def _demo_history_readings(self, months, rng):
        """A reading every two days through the IoT ingestion for a few meters, from about
        ``months`` + 1 months back to a month ago (the demo's own month of data follows)."""
        meters = self.env["property.iot.device"].search([("meter_type", "!=", False)], limit=HISTORY_METERS)
        if not meters:
            return
        now = datetime.now().replace(minute=0, second=0, microsecond=0)
        end = now - timedelta(days=31)
        start = max(end - relativedelta(months=months + 1), now - timedelta(days=395))
        messages, seq = [], 0
        for meter in meters:
            metric = "energy" if meter.kind == "electricity_meter" else "volume"
            daily = 8.0 if metric == "energy" else 0.4
            register, ts = 0.0, start.replace(hour=4)
            while ts < end:
                season = 1.3 if ts.month in (1, 2, 7, 8, 12) else 1.0
                register += 2 * daily * season * rng.uniform(0.8, 1.2)
                seq += 1
                body = {"ts": ts.isoformat() + "Z", "seq": seq, "values": {metric: round(register, 3)}}
                topic = f"property/{meter.estate_id.code}/{meter.identifier}/telemetry"
                messages.append(Message(topic, json.dumps(body).encode()))
                ts += timedelta(days=2)
        IngestProcessor().process(self.env, messages)
        _logger.info("Demo history: %s meter readings", len(messages))
