"""Registration (求职登记) in five short screens that work without JavaScript.

What each screen received is kept in the session (the password only as its hash), so going
back, or an error on a later screen, never loses anything typed. Nothing is written to the
database until the last screen's consent. The state holds the phone and the ID number, so it is
sealed (encrypted, ``common.crypto.seal``) and lapses after WIZARD_MAX_AGE seconds without a
screen sent: a session row read raw shows neither.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiangtan_jobs.common.crypto import seal, unseal
from xiangtan_jobs.common.parsing import parse_id
from xiangtan_jobs.common.ratelimits import post_rate_limit
from xiangtan_jobs.common.text import normalize_text
from xiangtan_jobs.common.widgets import options_html
from xiangtan_jobs.core.enums import KeyGroup, SkillLevel, WageUnit, WorkType
from xiangtan_jobs.core.models import Area
from xiangtan_jobs.core.selectors import keyword_direct_terms, keyword_words, reference_data, seeker_current
from xiangtan_jobs.core.services import SkillInput, registration_submit
from xiangtan_jobs.portal.forms import (
    MAX_SKILLS,
    SHIFT_CHOICES,
    TRAVEL_CHOICES,
    AccountForm,
    ConsentForm,
    PersonForm,
    SkillsForm,
    WishesForm,
)

from .jobs import HOME_SESSION_KEY
from .next_step import next_context, next_job, safe_next

SESSION_KEY = "register_wizard"
STEPS: list[tuple[str, type[forms.Form], Any]] = [
    ("account", AccountForm, gettext_lazy("手机号和密码")),
    ("person", PersonForm, gettext_lazy("基本情况")),
    ("skills", SkillsForm, gettext_lazy("会做什么")),
    ("wishes", WishesForm, gettext_lazy("想找什么样的工作")),
    ("confirm", ConsentForm, gettext_lazy("确认并同意")),
]
STEP_NAMES = [name for name, _form, _title in STEPS]
# Passwords never go into the session in clear; the hash is kept instead.
SECRET_FIELDS = ("password1", "password2")


# An hour after the last screen sent, what was typed is gone (a shared phone, a kiosk).
WIZARD_MAX_AGE = 60 * 60


def _state(request: HttpRequest) -> dict[str, Any]:
    state = unseal(request.session.get(SESSION_KEY), max_age=WIZARD_MAX_AGE)
    if not isinstance(state, dict) or not isinstance(state.get("data"), dict):
        state = {"data": {}, "password_hash": ""}  # nosec B105 - not a password
    return state


def _save(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = seal(state)
    request.session.modified = True


def _raw(form: forms.Form, post: Any) -> dict[str, Any]:
    """What the reader sent for this form's fields, as the session can hold it."""
    raw: dict[str, Any] = {}
    for name, field in form.fields.items():
        if name in SECRET_FIELDS:
            continue
        key = form.add_prefix(name)
        raw[name] = post.getlist(key) if isinstance(field, forms.MultipleChoiceField) else post.get(key, "")
    return raw


def _steps_for(request: HttpRequest) -> list[str]:
    # A logged-in person without a registration answers the account screen too: the phone is not
    # their username (usernames are random), only the password may stay empty (has_account).
    return STEP_NAMES


def _make_form(name: str, state: dict[str, Any], data: Any = None) -> forms.Form:
    form_class = dict((n, f) for n, f, _t in STEPS)[name]
    kwargs: dict[str, Any] = {}
    if name == "account":
        kwargs["password_set"] = bool(state.get("password_hash") or state.get("has_account"))
    if data is None:
        # Showing a screen again: what was typed comes back as initial values, without errors.
        return form_class(initial=state["data"].get(name) or None, **kwargs)
    return form_class(data=data, **kwargs)


class _DictData(dict):
    """A saved step as form data (``getlist`` for the multiple-choice fields)."""

    def getlist(self, key: str) -> list[Any]:
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def _bound(name: str, state: dict[str, Any]) -> forms.Form | None:
    saved = state["data"].get(name)
    if saved is None:
        return None
    return _make_form(name, state, _DictData(saved))


