"""Forms of the gig markets' public pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import CheckinPurpose


class CheckinForm(forms.Form):
    """What the seeker came to the market for today (one person-time of that kind)."""

    kind = forms.ChoiceField(
        label=_("您今天来办什么事？"),
        choices=CheckinPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择一项，再点「签到」。"),
            "invalid_choice": _("请从下面的选项里选一项。"),
        },
    )
