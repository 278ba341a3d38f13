"""Announcements, community events, the neighbours' marketplace, surveys and feedback."""

from fastapi import APIRouter, Depends
from werkzeug.exceptions import NotFound

from ..schemas import (
    AnnouncementDetailOut,
    AnnouncementsOut,
    CreatedOut,
    EventsOut,
    FeedbackIn,
    FeedbackListOut,
    MarketOut,
    RegistrationOut,
    ReportedOut,
    ReportIn,
    SurveysOut,
)
from .common import AUTH_ERRORS, AuthenticatedHousehold, base_url, dt, money, savepoint

router = APIRouter(
    tags=["community"], dependencies=[Depends(savepoint, scope="function")], responses=AUTH_ERRORS
)


@router.get("/announcements", summary="Announcements addressed to the resident")
def announcements(household: AuthenticatedHousehold) -> AnnouncementsOut:
    records = household.search("property.announcement", "announcement", limit=50)
    return AnnouncementsOut(
        announcements=[
            {"id": a.id, "title": a.name, "urgent": a.is_urgent, "date": dt(a.date_published)}
            for a in records
        ]
    )


@router.get("/announcements/{announcement_id}", summary="Read an announcement (records the read receipt)")
def announcement(household: AuthenticatedHousehold, announcement_id: int) -> AnnouncementDetailOut:
    record = household.get("property.announcement", "announcement", announcement_id)
    if not record:
        raise NotFound()
    record._mark_read(household.partner)
    return AnnouncementDetailOut(id=record.id, title=record.name, body=str(record.body or ""))


@router.get("/events", summary="Community events of the estate")
def events(household: AuthenticatedHousehold) -> EventsOut:
    records = household.search("property.community.event", "event", limit=50)
    state_of = {r.event_id.id: r.state for r in household.registrations(records)}
    return EventsOut(
        events=[
            {
                "id": e.id,
                "name": e.name,
                "date_begin": dt(e.date_begin),
                "capacity": e.capacity,
                "seats_taken": e.seats_taken,
                "my_registration": state_of.get(e.id),
            }
            for e in records
        ]
    )


@router.post("/events/{event_id}/{action}", summary="signup or cancel (waiting list when full)")
def event_action(household: AuthenticatedHousehold, event_id: int, action: str) -> RegistrationOut:
    event = household.get("property.community.event", "event", event_id)
    if not event:
        raise NotFound()
    if action == "signup":
        registration = event._portal_sign_up(household.partner, household.units)
        return RegistrationOut(state=registration.state)
    if action == "cancel":
        registration = household.registrations(event)
        if not registration:
            raise NotFound()
        registration.action_cancel()
        return RegistrationOut(state="cancelled")
    raise NotFound()


@router.get("/market", summary="Neighbour marketplace")
def market(household: AuthenticatedHousehold) -> MarketOut:
    items = household.search("property.market.item", "market", limit=60)
    return MarketOut(
        items=[
            {
                "id": i.id,
                "title": i.name,
                "price": money(i.price),
                "state": i.state,
                "mine": i.partner_id == household.partner,
            }
            for i in items
        ]
    )


@router.post("/market/{item_id}/report", summary="Report an inappropriate post", status_code=201)
def market_report(
    household: AuthenticatedHousehold, item_id: int, data: ReportIn | None = None
) -> ReportedOut:
    item = household.get("property.market.item", "market", item_id)
    if not item:
        raise NotFound()
    household.env["property.market.report"].sudo().create(
        {"item_id": item.id, "partner_id": household.partner.id, "reason": (data and data.reason) or "-"}
    )
    return ReportedOut()


@router.get("/surveys", summary="Surveys to answer")
def surveys(household: AuthenticatedHousehold) -> SurveysOut:
    records = household.search("survey.survey", "survey")
    base = base_url()
    return SurveysOut(
        surveys=[{"id": s.id, "title": s.title, "url": f"{base}/my/surveys/{s.id}/start"} for s in records]
    )


@router.get("/feedback", summary="The resident's suggestions and complaints")
def feedback_list(household: AuthenticatedHousehold) -> FeedbackListOut:
    records = household.search("property.feedback", "feedback")
    return FeedbackListOut(
        feedback=[
            {"id": f.id, "subject": f.name, "state": f.state, "reply": f.reply or None} for f in records
        ]
    )


@router.post("/feedback", summary="Send a suggestion or complaint", status_code=201)
def feedback_send(household: AuthenticatedHousehold, data: FeedbackIn) -> CreatedOut:
    record = household.env["property.feedback"]._portal_submit(
        household.partner, household.units[:1], data.kind, data.subject, data.body
    )
    return CreatedOut(id=record.id)
