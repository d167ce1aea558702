"""The seeker's registration (求职登记) forms: one question group per screen, plain Chinese errors
beside each field. The same groups make up the edit page.

Identifiers are normalised first and then validated (``common.validators``), so 「１３８ ００１３ ８０００」
typed on a phone keyboard is accepted as 13800138000.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiangtan_jobs.common.validators import (
    normalize_mobile,
    normalize_resident_id,
    resident_id_birth_date,
    validate_mobile,
    validate_name_text,
    validate_resident_id,
)
from xiangtan_jobs.core.enums import KeyGroup, SeekerStatus, Shift, SkillLevel, WageUnit, WorkType
from xiangtan_jobs.core.models import SeekerRegistration
from xiangtan_jobs.core.selectors import reference_data

MAX_SKILLS = 3
TRAVEL_CHOICES = [(str(n), _("%(n)s 公里以内") % {"n": n}) for n in (3, 5, 10, 15, 20, 30, 50)]
SHIFT_CHOICES = [("school", _("上学时间段（工作日白天，方便接送孩子）")), *Shift.choices]
UNIT_CHOICES = [(u.value, u.label) for u in (WageUnit.HOUR, WageUnit.DAY, WageUnit.MONTH)]

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PortalForm(forms.Form):
    """Ties each field's error to its input for screen readers (``aria-describedby``)."""

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # Django's hook after clean(); not in the stubs
        for name in self.errors:
            if name in self.fields:
                ids = [f"id_{self.add_prefix(name)}-error"]
                if self.fields[name].help_text:
                    ids.append(f"id_{self.add_prefix(name)}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


def _required(message: StrOrPromise) -> dict[str, Any]:
    return {"required": message, "invalid": message}


# --- step 1: account ------------------------------------------------------------------------


class AccountForm(PortalForm):
    phone = forms.CharField(
        label=_("手机号"),
        max_length=30,
        error_messages=_required(_("请填写手机号，11 位数字")),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("以后用手机号登录"),
    )
    password1 = forms.CharField(
        label=_("设置密码"),
        strip=False,
        max_length=128,
        error_messages=_required(_("请设置密码，至少 8 位，不要全是数字")),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 8 位，字母和数字一起用更安全"),
    )
    password2 = forms.CharField(
        label=_("再输一次密码"),
        strip=False,
        max_length=128,
        error_messages=_required(_("请再输一次密码")),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, password_set: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Coming back to this step: the password chosen before is kept (hashed) unless retyped.
        self.password_set = password_set
        if password_set:
            for name in ("password1", "password2"):
                self.fields[name].required = False
                self.fields[name].help_text = _("密码已设置；不改就留空")

    def clean_phone(self) -> str:
        phone = normalize_mobile(self.cleaned_data["phone"])
        validate_mobile(phone)
        # Whether the number is registered is not said here: the last screen answers alike for a
        # phone or an ID number already registered (registration_submit), so this screen cannot be
        # used to find out who is registered.
        return phone

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", ValidationError(_("两次输入的密码不一样，请重新输入"), code="mismatch"))
        elif p1:
            try:
                validate_password(p1, get_user_model()(username=data.get("phone", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


# --- step 2: about you --------------------------------------------------------------------------


def _town_choices() -> list[tuple[str, str]]:
    ref = reference_data()
    return [(str(pk), name) for towns in ref.towns.values() for pk, name in towns]


class PersonForm(PortalForm):
    name = forms.CharField(
        label=_("姓名"),
        max_length=32,
        error_messages=_required(_("请填写姓名")),
        widget=forms.TextInput(),
        validators=[validate_name_text],
    )
    birth_year = forms.IntegerField(
        label=_("出生年份"),
        error_messages=_required(_("请填写出生年份，4 位数字，例如 1975")),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "1975"}),
    )
    town = forms.ChoiceField(
        label=_("住在哪个街道或乡镇"),
        choices=_town_choices,
        error_messages={"required": _("请选择住的街道或乡镇"), "invalid_choice": _("请从列表里选择街道或乡镇")},
        help_text=_("用来推荐离家近的工作"),
    )
    id_number = forms.CharField(
        label=_("身份证号（可不填）"),
        required=False,
        max_length=30,
        help_text=_("填了可以在服务点办理更多服务；我们加密保存"),
    )

    def clean_name(self) -> str:
        name = "".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("请填写姓名"), code="required")
        return name

    def clean_birth_year(self) -> int:
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if not 1930 <= year <= this_year - 16:
            raise ValidationError(
                _("出生年份应在 1930 到 %(max)s 之间（年满 16 岁才能登记）") % {"max": this_year - 16},
                code="birth_year_range",
            )
        return year

    def clean_id_number(self) -> str:
        value = normalize_resident_id(self.cleaned_data.get("id_number", ""))
        if not value:
            return ""
        validate_resident_id(value)
        # A new registration is checked on its last screen (one answer for phone and ID number);
        # a seeker changing their own ID number learns only that it cannot be used, not why.
        if self.registration is not None and (
            SeekerRegistration.objects.current().filter(id_digest=_digest(value)).exclude(**self._exclude()).exists()
        ):
            raise ValidationError(_("这个身份证号不能使用，请带身份证到附近服务点核实"), code="id_taken")
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        id_number, year = data.get("id_number"), data.get("birth_year")
        if id_number and year and resident_id_birth_date(id_number).year != year:
            self.add_error(
                "birth_year", ValidationError(_("出生年份和身份证号上的不一致，请核对"), code="birth_year_id")
            )
        return data

    def __init__(self, *args: Any, registration: SeekerRegistration | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registration = registration

    def _exclude(self) -> dict[str, Any]:
        return {"pk": self.registration.pk} if self.registration is not None else {}


def _digest(value: str) -> str:
    from xiangtan_jobs.common.crypto import pii_digest

    return pii_digest(value)


# --- step 3: skills -------------------------------------------------------------------------------


def _skill_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in reference_data().skill_name.items()]


class SkillsForm(PortalForm):
    """Up to three skills with level, years and certificate; the first is required."""

    skill_search = forms.CharField(label=_("查找工种"), required=False, max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_SKILLS + 1):
            self.fields[f"skill_{i}"] = forms.ChoiceField(
                label=_("会做的工作 %(i)s") % {"i": i},
                choices=[("", "—"), *_skill_choices()],
                required=i == 1,
                error_messages={
                    "required": _("请至少选一个会做的工作；不确定的话选最接近的"),
                    "invalid_choice": _("请从列表里选择工种"),
                },
            )
            self.fields[f"level_{i}"] = forms.TypedChoiceField(
                label=_("水平"), choices=SkillLevel.choices, coerce=int, initial=SkillLevel.BASIC, required=False
            )
            self.fields[f"years_{i}"] = forms.IntegerField(
                label=_("做了几年"),
                min_value=0,
                max_value=60,
                required=False,
                error_messages={
                    "invalid": _("年数请填数字，例如 3"),
                    "min_value": _("年数不能是负数"),
                    "max_value": _("年数不能超过 60"),
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"cert_{i}"] = forms.BooleanField(label=_("有相关证书"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        seen: set[str] = set()
        for i in range(1, MAX_SKILLS + 1):
            value = data.get(f"skill_{i}")
            if value and value in seen:
                self.add_error(f"skill_{i}", ValidationError(_("这个工作上面已经选过了"), code="duplicate"))
            if value:
                seen.add(value)
        return data

    def skill_rows(self) -> list[dict[str, Any]]:
        """The chosen skills as (skill id, level, years, certificate) rows."""
        rows = []
        for i in range(1, MAX_SKILLS + 1):
            value = self.cleaned_data.get(f"skill_{i}")
            if value:
                rows.append(
                    {
                        "skill_id": int(value),
                        "level": self.cleaned_data.get(f"level_{i}") or SkillLevel.BASIC,
                        "years": self.cleaned_data.get(f"years_{i}") or 0,
                        "has_certificate": bool(self.cleaned_data.get(f"cert_{i}")),
                    }
                )
        return rows


# --- step 4: what work you want ---------------------------------------------------------------------


class WishesForm(PortalForm):
    work_types = forms.MultipleChoiceField(
        label=_("想做哪种工作"),
        choices=WorkType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示都可以"),
    )
    shifts = forms.MultipleChoiceField(
        label=_("什么时候能上班"),
        choices=SHIFT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示什么时间都可以"),
    )
    expected_wage = forms.IntegerField(
        label=_("希望工资至少（可不填）"),
        required=False,
        min_value=1,
        max_value=200000,
        error_messages={
            "invalid": _("工资请填数字，例如 180"),
            "min_value": _("工资应大于 0"),
            "max_value": _("工资数太大了，请检查是否多填了 0"),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    expected_unit = forms.ChoiceField(label=_("工资单位"), choices=UNIT_CHOICES, initial=WageUnit.DAY)
    travel_km = forms.TypedChoiceField(label=_("最远愿意去多远上班"), choices=TRAVEL_CHOICES, coerce=int, initial="10")
    tags = forms.MultipleChoiceField(
        label=_("我属于（可不选，用于享受就业帮扶政策）"),
        choices=KeyGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        wage, unit = data.get("expected_wage"), data.get("expected_unit")
        ceilings = {"hour": 1000, "day": 5000, "month": 200000}
        if wage and unit in ceilings and wage > ceilings[unit]:
            self.add_error(
                "expected_wage",
                ValidationError(_("工资数太大了，请检查是否多填了 0 或选错了单位"), code="wage_too_high"),
            )
        return data

    def shift_values(self) -> list[str]:
        """「上学时间段」 is the two weekday day-time slots."""
        chosen = list(self.cleaned_data.get("shifts") or [])
        values: list[str] = []
        for value in chosen:
            expand = [Shift.WEEKDAY_MORNING.value, Shift.WEEKDAY_AFTERNOON.value] if value == "school" else [value]
            values.extend(v for v in expand if v not in values)
        return values


# --- step 5: consent --------------------------------------------------------------------------------


class ConsentForm(PortalForm):
    consent = forms.BooleanField(
        label=_("我已阅读并同意《个人信息保护告知书》"),
        error_messages={"required": _("需要同意个人信息保护告知书才能登记；不同意也可以到服务点现场咨询")},
    )


class ConfirmOnlineForm(PortalForm):
    """A seeker registered at a counter confirms the registration at their first login; a password is optional."""

    consent = forms.BooleanField(
        label=_("我核对过，登记信息没错，同意《个人信息保护告知书》"),
        error_messages={"required": _("请勾选确认。信息不对的话，先点「修改登记信息」改好")},
    )
    password1 = forms.CharField(
        label=_("设置密码（可以不设）"),
        strip=False,
        required=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("不设也行，以后每次用短信验证码登录；设的话至少 8 位"),
    )
    password2 = forms.CharField(
        label=_("再输一次密码"),
        strip=False,
        required=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        p1, p2 = data.get("password1") or "", data.get("password2") or ""
        if p1 and p1 != p2:
            self.add_error("password2", ValidationError(_("两次输入的密码不一样，请重新输入"), code="mismatch"))
        elif p2 and not p1:
            self.add_error("password1", ValidationError(_("请在上面一栏也填上密码"), code="missing"))
        elif p1:
            try:
                validate_password(p1, self.user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


# --- status and login ------------------------------------------------------------------------------


class PauseForm(forms.Form):
    paused = forms.BooleanField(required=False)

    def status(self) -> str:
        return SeekerStatus.PAUSED if self.cleaned_data.get("paused") else SeekerStatus.ACTIVE


class PhoneLoginForm(AuthenticationForm):
    """Log in with the mobile number in any common spelling (spaces, +86, full-width digits)."""

    error_messages = {
        "invalid_login": _("手机号或密码不对，请重新输入；忘记密码请到附近服务点或拨打 0731-58533441"),
        "inactive": _("这个账号已停用"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("手机号")
        self.fields["username"].widget.attrs.update({"inputmode": "tel", "autocomplete": "username"})
        self.fields["password"].label = _("密码")

    def clean_username(self) -> str:
        value = self.cleaned_data.get("username", "")
        phone = normalize_mobile(value)
        return phone if phone.isdigit() else value


# --- login with an SMS code (验证码登录) --------------------------------------------------------

_LOGIN_CODE_RE = re.compile(r"[0-9]{6}")


class _CodeInput(forms.TextInput):
    """Never writes the typed code back into the page: a refused one may still be the real code."""

    def format_value(self, value: Any) -> str | None:
        return None


class SmsLoginPhoneForm(PortalForm):
    phone = forms.CharField(
        label=_("手机号"),
        max_length=30,
        error_messages={
            **_required(_("请填写登记时用的手机号，11 位数字")),
            "max_length": _("手机号应为 11 位数字，以 1 开头、第二位是 3 到 9，请核对后重新填写"),
        },
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("验证码会用短信发到这个手机号"),
    )

    def clean_phone(self) -> str:
        phone = normalize_mobile(self.cleaned_data["phone"])
        validate_mobile(phone)
        return phone


class SmsLoginCodeForm(PortalForm):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=30,
        error_messages={
            **_required(_("请填写短信里的 6 位数字验证码")),
            "max_length": _("验证码是 6 位数字，请看短信后重新填写"),
        },
        widget=_CodeInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        help_text=_("6 位数字，5 分钟内有效"),
    )

    def clean_code(self) -> str:
        # Typed on a phone keyboard: full-width digits and spaces are fine.
        code = "".join(unicodedata.normalize("NFKC", self.cleaned_data["code"]).split()).replace("-", "")
        if not _LOGIN_CODE_RE.fullmatch(code):
            raise ValidationError(_("验证码是 6 位数字，请看短信后重新填写"), code="code_format")
        return code

    def refuse(self, message: str) -> None:
        """A well-formed code that was refused (wrong, expired, used): said beside the field too."""
        self.add_error("code", ValidationError(message, code="refused"))
        self._post_clean()  # ties the new error to the input (aria-describedby), as for the others
