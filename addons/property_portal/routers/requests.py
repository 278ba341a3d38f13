"""Repair requests: submit, follow, confirm, reject or rate; the category suggested for a text."""

from fastapi import APIRouter, Depends
from werkzeug.exceptions import NotFound

from ..controllers.portal import ResidentPortal
from ..schemas import RequestActionIn, RequestIn, RequestOut, RequestsOut, SuggestIn, SuggestOut
from .common import AUTH_ERRORS, AuthenticatedHousehold, dt, savepoint

router = APIRouter(
    tags=["requests"], dependencies=[Depends(savepoint, scope="function")], responses=AUTH_ERRORS
)


def request_json(record):
    return RequestOut(
        id=record.id,
        name=record.name,
        description=record.description or None,
        state=record.state,
        category=record.category_id.name or None,
        technician=record.technician_id.name or None,
        eta=dt(record.preferred_time_from or record.resolution_deadline),
        rating=record.rating or None,
        reported_on=dt(record.request_date),
    )


@router.get("/requests", summary="The household's repair requests")
def requests_list(household: AuthenticatedHousehold) -> RequestsOut:
    records = household.search("property.request", "request", limit=100, order="request_date desc, id desc")
    return RequestsOut(requests=[request_json(r) for r in records])


@router.post("/requests", summary="Submit a repair request", status_code=201)
def request_create(household: AuthenticatedHousehold, data: RequestIn) -> RequestOut:
    unit = household.unit(data.unit_id)
    if not unit:
        raise NotFound()
    vals = {"unit_id": unit.id, "description": data.description}
    category = household.env["property.request.category"].sudo().browse(data.category_id)
    if category.exists():
        vals["category_id"] = category.id
    record = household.env["property.request"]._portal_create_request(household.partner, vals)
    return request_json(record)


@router.post("/requests/suggest", summary="Category suggested by the classifier for a text")
def request_suggest(household: AuthenticatedHousehold, data: SuggestIn) -> SuggestOut:
    return SuggestOut(**ResidentPortal()._suggest_category(data.text))


@router.get("/requests/{request_id}", summary="A request: state, technician, ETA, rating")
def request_detail(household: AuthenticatedHousehold, request_id: int) -> RequestOut:
    record = household.get("property.request", "request", request_id)
    if not record:
        raise NotFound()
    return request_json(record)


@router.post(
    "/requests/{request_id}/{action}", summary="confirm, reject (reason) or rate (rating 1-5, comment)"
)
def request_action(
    household: AuthenticatedHousehold, request_id: int, action: str, data: RequestActionIn | None = None
) -> RequestOut:
    record = household.get("property.request", "request", request_id)
    if not record:
        raise NotFound()
    ResidentPortal()._request_action(record, action, (data or RequestActionIn()).model_dump())
    return request_json(record)
