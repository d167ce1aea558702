"""The user behind a request that only logged-in users reach (admin pages, login-required views)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from xiangtan_jobs.core.models import User

if TYPE_CHECKING:
    from rest_framework.request import Request


def acting_user(request: HttpRequest | Request) -> User:
    """The request's logged-in user; an anonymous request here is refused (403), never passed on."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