def _keep_next(request: HttpRequest, state: dict[str, Any]) -> None:
    """Remember where to go once registered (the job being applied to), if the link said so."""
    next_url = safe_next(request, request.GET.get("next"))
    if next_url and state.get("next") != next_url:
        state["next"] = next_url
        _save(request, state)


def register_start(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.GET.get("next"))
    if seeker_current(user=request.user) is not None:
        if next_url:
            return HttpResponseRedirect(next_url)
        messages.info(request, _("您已经登记过了，可以在这里修改登记信息。"))
        return HttpResponseRedirect(reverse("portal:me"))
    _keep_next(request, _state(request))
    return HttpResponseRedirect(reverse("portal:register-step", args=[_steps_for(request)[0]]))


@post_rate_limit("register")
def register_step(request: HttpRequest, step: str) -> HttpResponse:
    """One screen of the registration."""
    steps = _steps_for(request)
    if step not in steps:
        raise Http404
    if seeker_current(user=request.user) is not None:
        return HttpResponseRedirect(reverse("portal:me"))
    state = _state(request)
    state["has_account"] = request.user.is_authenticated
    _keep_next(request, state)
    index = steps.index(step)
    # A screen is reachable once the ones before it were answered.
    for earlier in steps[:index]:
        if earlier not in state["data"]:
            return HttpResponseRedirect(reverse("portal:register-step", args=[earlier]))

    if request.method == "POST":
        action = request.POST.get("action", "next")
        form = _make_form(step, state, request.POST)
        if action == "back":
            state["data"][step] = _raw(form, form.data)
            _save(request, state)
            target = steps[max(index - 1, 0)]
            return HttpResponseRedirect(reverse("portal:register-step", args=[target]))
        if step == "skills" and request.POST.getlist("pick"):
            data, dropped = skills_with_picks(request.POST, request.POST.getlist("pick"))
            form = _make_form(step, state, data)
            if dropped:
                messages.warning(
                    request,
                    _("最多填 %(n)s 个会做的工作，没放下的：%(names)s。可以先去掉一个再加。")
                    % {"n": MAX_SKILLS, "names": "、".join(dropped)},
                )
        if action == "add" and step == "skills":
            state["data"][step] = _raw(form, form.data)
            _save(request, state)
            return _render_step(request, steps, step, _make_form(step, state, None), search=True)
        if action == "search" and step == "skills":
            state["data"][step] = _raw(form, form.data)
            _save(request, state)
            return _render_step(request, steps, step, _make_form(step, state, None), search=True)
        if form.is_valid():
            state["data"][step] = _raw(form, form.data)
            if step == "account" and form.cleaned_data.get("password1"):
                state["password_hash"] = make_password(form.cleaned_data["password1"])
            _save(request, state)
            if step == "confirm":
                return _finish(request, state, steps)
            return HttpResponseRedirect(reverse("portal:register-step", args=[steps[index + 1]]))
        return _render_step(request, steps, step, form)
    form = _make_form(step, state, None)
    if step == "confirm":
        form = ConsentForm()
    return _render_step(request, steps, step, form)


