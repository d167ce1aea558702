"""Accounts: one user model for seekers, operators and bureau staff."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models

from xiangtan_jobs.common.masking import mask_name
from xiangtan_jobs.common.models import choices_constraint
from xiangtan_jobs.common.validators import NameTextValidator
from xiangtan_jobs.core.enums import UserRole

SEEKER_USERNAME_PREFIX = "s_"


def seeker_username() -> str:
    """A new seeker account's username: random, never the phone (the phone lives only encrypted in
    the registration; logging in by phone goes through its digest, core/auth_backends.py)."""
    return f"{SEEKER_USERNAME_PREFIX}{secrets.token_hex(8)}"


class User(AbstractUser):
    """A person who logs in. Seekers type their mobile number, which is found through the digest of
    their registration's phone; their ``username`` is an opaque random value (seeker_username)."""

    role = models.CharField("角色", max_length=16, choices=UserRole.choices, default=UserRole.SEEKER)
    display_name = models.CharField("显示名称", max_length=64, blank=True, validators=[NameTextValidator()])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [choices_constraint("role", UserRole, "user_role_valid")]

    def __str__(self) -> str:
        # A seeker's account is named by their full name; staff pages ("changed by", history rows)
        # show it masked like every other list of seekers.
        if self.role == UserRole.SEEKER:
            return mask_name(self.display_name) if self.display_name else "求职者"
        return self.display_name or self.username

    @property
    def is_operator(self) -> bool:
        return self.role == UserRole.OPERATOR

    @property
    def is_bureau(self) -> bool:
        return self.role == UserRole.BUREAU

    @property
    def is_seeker(self) -> bool:
        return self.role == UserRole.SEEKER
