"""Visitors' passes and the one-click alarm."""

from fastapi import APIRouter, Depends
from werkzeug.exceptions import NotFound

from odoo import fields

from ..schemas import AlarmIn, AlarmOut, VisitorIn, VisitorPassOut, VisitorsOut
from .common import AUTH_ERRORS, AuthenticatedHousehold, base_url, dt, savepoint

router = APIRouter(
    tags=["safety"], dependencies=[Depends(savepoint, scope="function")], responses=AUTH_ERRORS
)


@router.get("/visitors", summary="Visitors of the household")
def visitors(household: AuthenticatedHousehold) -> VisitorsOut:
    records = household.search("property.security.visitor", "visitor", limit=50, order="id desc")
    return VisitorsOut(
        visitors=[
            {"id": v.id, "name": v.name, "state": v.state, "visit_start": dt(v.visit_start)} for v in records
        ]
    )


@router.post("/visitors", summary="Pre-register a visitor; returns the QR pass", status_code=201)
def visitor_register(household: AuthenticatedHousehold, data: VisitorIn) -> VisitorPassOut:
    unit = household.unit(data.unit_id)
    if not unit:
        raise NotFound()
    start = data.visit_start or fields.Datetime.now()
    visitor = household.env["property.security.visitor"]._portal_register(
        household.partner,
        {
            "unit_id": unit.id,
            "name": data.name,
            "phone": data.phone or False,
            "purpose": data.purpose or False,
            "visit_start": start,
            "visit_end": data.visit_end or fields.Datetime.add(start, hours=4),
        },
    )
    return VisitorPassOut(
        id=visitor.id, pass_token=visitor.pass_token, pass_url=f"{base_url()}/my/visitors/{visitor.id}"
    )


@router.post(
    "/alarm",
    summary="One-click alarm at the household's unit (confirm: true; alarm_type: fire, intrusion, "
    "leak, medical, elevator, other)",
    status_code=201,
)
def alarm(household: AuthenticatedHousehold, data: AlarmIn) -> AlarmOut:
    unit = household.unit(data.unit_id)
    if not unit or not data.confirm:
        raise NotFound()
    record = household.env["property.security.alarm"]._raise_from_portal(
        household.partner, unit, data.alarm_type or "other", note=data.note or None
    )
    return AlarmOut(id=record.id, name=record.name)