def _finish(request: HttpRequest, state: dict[str, Any], steps: list[str]) -> HttpResponse:
    forms_by_step: dict[str, forms.Form] = {}
    for name in steps[:-1]:
        form = _bound(name, state)
        if form is None or not form.is_valid():
            messages.error(request, _("这一步的信息需要补充或修改。"))
            return HttpResponseRedirect(reverse("portal:register-step", args=[name]))
        forms_by_step[name] = form
    person, skills, wishes = forms_by_step["person"], forms_by_step["skills"], forms_by_step["wishes"]
    assert isinstance(skills, SkillsForm) and isinstance(wishes, WishesForm)
    user = request.user if request.user.is_authenticated else None
    phone = forms_by_step["account"].cleaned_data["phone"]
    if user is None and not state.get("password_hash"):
        return HttpResponseRedirect(reverse("portal:register-step", args=["account"]))
    area = Area.objects.get(pk=int(person.cleaned_data["town"]))
    try:
        registration = registration_submit(
            phone=phone,
            password_hash=state.get("password_hash", ""),
            user=user,
            name=person.cleaned_data["name"],
            birth_year=person.cleaned_data["birth_year"],
            id_number=person.cleaned_data.get("id_number", ""),
            area=area,
            skills=[SkillInput(**row) for row in skills.skill_rows()],
            travel_km=wishes.cleaned_data["travel_km"],
            work_types=wishes.cleaned_data.get("work_types") or [],
            shifts=wishes.shift_values(),
            expected_wage=wishes.cleaned_data.get("expected_wage"),
            expected_unit=wishes.cleaned_data.get("expected_unit") or "",
            tags=wishes.cleaned_data.get("tags") or [],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("portal:register-step", args=[steps[0]]))
    request.session.pop(SESSION_KEY, None)
    if user is None:
        login(request, registration.user, backend="xiangtan_jobs.core.auth_backends.PhoneOrUsernameBackend")
    request.session[HOME_SESSION_KEY] = [registration.home_lat, registration.home_lng]
    # Checked again: the session may have outlived a change of host or scheme.
    next_url = safe_next(request, state.get("next"))
    job = next_job(next_url)
    if job is not None:
        messages.success(request, _("登记成功！回到了您要申请的「%(title)s」。") % {"title": job.title})
        return HttpResponseRedirect(next_url)
    if next_url:
        messages.success(request, _("登记成功！"))
        return HttpResponseRedirect(next_url)
    messages.success(request, _("登记成功！我们会根据您的情况推荐合适的工作，推荐结果显示在这里。"))
    return HttpResponseRedirect(reverse("portal:me"))


def skills_with_picks(post: Any, picks: list[str]) -> tuple[Any, list[str]]:
    """The skills screen's data with the ticked skills of the search list put into its empty rows
    (several skills from one list, e.g. 保洁员 and 家政服务员); the names that found no free row."""
    ref = reference_data()
    data = post.copy()
    chosen = [str(data.get(f"skill_{i}") or "") for i in range(1, MAX_SKILLS + 1)]
    dropped = []
    for value in dict.fromkeys(picks):
        pk = parse_id(value)
        if pk not in ref.skill_name or str(pk) in chosen:
            continue  # not a skill, or in a row already
        if "" not in chosen:
            dropped.append(ref.skill_name[pk])
            continue
        slot = chosen.index("")
        chosen[slot] = str(pk)
        data[f"skill_{slot + 1}"] = str(pk)
    return data, dropped


def skill_search_hits(search: str) -> list[tuple[int, str]]:
    """The skills a search names, in the list's order: each word (保洁 家政, or baojie) on its own,
    by name, alias or pinyin, so one search can offer several skills to tick."""
    ref = reference_data()
    words = [t for w in keyword_words(search) for t in keyword_direct_terms(w, ref)]
    hits = {pk for w in words for t, ids in ref.skill_terms.items() if w in t for pk in ids}
    return [(s, sn) for cpk, _c in ref.categories for s, sn in ref.skills_by_category.get(cpk, []) if s in hits]


def skill_select_context(form: SkillsForm, search: str = "") -> list[dict[str, Any]]:
    """The skill rows of the skills screen, with options narrowed by a search if one was typed."""
    ref = reference_data()
    term = normalize_text(search).strip()
    chosen = {str(form[f"skill_{i}"].value() or "") for i in range(1, MAX_SKILLS + 1)}
    if term:
        hits = {pk for pk, _name in skill_search_hits(term)}
        groups = [
            (cname, [(str(s), sn) for s, sn in ref.skills_by_category.get(cpk, []) if s in hits or str(s) in chosen])
            for cpk, cname in ref.categories
        ]
        groups = [(c, opts) for c, opts in groups if opts]
        key = None
    else:
        groups = [
            (cname, [(str(s), sn) for s, sn in ref.skills_by_category.get(cpk, [])]) for cpk, cname in ref.categories
        ]
        key = "reg-skill"
    rows = []
    for i in range(1, MAX_SKILLS + 1):
        value = str(form[f"skill_{i}"].value() or "")
        if key:
            options = options_html(key, groups, [value] if value else [], version=ref)
        else:
            options = options_html(f"reg-skill-search-{i}", groups, [value] if value else [], version=object())
        rows.append(
            {
                "i": i,
                "skill": form[f"skill_{i}"],
                "options": options,
                "level": form[f"level_{i}"],
                "years": form[f"years_{i}"],
                "cert": form[f"cert_{i}"],
            }
        )
    return rows


