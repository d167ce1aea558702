"""Log in by mobile number without the number being anyone's username.

A seeker's ``username`` is random (``seeker_username``); the number they type is normalised and
found through the keyed digest of their current registration's phone (the same look-up as
everywhere else: ``SeekerQuerySet.by_phone``). Staff log in with their username as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from xiangtan_jobs.common.validators import is_mobile, normalize_mobile
from xiangtan_jobs.core.models import SeekerRegistration, User


def seeker_account_by_phone(phone: str) -> User | None:
    """The account of the current registration with this (normalised) phone, if it has one."""
    registration = (
        SeekerRegistration.objects.current().by_phone(phone).filter(user__isnull=False).select_related("user").first()
    )
    return registration.user if registration is not None else None


class PhoneOrUsernameBackend(ModelBackend):
    """A mobile number finds the seeker by its digest; anything else is a (staff) username."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        phone = normalize_mobile(username or "")
        if password is not None and is_mobile(phone):
            user = seeker_account_by_phone(phone)
            if user is not None:
                if user.check_password(password) and self.user_can_authenticate(user):
                    return user
                return None
        # Not a registered number: a username (staff; a phone-like staff username still works).
        found = super().authenticate(request, username=username, password=password, **kwargs)
        return found if isinstance(found, User) else None
