"""API tokens in the ``Authorization: Bearer xt_…`` header, and the API's actor rules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from xiangtan_jobs.core.admin_scope import StaffRole, staff_role
from xiangtan_jobs.core.models import ApiToken
from xiangtan_jobs.core.services import api_token_authenticate


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """A partner system's token: the request acts for the account that issued it, limited to the
    token's service point (every scoped queryset reads ``api_site_limit``)."""

    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("API 令牌格式不对：应为「Authorization: Bearer 令牌」。"))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("API 令牌无效或已被撤销。")) from None
        token = api_token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("API 令牌无效或已被撤销。"))
        request._request.api_site_limit = token.service_point_id  # type: ignore[attr-defined]  # set per request by the token
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "xiangtan_jobs.core.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "在管理后台「API 令牌」签发的令牌：Authorization: Bearer xt_…",
        }


def is_token_request(request: Request) -> bool:
    return isinstance(getattr(request, "auth", None), ApiToken)


class IsStaffActor(permissions.BasePermission):
    """Operators (their own sites), bureau officers (read-only) and superusers, by session or token,
    under the admin's rules (``core.admin_scope``)."""

    message = gettext_lazy("只有服务点运营人员或人社局工作人员可以使用这个接口。")

    def has_permission(self, request: Request, view: Any) -> bool:
        role = staff_role(request.user)
        if role is StaffRole.NONE:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if role is StaffRole.BUREAU:
            self.message = gettext_lazy("人社局工作人员只能查看，不能修改服务点的数据。")
            return False
        return True


class IsSeekerSession(permissions.BasePermission):
    """A job seeker logged in through the browser (a token never acts for a seeker)."""

    message = gettext_lazy("请先用求职者账号登录。")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and not is_token_request(request) and user.is_seeker)
