"""Login: a one-time code by SMS, or the mini-program's wx.login code; sign out."""

import logging
from typing import Annotated

from fastapi import APIRouter, Depends

from odoo.api import Environment
from odoo.exceptions import AccessDenied

from odoo.addons.fastapi.dependencies import odoo_env

from ..models.property_binding_request import normalize_phone
from ..schemas import Ok, OtpLoginIn, OtpSendIn, Sent, TokenOut, WechatLoginIn
from ..tools import rate_limit
from .common import LIMIT_ERRORS, AuthenticatedHousehold, bearer_token, error, savepoint, wxa_client

_logger = logging.getLogger(__name__)

router = APIRouter(tags=["auth"], dependencies=[Depends(savepoint, scope="function")], responses=LIMIT_ERRORS)

Env = Annotated[Environment, Depends(odoo_env)]


def users_by_phone(env, phone):
    """The active portal user whose partner has this (normalized) mobile or phone number."""
    if len(phone) < 6:
        return env["res.users"]
    partners = (
        env["res.partner"]
        .sudo()
        .search(["|", ("mobile", "like", phone[-8:]), ("phone", "like", phone[-8:])], limit=20)
        .filtered(lambda p: phone in (normalize_phone(p.mobile), normalize_phone(p.phone)))
    )
    return partners.user_ids.filtered(lambda u: u.active and u._is_portal())[:1]


def token_answer(env, user, method):
    token = env["property.portal.api.token"].sudo()._issue(user, method)
    return TokenOut(token=token, partner={"name": user.partner_id.name})


@router.post("/otp/send", summary="Send a one-time login code by SMS (rate-limited per phone and IP)")
def otp_send(env: Env, data: OtpSendIn) -> Sent:
    """The same answer whether the phone is known or not: no phone enumeration."""
    phone = data.phone
    if not phone:
        return error(400, "phone_required")
    limits = (rate_limit.OTP_SEND_LIMIT, rate_limit.OTP_SEND_IP_LIMIT, rate_limit.OTP_SEND_PHONE_LIMIT)
    if rate_limit.rate_limited("otp", phone, *limits):
        return error(429, "too_many_requests")
    user = users_by_phone(env, phone)
    if user:
        code = env["property.portal.rate.limit"].sudo()._otp_issue(phone)
        env["res.partner"].sudo()._portal_send_otp(phone, code, company=user.company_id)
    return Sent()


@router.post(
    "/login/otp",
    summary="Log in with phone number and one-time code; returns a bearer token",
    responses={401: {"description": "Wrong or expired code"}},
)
def login_otp(env: Env, data: OtpLoginIn) -> TokenOut:
    phone = data.phone
    if rate_limit.rate_limited("login", phone, rate_limit.LOGIN_LIMIT, rate_limit.LOGIN_IP_LIMIT):
        return error(429, "too_many_requests")
    try:
        env["property.portal.rate.limit"].sudo()._otp_check(phone, data.code)
    except AccessDenied:
        return error(401, "invalid_code")
    user = users_by_phone(env, phone)
    if not user:
        return error(401, "invalid_code")
    return token_answer(env, user, "otp")


@router.post(
    "/login/wechat",
    summary="Log in with a mini-program wx.login code (code2session); the first login binds WeChat "
    "to the invited resident proving their phone (phone + otp)",
    responses={
        401: {"description": "WeChat refused the code"},
        403: {"description": "not_bound: prove the phone (phone + otp) to bind WeChat"},
        503: {"description": "The mini-program's app id and secret are not set"},
    },
)
def login_wechat(env: Env, data: WechatLoginIn) -> TokenOut:
    phone = data.phone
    if rate_limit.rate_limited("login", phone, rate_limit.LOGIN_LIMIT, rate_limit.LOGIN_IP_LIMIT):
        return error(429, "too_many_requests")
    client = wxa_client(env)
    if client is None:
        return error(503, "wechat_not_configured")
    from wechatpy.exceptions import WeChatException

    try:
        session = client.wxa.code_to_session(data.code)
    except (WeChatException, OSError) as err:
        _logger.info("WeChat code2session failed: %s", err)
        return error(401, "invalid_code")
    openid = session.get("openid")
    if not openid:
        return error(401, "invalid_code")
    partner = env["res.partner"].sudo().search([("wechat_openid", "=", openid)], limit=1)
    user = partner.user_ids.filtered(lambda u: u.active and u._is_portal())[:1]
    if user:
        return token_answer(env, user, "wechat")
    # not bound: bind to the invited resident proving their phone
    try:
        env["property.portal.rate.limit"].sudo()._otp_check(phone, data.otp)
    except AccessDenied:
        return error(403, "not_bound", "Verify your phone number to bind WeChat.")
    user = users_by_phone(env, phone)
    if not user:
        return error(403, "not_bound")
    user.partner_id.sudo().write({"wechat_openid": openid, "wechat_unionid": session.get("unionid") or False})
    return token_answer(env, user, "wechat")


@router.post("/logout", summary="Revoke the bearer token")
def logout(env: Env, token: Annotated[str, Depends(bearer_token)]) -> Ok:
    if token:
        env["property.portal.api.token"].sudo()._revoke(token)
    return Ok()


@router.post("/logout/all", summary="Sign out everywhere: revoke every token of the resident")
def logout_all(env: Env, household: AuthenticatedHousehold) -> Ok:
    env["property.portal.api.token"].sudo()._revoke_users(household.env.user)
    return Ok()
