"""What every router of the residents' API shares: the error answers, the savepoint around each
endpoint, the bearer-token dependency, and the input types of the pydantic schemas.

Errors keep the API's shape, ``{"error": code, "message": text}``: the OCA ``fastapi`` addon
lets exceptions bubble up to Odoo, so the app's middleware (``ApiErrorMiddleware``) turns them
into these answers. An endpoint that raises leaves nothing behind (``savepoint``); one that must
keep a write while refusing (a counted wrong code, a rate-limit hit) *returns* ``error(...)``."""

import logging
from typing import Annotated

from fastapi import Depends
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse
from werkzeug.exceptions import NotFound

from odoo import fields
from odoo.api import Environment
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.fastapi.context import odoo_env_ctx
from odoo.addons.fastapi.dependencies import odoo_env

from ..controllers.household import Household
from ..schemas import Error

_logger = logging.getLogger(__name__)

WECHAT_TIMEOUT = 10


# ----------------------------------------------------------------------------------- errors
class ApiError(Exception):
    """A refusal with its status: the endpoint's writes are rolled back."""

    def __init__(self, status, code, message=""):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def error(status, code, message=""):
    """A refusal answered without raising: what the endpoint wrote so far stays (counted tries)."""
    return JSONResponse({"error": code, "message": message}, status_code=status)


ERRORS = {
    400: {"model": Error, "description": "Refused: invalid input (the message says why)"},
    404: {"model": Error, "description": "Not found in the resident's household"},
}
AUTH_ERRORS = {401: {"model": Error, "description": "Missing, invalid or expired token"}, **ERRORS}
LIMIT_ERRORS = {429: {"model": Error, "description": "Too many attempts"}, **ERRORS}

# pydantic error types -> the message the resident reads (%s: the field)
VALIDATION_MESSAGES = {
    "missing": "%s is required.",
    "required": "%s is required.",
    "string_type": "%s must be a string.",
    "int_type": "%s must be an integer.",
    "int_parsing": "%s must be an integer.",
    "datetime_type": "%s must be a date and time (YYYY-MM-DD HH:MM:SS).",
}


def _env():
    try:
        return odoo_env_ctx.get()
    except LookupError:
        return request.env


def _validation_error(exc):
    env = _env()
    errors = exc.errors()
    first = errors[0] if errors else {}
    loc = [part for part in first.get("loc", ()) if part != "body"]
    if first.get("loc", ("",))[0] == "path":
        return 404, "not_found", ""
    if first.get("type") == "json_invalid":
        return 400, "bad_request", env._("The request body is not valid JSON.")
    if not loc:
        return 400, "bad_request", env._("The request body must be a JSON object.")
    message = VALIDATION_MESSAGES.get(first.get("type"))
    field = str(loc[0])
    if message == VALIDATION_MESSAGES["missing"]:
        return 400, "bad_request", env._("%s is required.", field)
    if message == VALIDATION_MESSAGES["string_type"]:
        return 400, "bad_request", env._("%s must be a string.", field)
    if message == VALIDATION_MESSAGES["int_type"]:
        return 400, "bad_request", env._("%s must be an integer.", field)
    if message == VALIDATION_MESSAGES["datetime_type"]:
        return 400, "bad_request", env._("%s must be a date and time (YYYY-MM-DD HH:MM:SS).", field)
    return 400, "bad_request", env._("A value has the wrong type or format.")


def error_answer(exc, path=""):
    """(status, code, message) of an exception the API answers, or None (Odoo answers 500)."""
    if isinstance(exc, ApiError):
        return exc.status, exc.code, exc.message
    if isinstance(exc, RequestValidationError):
        return _validation_error(exc)
    if isinstance(exc, NotFound | MissingError):
        return 404, "not_found", ""
    if isinstance(exc, StarletteHTTPException):
        codes = {404: "not_found", 405: "method_not_allowed"}
        return exc.status_code, codes.get(exc.status_code, "http_error"), ""
    if isinstance(exc, UserError | ValidationError | AccessError):
        return 400, "refused", str(exc)
    if isinstance(exc, TypeError | ValueError | KeyError | AttributeError):
        _logger.info("Resident API: unusable input on %s: %r", path, exc)
        return 400, "bad_request", _env()._("A value has the wrong type or format.")
    return None


class ApiErrorMiddleware:
    """ASGI middleware of the app: known failures become ``{"error", "message"}`` answers with
    their status; anything else goes on to Odoo (logged, 500, transaction rolled back)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception as exc:
            answer = None if started else error_answer(exc, scope.get("path", ""))
            if answer is None:
                raise
            status, code, message = answer
            await error(status, code, message)(scope, receive, send)


def request_lang(env: Annotated[Environment, Depends(odoo_env)]):
    """The portal's helpers translate with request.env: in the language the endpoint's env got
    from Accept-Language."""
    if env.lang and request.env.lang != env.lang:
        request.update_context(lang=env.lang)


def savepoint(env: Annotated[Environment, Depends(odoo_env)]):
    """Run the endpoint in a savepoint: when it raises, none of its writes stay."""
    with env.cr.savepoint():
        yield


# ----------------------------------------------------------------------------------- auth
bearer = HTTPBearer(auto_error=False, description="The token answered by a login")


def authenticated_household(
    env: Annotated[Environment, Depends(odoo_env)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Household:
    """The household of the resident whose bearer token the request carries (valid, unexpired,
    of an active user: see property.portal.api.token). The request then runs as that portal
    user, the same way as the portal's pages: record rules decide what they reach."""
    token = credentials.credentials.strip() if credentials else ""
    user = env["property.portal.api.token"].sudo()._authenticate(token)
    if not user:
        raise ApiError(401, "unauthorized")
    # the portal's helpers read request.env; the endpoint's company is not the resident's
    context = {key: value for key, value in env.context.items() if key != "allowed_company_ids"}
    request.update_env(user=user.id, context=context)
    return Household(request.env, user.partner_id)


AuthenticatedHousehold = Annotated[Household, Depends(authenticated_household)]


def bearer_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    return credentials.credentials.strip() if credentials else ""


def wxa_client(env):
    """The mini-program's WeChat client, or None when the app id and secret are not set."""
    params = env["ir.config_parameter"].sudo()
    appid, secret = (
        params.get_param("property_portal.wxa_appid"),
        params.get_param("property_portal.wxa_secret"),
    )
    if not appid or not secret:
        return None
    from wechatpy import WeChatClient

    return WeChatClient(appid, secret, timeout=WECHAT_TIMEOUT)


# ----------------------------------------------------------------------------------- outputs
def money(amount):
    return round(amount or 0.0, 2)


def dt(value):
    return fields.Datetime.to_string(value) if value else None


def base_url():
    return request.httprequest.host_url.rstrip("/")
