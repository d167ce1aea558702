"""Forms of the fair pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiangtan_jobs.core.enums import WorkType


class ExhibitorSearchForm(forms.Form):
    q = forms.CharField(label=_("工种或技能"), required=False, max_length=20)
    work_type = forms.ChoiceField(label=_("用工形式"), required=False, choices=[("", _("不限")), *WorkType.choices])


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("入场码"),
        max_length=40,
        help_text=_("扫码结果或手工输入入场码（12 位，短横线可以不输）"),
        error_messages={"required": _("请输入入场码或扫描入场券上的二维码")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "autofocus": True}
        ),
    )
