"""Who may do what in the admin, and which rows they see (the operators' site scoping).

Permissions here come from the user's role, not from Django's per-user permission table, on
purpose: every operator account is created by the seed, the walk-in desk or a superuser with
``role`` and an ``OperatorMembership`` and nothing else, and a role-derived rule cannot drift
out of step with the memberships the way hand-assigned groups can. The rules:

- superuser: everything, and the only one who manages reference data (areas, skills, service
  points, memberships, users);
- bureau officer (``role=bureau``, staff): sees every site, changes nothing;
- operator (``role=operator``, staff, with memberships): sees and edits only the rows of the
  service points they are a member of; reference data is read-only to them;
- anyone else (seekers, inactive or non-staff users): no admin at all.

Rows outside an operator's sites are filtered out of every queryset the admin builds (lists,
change pages, autocomplete, raw-id pop-ups, actions, exports, form choices), so a guessed URL
answers 404 and a forged POST 403 or a form error, and nothing changes.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from xiangtan_jobs.core.enums import MembershipRole, UserRole
from xiangtan_jobs.core.models import OperatorMembership, ServicePoint

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL_ACTIONS = frozenset({VIEW, ADD, CHANGE, DELETE})
# Records of a service given or of a seeker's choice: moved on by services, never deleted by operators.
NO_DELETE = frozenset({VIEW, ADD, CHANGE})


def _keeping_current_choices(form: Any) -> Any:
    """The form with each scoped foreign key also offering the row's current value.

    A posting of an operator's site may name an employer another site registered; without this
    its change page showed an empty employer (the choice was scoped away) and could not be
    saved unchanged. Only the value the row already has is added, never other rows.
    """

    class KeepCurrentForm(form):
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            for name, field in self.fields.items():
                if not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField):
                    continue
                current = self.initial.get(name)
                queryset = field.queryset
                if current is None or queryset is None or queryset.filter(pk=current).exists():
                    continue
                allowed = models.Q(pk__in=queryset.values("pk")) | models.Q(pk=current)
                field.queryset = queryset.model._default_manager.filter(allowed)

    KeepCurrentForm.__name__ = form.__name__
    return KeepCurrentForm


class StaffRole(enum.Enum):
    NONE = "none"
    OPERATOR = "operator"
    BUREAU = "bureau"
    SUPERUSER = "superuser"


def staff_role(user: Any) -> StaffRole:
    """The admin role of a user: only active staff get one."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return StaffRole.NONE
    if user.is_superuser:
        return StaffRole.SUPERUSER
    if user.role == UserRole.BUREAU:
        return StaffRole.BUREAU
    if user.role == UserRole.OPERATOR:
        return StaffRole.OPERATOR
    return StaffRole.NONE


def _memberships(request: HttpRequest) -> dict[int, str]:
    """{service point id: membership role} of the requesting user, read once per request."""
    cached = getattr(request, "_admin_memberships", None)
    if cached is None:
        cached = dict(
            OperatorMembership.objects.filter(user_id=request.user.pk or 0).values_list("service_point_id", "role")
        )
        request._admin_memberships = cached  # type: ignore[attr-defined]  # per-request cache
    return cached


def request_site_limit(request: HttpRequest) -> int | None:
    """The one service point an API token limits this request to (None: the user's own rights)."""
    return getattr(request, "api_site_limit", None)


def operator_site_ids(request: HttpRequest) -> frozenset[int]:
    """The service points the requesting operator acts for (empty for anyone else); a request
    made with a site-limited API token acts for that site only."""
    if staff_role(request.user) is not StaffRole.OPERATOR:
        return frozenset()
    ids = frozenset(_memberships(request))
    limit = request_site_limit(request)
    return ids & {limit} if limit is not None else ids


