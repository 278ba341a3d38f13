"""Pydantic schemas of the residents' API (routers/): request bodies and answers.

Input types keep the API's tolerance and its limits: a text field takes a string or a number and
is cut to its size, an id is an integer or a string of digits, a missing optional value is
"absent" ("" or null alike)."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from odoo import fields

from .models.property_binding_request import normalize_phone


# ----------------------------------------------------------------------------------- inputs
def _text(size):
    """A string of at most ``size`` characters (numbers accepted; longer is cut; "" = absent)."""

    def check(value):
        if value is None or value == "":
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise PydanticCustomError("string_type", "must be a string")
        return str(value)[:size]

    return Annotated[str, BeforeValidator(check)]


def _required(value):
    if value is None or value == "":
        raise PydanticCustomError("required", "is required")
    return value


def _required_text(size):
    return Annotated[_text(size), BeforeValidator(_required)]


def _id(value):
    """An id: an integer or a string of digits; absent or "" is 0."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, str) and value.isdigit())
    ):
        raise PydanticCustomError("int_type", "must be an integer")
    return int(value)


def _timestamp(value):
    """ "YYYY-MM-DD HH:MM:SS" (UTC) as a datetime; absent is None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PydanticCustomError("datetime_type", "must be a date and time")
    try:
        return fields.Datetime.to_datetime(value)
    except ValueError as err:
        raise PydanticCustomError("datetime_type", "must be a date and time") from err


Text = _text
RequiredText = _required_text
Id = Annotated[int, BeforeValidator(_id)]
Timestamp = Annotated[
    datetime | None,
    BeforeValidator(_timestamp),
    Field(description="YYYY-MM-DD HH:MM:SS, UTC"),
]


def _strict_text(size):
    """A string (nothing else) of at most ``size`` characters; absent is ""."""

    def check(value):
        if value is None or value == "":
            return ""
        if not isinstance(value, str):
            raise PydanticCustomError("string_type", "must be a string")
        return value[:size]

    return Annotated[str, BeforeValidator(check)]


def _ids(value):
    """A list of ids; what is not a number is left out."""
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise PydanticCustomError("list_type", "must be a list")
    return [int(i) for i in value if not isinstance(i, bool) and str(i).isdigit()]


StrictText = _strict_text
Ids = Annotated[list[int], BeforeValidator(_ids)]
# any value; digits kept, the last 11 (a Chinese mobile number): not a string is no phone
Phone = Annotated[str, BeforeValidator(normalize_phone), Field(description="Mobile number")]
# only a JSON true confirms
Confirm = Annotated[bool, BeforeValidator(lambda value: value is True)]


# ----------------------------------------------------------------------------------- common
class Error(BaseModel):
    """Every refusal of the API."""

    error: str = Field(description="A code: unauthorized, not_found, bad_request, refused, ...")
    message: str = Field("", description="What to correct, in the resident's language")


class Ok(BaseModel):
    ok: bool = True


class Sent(BaseModel):
    sent: bool = True


class Named(BaseModel):
    id: int
    name: str


# ----------------------------------------------------------------------------------- auth
class OtpSendIn(BaseModel):
    phone: Phone = ""


class OtpLoginIn(BaseModel):
    phone: Phone = ""
    code: Text(12) = ""


class WechatLoginIn(BaseModel):
    code: Text(256) = Field("", description="The code of wx.login")
    phone: Phone = Field("", description="To bind WeChat at the first login")
    otp: Text(12) = Field("", description="The one-time code sent to the phone")


class PartnerOut(BaseModel):
    name: str


class TokenOut(BaseModel):
    token: str
    token_type: str = "Bearer"
    partner: PartnerOut


# ----------------------------------------------------------------------------------- binding
class BindOptionsOut(BaseModel):
    estates: list[Named] | None = Field(None, description="Without estate_id nor building_id")
    options: list[Named] | None = Field(None, description="An estate's buildings or a building's units")


class BindOtpIn(BaseModel):
    phone: Text(32) = ""


class BindIn(BaseModel):
    phone: RequiredText(32)
    code: RequiredText(12)
    unit_id: Id = 0
    name: RequiredText(64)
    role: RequiredText(16) = Field(description="owner, tenant or family")
    wechat_code: Text(256) = Field("", description="A wx.login code: binds WeChat too")


class BindOut(BaseModel):
    status: str = Field(description="bound (with a token) or pending (the front desk decides)")
    token: str | None = None
    token_type: str | None = None
    partner: PartnerOut | None = None
    request_id: int | None = None


# ----------------------------------------------------------------------------------- dashboard
class UnitOut(BaseModel):
    id: int
    code: str
    estate: str


class TitleOut(BaseModel):
    id: int
    title: str


class EventBrief(BaseModel):
    id: int
    name: str
    date_begin: str | None


class MeOut(BaseModel):
    name: str
    units: list[UnitOut]
    amount_due: float
    open_requests: int
    announcements: list[TitleOut]
    events: list[EventBrief]


# ----------------------------------------------------------------------------------- bills
class ReadingOut(BaseModel):
    date: str | None
    value: float
    consumption: float


class BillLineOut(BaseModel):
    fee: str
    description: str | None
    quantity: float
    price_unit: float
    amount: float
    readings: list[ReadingOut]


class BillOut(BaseModel):
    id: int
    name: str
    period_start: str | None
    date_due: str | None
    amount_total: float
    amount_residual: float
    state: str


class BillDetailOut(BillOut):
    lines: list[BillLineOut]


class BillsOut(BaseModel):
    bills: list[BillOut]


class ProviderOut(BaseModel):
    id: int
    code: str
    name: str


class ProvidersOut(BaseModel):
    amount: float
    providers: list[ProviderOut]


class BillPayIn(BaseModel):
    bill_ids: Ids = []
    provider_id: Id = Field(0, description="A provider of /bills/payment_providers")
    provider: Text(32) = Field("", description="Or the provider's code (default wechatpay)")
    payment_method_id: Id = 0


class PaymentStartOut(BaseModel):
    """The transaction's reference and amount, and the gateway's values (JSAPI parameters inside
    the mini-program, or a redirect/QR form)."""

    model_config = ConfigDict(extra="allow")

    reference: str
    amount: float


class PaymentOut(BaseModel):
    id: int
    reference: str
    amount: float
    state: str
    provider: str | None
    date: str | None
    bills: list[str]


class PaymentsOut(BaseModel):
    payments: list[PaymentOut]


# ----------------------------------------------------------------------------------- requests
class RequestIn(BaseModel):
    unit_id: Id = 0
    description: RequiredText(5000)
    category_id: Id = 0


class RequestOut(BaseModel):
    id: int
    name: str
    description: str | None
    state: str
    category: str | None
    technician: str | None
    eta: str | None
    rating: str | None
    reported_on: str | None


class RequestsOut(BaseModel):
    requests: list[RequestOut]


class SuggestIn(BaseModel):
    text: Text(1000) = ""


class SuggestOut(BaseModel):
    category_id: int | bool
    category_name: str | None = None
    confidence: float | None = None


class RequestActionIn(BaseModel):
    reason: StrictText(5000) = Field("", description="reject: why")
    rating: Text(8) = Field("", description="rate: 1 to 5")
    comment: StrictText(5000) = Field("", description="rate: a comment")


# ----------------------------------------------------------------------------------- community
class AnnouncementOut(BaseModel):
    id: int
    title: str
    urgent: bool
    date: str | None


class AnnouncementsOut(BaseModel):
    announcements: list[AnnouncementOut]


class AnnouncementDetailOut(BaseModel):
    id: int
    title: str
    body: str


class EventOut(BaseModel):
    id: int
    name: str
    date_begin: str | None
    capacity: int
    seats_taken: int
    my_registration: str | None


class EventsOut(BaseModel):
    events: list[EventOut]


class RegistrationOut(BaseModel):
    state: str


class MarketItemOut(BaseModel):
    id: int
    title: str
    price: float
    state: str
    mine: bool


class MarketOut(BaseModel):
    items: list[MarketItemOut]


class ReportIn(BaseModel):
    reason: Text(1000) = ""


class ReportedOut(BaseModel):
    reported: bool = True


class SurveyOut(BaseModel):
    id: int
    title: str
    url: str


class SurveysOut(BaseModel):
    surveys: list[SurveyOut]


class FeedbackIn(BaseModel):
    kind: Text(32) = Field("", description="suggestion or complaint")
    subject: Text(200) = ""
    body: Text(5000) = ""


class FeedbackOut(BaseModel):
    id: int
    subject: str
    state: str
    reply: str | None


class FeedbackListOut(BaseModel):
    feedback: list[FeedbackOut]


class CreatedOut(BaseModel):
    id: int


# ----------------------------------------------------------------------------------- safety
class VisitorIn(BaseModel):
    unit_id: Id = 0
    name: RequiredText(100)
    phone: Text(32) = ""
    purpose: Text(500) = ""
    visit_start: Timestamp = None
    visit_end: Timestamp = None


class VisitorPassOut(BaseModel):
    id: int
    pass_token: str
    pass_url: str


class VisitorOut(BaseModel):
    id: int
    name: str
    state: str
    visit_start: str | None


class VisitorsOut(BaseModel):
    visitors: list[VisitorOut]


class AlarmIn(BaseModel):
    unit_id: Id = 0
    confirm: Confirm = Field(False, description="true: the resident confirmed the alarm")
    alarm_type: Text(32) = Field("", description="fire, intrusion, leak, medical, elevator, other")
    note: Text(1000) = ""


class AlarmOut(BaseModel):
    id: int
    name: str


# ----------------------------------------------------------------------------------- household
class MemberOut(BaseModel):
    name: str
    unit: str
    role: str


class ConsentOut(BaseModel):
    id: int
    purpose: str
    state: str


class HouseholdOut(BaseModel):
    members: list[MemberOut]
    vehicles: list[str]
    consents: list[ConsentOut]


class StateOut(BaseModel):
    state: str
