"""The resident's dashboard, household members, vehicles and consents."""

from fastapi import APIRouter, Depends
from werkzeug.exceptions import NotFound

from ..schemas import HouseholdOut, MeOut, StateOut
from .common import AUTH_ERRORS, AuthenticatedHousehold, dt, money, savepoint

router = APIRouter(
    tags=["household"], dependencies=[Depends(savepoint, scope="function")], responses=AUTH_ERRORS
)


@router.get("/me", summary="Dashboard: units, amount due, open requests, announcements, events")
def me(household: AuthenticatedHousehold) -> MeOut:
    dash = household.dashboard()
    return MeOut(
        name=household.partner.name,
        units=[{"id": u.id, "code": u.code, "estate": u.estate_id.name} for u in household.units],
        amount_due=money(dash["amount_due"]),
        open_requests=dash["open_requests"],
        announcements=[{"id": a.id, "title": a.name} for a in dash["announcements"]],
        events=[{"id": e.id, "name": e.name, "date_begin": dt(e.date_begin)} for e in dash["events"]],
    )


@router.get("/household", summary="Members, vehicles and consents")
def household_members(household: AuthenticatedHousehold) -> HouseholdOut:
    occupancies, plates, consents = household.members()
    return HouseholdOut(
        members=[{"name": o.partner_id.name, "unit": o.unit_id.code, "role": o.role} for o in occupancies],
        vehicles=plates.mapped("name"),
        consents=[{"id": c.id, "purpose": c.purpose, "state": c.state} for c in consents],
    )


@router.post("/consents/{consent_id}/withdraw", summary="Withdraw a consent")
def consent_withdraw(household: AuthenticatedHousehold, consent_id: int) -> StateOut:
    consent = household.get("property.consent", "consent", consent_id)
    if not consent:
        raise NotFound()
    if consent.state == "given":
        consent.action_withdraw(channel="portal")
    return StateOut(state="withdrawn")
