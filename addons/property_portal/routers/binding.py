"""Self-binding for the mini-program: the estates, buildings and units to choose from, a code to
the phone, and the binding itself (with an optional wx.login code, so that WeChat is bound too).
The same functions as the website's binding page (controllers/binding.py)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env

from ..controllers.binding import (
    BindingError,
    bind_with_code,
    binding_estates,
    binding_options,
    send_binding_code,
)
from ..schemas import BindIn, BindOptionsOut, BindOtpIn, BindOut, Id, Sent
from .common import LIMIT_ERRORS, error, savepoint, wxa_client

router = APIRouter(
    tags=["binding"], dependencies=[Depends(savepoint, scope="function")], responses=LIMIT_ERRORS
)


@router.get(
    "/bind/options",
    summary="Self-binding: the estates; with estate_id its buildings; with building_id its units",
    response_model_exclude_none=True,
)
def bind_options(
    estate_id: Annotated[Id, Query()] = 0, building_id: Annotated[Id, Query()] = 0
) -> BindOptionsOut:
    if not estate_id and not building_id:
        return BindOptionsOut(estates=[{"id": e.id, "name": e.name} for e in binding_estates()])
    return BindOptionsOut(options=binding_options(estate_id, building_id))


@router.post(
    "/bind/otp",
    summary="Self-binding: send a one-time code to any mobile number (rate-limited per phone and IP)",
)
def bind_otp(data: BindOtpIn) -> Sent:
    try:
        send_binding_code(data.phone)
    except BindingError as err:
        return error(400, "refused", str(err))
    return Sent()


@router.post(
    "/bind",
    summary="Self-binding: claim a unit with the proven phone",
    description="Bound at once with a bearer token when the phone is on file for the unit's "
    "occupants (status bound); otherwise the request waits for the front desk (status pending). "
    "`wechat_code` (wx.login) binds WeChat too.",
    response_model_exclude_none=True,
)
def bind(env: Annotated[Environment, Depends(odoo_env)], data: BindIn) -> BindOut:
    openid = False
    if data.wechat_code:
        client = wxa_client(env)
        if client is None:
            return error(503, "wechat_not_configured")
        from wechatpy.exceptions import WeChatException

        try:
            openid = client.wxa.code_to_session(data.wechat_code).get("openid")
        except (WeChatException, OSError):
            return error(401, "invalid_code")
    values = data.model_dump(include={"phone", "code", "unit_id", "name", "role"})
    try:
        record = bind_with_code(values, "api", wechat_openid=openid)
    except BindingError as err:
        return error(400, "refused", str(err))
    if record.state == "bound":
        token = env["property.portal.api.token"].sudo()._issue(record.user_id, "otp")
        return BindOut(
            status="bound", token=token, token_type="Bearer", partner={"name": record.partner_id.name}
        )
    return BindOut(status="pending", request_id=record.id)
