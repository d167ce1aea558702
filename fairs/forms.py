"""Forms of the fair pages."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiangtan_jobs.common.parsing import parse_int
from xiangtan_jobs.common.validators import normalize_mobile, validate_mobile
from xiangtan_jobs.core.enums import WorkType

from .enums import BoothResult


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


class WalkInForm(forms.Form):
    """A seeker at the door without a ticket: registered in under a minute and checked in."""

    name = forms.CharField(label=_("姓名"), max_length=32, error_messages={"required": _("请填写姓名")})
    phone = forms.CharField(label=_("手机号"), max_length=20, error_messages={"required": _("请填写手机号")})
    birth_year = forms.CharField(
        label=_("出生年份"),
        max_length=8,
        required=False,
        help_text=_("4 位数字，例如 1975；已登记过的人可以不填"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    skills = forms.MultipleChoiceField(
        label=_("会做的工作（本场岗位要的，可多选）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    consent = forms.BooleanField(
        label=_("本人已在纸质登记表上签字同意"),
        required=False,
        help_text=_("新登记的人必须先签字"),
    )

    def __init__(self, *args: object, skill_choices: list[tuple[str, str]] | None = None, **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        field = cast(forms.MultipleChoiceField, self.fields["skills"])
        field.choices = skill_choices or []

    def clean_name(self) -> str:
        name = "".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("请填写姓名"), code="required")
        return name

    def clean_phone(self) -> str:
        value = normalize_mobile(self.cleaned_data["phone"])
        validate_mobile(value)
        return value

    def clean_birth_year(self) -> int | None:
        raw = self.cleaned_data.get("birth_year", "")
        if not str(raw).strip():
            return None
        this_year = timezone.localdate().year
        year = parse_int(raw, minimum=1930, maximum=this_year - 16)
        if year is None:
            raise forms.ValidationError(
                _("出生年份应是 1930 到 %(max)s 之间的 4 位数字（年满 16 岁才能登记）") % {"max": this_year - 16},
                code="birth_year_range",
            )
        return year


class BoothOutcomeForm(forms.Form):
    """At a booth: the seeker's ticket (scanned or typed), what came of it, and for which post."""

    code = forms.CharField(
        label=_("入场码"),
        max_length=40,
        help_text=_("扫描求职者的入场券，或输入入场码"),
        error_messages={"required": _("请输入入场码或扫描入场券上的二维码")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    result = forms.ChoiceField(
        label=_("洽谈结果"),
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择洽谈结果")},
    )
    posting = forms.ChoiceField(label=_("哪个岗位"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args: object, postings: list[tuple[str, str]] | None = None, **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        cast(forms.ChoiceField, self.fields["result"]).choices = BoothResult.choices
        field = cast(forms.ChoiceField, self.fields["posting"])
        field.choices = [("", _("不针对具体岗位")), *(postings or [])]
        if postings and len(postings) == 1:
            field.initial = postings[0][0]

    def clean_posting(self) -> int | None:
        return parse_int(self.cleaned_data.get("posting") or "", minimum=1)