def scoped_queryset(
    request: HttpRequest, qs: models.QuerySet[Any], *, site_field: str | None, superuser_only: bool = False
) -> models.QuerySet[Any]:
    """The rows of ``qs`` the requesting user may see, by the rules above: the admin's lists and
    the API's operator endpoints both go through here. ``site_field`` leads from the model to its
    service point (None: data of no site)."""
    role = staff_role(request.user)
    limit = request_site_limit(request)
    if role is StaffRole.NONE or (superuser_only and role is not StaffRole.SUPERUSER):
        return qs.none()
    if site_field is None:
        return qs
    if role is StaffRole.OPERATOR:
        return qs.filter(**{f"{site_field}__in": operator_site_ids(request)})
    return qs if limit is None else qs.filter(**{site_field: limit})


def reviewer_site_ids(request: HttpRequest) -> frozenset[int]:
    """The service points where the requesting user is a reviewer (superusers: all)."""
    role = staff_role(request.user)
    if role is StaffRole.SUPERUSER:
        return frozenset(ServicePoint.objects.values_list("pk", flat=True))
    if role is not StaffRole.OPERATOR:
        return frozenset()
    return frozenset(sp for sp, r in _memberships(request).items() if r == MembershipRole.REVIEWER)


def _site_id_of(obj: models.Model, site_field: str) -> int | None:
    """Follow ``site_field`` ("service_point", "posting__service_point", "pk") to a site id."""
    if site_field == "pk":
        return obj.pk
    *path, last = site_field.split("__")
    target: Any = obj
    for step in path:
        target = getattr(target, step, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


if TYPE_CHECKING:
    # The mixins are checked as what they are mixed into, so their super() calls are typed.
    _AdminBase = admin.ModelAdmin[Any]
    _InlineBase = admin.options.InlineModelAdmin[Any, Any]
else:
    _AdminBase = _InlineBase = object


class ScopedAdminMixin(_AdminBase):
    """ModelAdmin rules for the role-based rights above; mix in before ``admin.ModelAdmin``.

    ``site_field`` is the lookup from the model to its service point; ``None`` marks data that
    belongs to no site (reference data), which operators may only view (``operator_actions``).
    """

    site_field: str | None = "service_point"
    operator_actions: frozenset[str] = ALL_ACTIONS
    bureau_actions: frozenset[str] = frozenset({VIEW})
    superuser_only: bool = False

    # --- rights ---------------------------------------------------------------------------

    def _allowed(self, request: HttpRequest, action: str, obj: models.Model | None = None) -> bool:
        role = staff_role(request.user)
        if role is StaffRole.SUPERUSER:
            return True
        if self.superuser_only or role is StaffRole.NONE:
            return False
        if role is StaffRole.BUREAU:
            return action in self.bureau_actions
        if action not in self.operator_actions:
            return False
        if obj is None or self.site_field is None:
            return True
        return self.in_scope(request, obj)

    def in_scope(self, request: HttpRequest, obj: models.Model) -> bool:
        """Whether an operator may touch this object (its site is one of theirs)."""
        if self.site_field is None:
            return True
        return _site_id_of(obj, self.site_field) in operator_site_ids(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, VIEW)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._allowed(request, VIEW, obj) or self._allowed(request, CHANGE, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request, ADD)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._allowed(request, CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._allowed(request, DELETE, obj)

    # django-import-export asks these; exports follow the view right, imports the add right.
    def has_export_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, VIEW)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, ADD) and staff_role(request.user) is not StaffRole.BUREAU

    # --- rows -------------------------------------------------------------------------------

    def scope_queryset(self, request: HttpRequest, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return scoped_queryset(request, qs, site_field=self.site_field, superuser_only=self.superuser_only)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return self.scope_queryset(request, super().get_queryset(request))

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        # Django redirects to the index for a missing object; an out-of-scope one is a 404.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("对象不存在或不属于您的服务点")
        return obj

    # --- forms ------------------------------------------------------------------------------

    def _related_queryset(self, request: HttpRequest, model: type[models.Model]) -> models.QuerySet[Any] | None:
        """What an operator may pick for a foreign key to ``model``, or None if unrestricted."""
        if staff_role(request.user) is not StaffRole.OPERATOR:
            return None
        if issubclass(model, ServicePoint):
            return model._default_manager.filter(pk__in=operator_site_ids(request))
        try:
            related_admin = self.admin_site.get_model_admin(model)
        except NotRegistered:
            return None
        if isinstance(related_admin, ScopedAdminMixin) and (
            related_admin.site_field is not None or related_admin.superuser_only
        ):
            return related_admin.get_queryset(request)
        return None

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        qs = self._related_queryset(request, db_field.remote_field.model)
        if qs is not None:
            kwargs["queryset"] = qs
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and qs is not None and db_field.name == self.site_field:
            field.required = True  # an operator's rows always belong to one of their sites
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        qs = self._related_queryset(request, db_field.remote_field.model)
        if qs is not None:
            kwargs["queryset"] = qs
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def single_site_id(self, request: HttpRequest) -> int | None:
        """The one site of an operator with a single membership (their rows go there)."""
        ids = operator_site_ids(request)
        return next(iter(ids)) if len(ids) == 1 else None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str] | tuple[str, ...]:
        fields = list(super().get_readonly_fields(request, obj))
        if self.site_field == "service_point" and self.single_site_id(request) is not None:
            fields.append("service_point")
        return fields

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and staff_role(request.user) is StaffRole.OPERATOR:
            form = _keeping_current_choices(form)
        site_id = self.single_site_id(request) if self.site_field == "service_point" else None
        if site_id is None or obj is not None:
            return form

        class PresetSiteForm(form):  # type: ignore[misc,valid-type]
            """A single-site operator's new rows belong to their site (shown read-only)."""

            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                if self.instance.service_point_id is None:
                    self.instance.service_point_id = site_id

        PresetSiteForm.__name__ = form.__name__
        return PresetSiteForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if self.site_field == "service_point" and not change and obj.service_point_id is None:
            obj.service_point_id = self.single_site_id(request)
        if (
            staff_role(request.user) is StaffRole.OPERATOR
            and self.site_field is not None
            and not self.in_scope(request, obj)
        ):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    # --- actions ----------------------------------------------------------------------------

    def response_action(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> HttpResponse | None:
        """Refuse (403) an action the user may not run, or one naming rows outside their scope."""
        action = request.POST.get("action", "")
        if action and action not in dict(self.get_action_choices(request)):
            raise PermissionDenied
        selected = set(request.POST.getlist(ACTION_CHECKBOX_NAME))
        if selected and request.POST.get("select_across") != "1":
            visible = self.get_queryset(request).filter(pk__in=selected).count()
            if visible != len(selected):
                raise PermissionDenied
        return super().response_action(request, queryset)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Django quietly re-renders the list when a POSTed action is not on offer; say no instead.
        posted = request.POST.get("action") if request.method == "POST" and "index" not in request.POST else None
        if posted is not None and posted not in self.get_actions(request):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        # Rows are closed, withdrawn or marked, not bulk-deleted: the KPIs count them.
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions

    # simple_history: reverting to an old version would bypass the services; only superusers.
    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None):
        if request.method == "POST" and not request.user.is_superuser:
            raise PermissionDenied
        # simple_history's mixin (untyped) sits between this mixin and ModelAdmin.
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]  # untyped mixin

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return not request.user.is_superuser


class ReferenceAdminMixin(ScopedAdminMixin):
    """Reference data: every staff role may look (and pick it in forms); superusers change it."""

    site_field = None
    operator_actions = frozenset({VIEW})


class SuperuserOnlyAdminMixin(ScopedAdminMixin):
    """Accounts, personal inboxes: only superusers."""

    site_field = None
    superuser_only = True


class ParentScopedInlineMixin(_InlineBase):
    """An inline's rights are its parent's: view with the parent, edit when the parent is editable."""

    def _parent_admin(self) -> Any:
        return self.admin_site.get_model_admin(self.parent_model)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        parent = self._parent_admin()
        return parent.has_change_permission(request, obj) if obj is not None else parent.has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        parent = self._parent_admin()
        return parent.has_change_permission(request, obj) if obj is not None else parent.has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)
