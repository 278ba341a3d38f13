from fastapi import APIRouter, Depends
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from odoo import fields, models

API_VERSION = "1.0.0"


class FastapiEndpoint(models.Model):
    """The residents' API (WeChat mini-program, app): app ``property_portal`` of OCA fastapi.
    Its record (data/fastapi_endpoint_data.xml) mounts it on /api/portal/v1."""

    _inherit = "fastapi.endpoint"

    app = fields.Selection(
        selection_add=[("property_portal", "Resident API")], ondelete={"property_portal": "cascade"}
    )

    def _get_fastapi_routers(self) -> list[APIRouter]:
        if self.app == "property_portal":
            from ..routers import ROUTERS

            return ROUTERS
        return super()._get_fastapi_routers()

    def _get_fastapi_app_middlewares(self) -> list[Middleware]:
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app == "property_portal":
            from ..routers.common import ApiErrorMiddleware

            # the mini-program's web view and H5 pages call from other origins; no cookie counts
            middlewares = [
                *middlewares,
                Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"]),
                Middleware(ApiErrorMiddleware),
            ]
        return middlewares

    def _get_fastapi_app_dependencies(self) -> list[Depends]:
        dependencies = super()._get_fastapi_app_dependencies()
        if self.app == "property_portal":
            from ..routers.common import request_lang

            dependencies = [*dependencies, Depends(request_lang)]
        return dependencies

    def _prepare_fastapi_app_params(self):
        params = super()._prepare_fastapi_app_params()
        if self.app == "property_portal":
            params["version"] = API_VERSION
        return params