def _render_step(
    request: HttpRequest, steps: list[str], step: str, form: forms.Form, *, search: bool = False
) -> HttpResponse:
    ref = reference_data()
    index = steps.index(step)
    context: dict[str, Any] = {
        "form": form,
        "step": step,
        "step_title": dict((n, t) for n, _f, t in STEPS)[step],
        "step_number": index + 1,
        "step_count": len(steps),
        "is_first": index == 0,
        "is_last": index == len(steps) - 1,
        "steps": [(i + 1, dict((n, t) for n, _f, t in STEPS)[n], i < index) for i, n in enumerate(steps)],
        "level_choices": SkillLevel.choices,
    }
    if step == "person":
        value = str(form["town"].value() or "")
        context["town_options"] = options_html(
            "reg-town",
            [(name, [(str(t), tn) for t, tn in ref.towns.get(pk, [])]) for pk, name in ref.districts],
            [value] if value else [],
            version=ref,
        )
    if step == "skills":
        assert isinstance(form, SkillsForm)
        search_term = str(form["skill_search"].value() or "") if search else ""
        context["skill_rows"] = skill_select_context(form, search_term)
        context["searched"] = search_term
        chosen = {str(form[f"skill_{i}"].value() or "") for i in range(1, MAX_SKILLS + 1)}
        context["skill_hits"] = [
            (pk, name, str(pk) in chosen) for pk, name in (skill_search_hits(search_term) if search_term else [])
        ][:30]
    if step == "confirm":
        context["summary"] = _summary(request, _state(request))
    if step == "account" and form.is_bound:
        # Registered at a counter: no second registration, the SMS-code login lets them in.
        context["walk_in_phone"] = any(e.code == "walk_in" for e in form.errors.as_data().get("phone", []))
    context.update(next_context(request, safe_next(request, _state(request).get("next"))))
    return render(request, "portal/register_step.html", context)


def _summary(request: HttpRequest, state: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(question, answer, screen to change it) for the confirmation screen."""
    ref = reference_data()
    data = state["data"]
    rows: list[tuple[str, str, str]] = []
    if "account" in data:
        rows.append((_("手机号"), data["account"].get("phone", ""), "account"))
    person = data.get("person", {})
    town = person.get("town", "")
    rows += [
        (_("姓名"), person.get("name", ""), "person"),
        (_("出生年份"), person.get("birth_year", ""), "person"),
        (_("住在"), ref.area_label(town_id) if (town_id := parse_id(town)) else "", "person"),
        (_("身份证号"), _("已填写") if person.get("id_number") else _("未填写"), "person"),
    ]
    skills = data.get("skills", {})
    names = [
        ref.skill_name.get(skill_id, "")
        for v in (skills.get(f"skill_{i}", "") for i in range(1, MAX_SKILLS + 1))
        if (skill_id := parse_id(v))
    ]
    rows.append((_("会做的工作"), "、".join(n for n in names if n), "skills"))
    wishes = data.get("wishes", {})
    wt = dict(WorkType.choices)
    rows.append(
        (_("想做"), "、".join(str(wt.get(v, "")) for v in wishes.get("work_types", [])) or _("都可以"), "wishes")
    )
    sh = dict(SHIFT_CHOICES)
    rows.append(
        (_("上班时间"), "、".join(str(sh.get(v, "")) for v in wishes.get("shifts", [])) or _("都可以"), "wishes")
    )
    if wishes.get("expected_wage"):
        unit = dict(WageUnit.choices).get(wishes.get("expected_unit", ""), "")
        rows.append((_("希望工资至少"), f"{wishes['expected_wage']} {unit}", "wishes"))
    rows.append((_("最远"), str(dict(TRAVEL_CHOICES).get(wishes.get("travel_km", ""), "")), "wishes"))
    kg = dict(KeyGroup.choices)
    if wishes.get("tags"):
        rows.append((_("我属于"), "、".join(str(kg.get(v, "")) for v in wishes["tags"]), "wishes"))
    return [(str(q), str(a), s) for q, a, s in rows]
