"""
Users, allowed domains, API tokens and failed logins in the Django admin.

Every save and delete goes through `accounts.services`, as the API's do, so
each is checked and recorded in the activity log the same way. Only users
of the admin role may use this site: `is_staff` and `is_superuser` follow
the role and cannot be set by hand.
"""

import copy
from functools import partial

from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
)
from django.contrib.auth.models import Group
from django.db.models import Count
from knox.models import AuthToken

from accounts import services
from accounts.exceptions import DomainNotAllowed, EmailTaken, UserOwnsData
from accounts.models import Domain, Role, User
from accounts.selectors import domain_for_email, email_domain, email_taken
from audit.admin import RecordedDeletesMixin
from config.admin import ServiceErrorsAdminMixin

# Roles replace groups: an admin holds every permission, and nobody else may
# use this site, so a group would grant nothing.
admin.site.unregister(Group)
# Never written: the activity log records logins and their failures.
admin.site.unregister([AccessLog, AccessFailureLog])
# Registered again below, with admins that record what they delete.
admin.site.unregister([AuthToken, AccessAttempt])


class ServiceDeletesMixin:
    """Leave out the bulk delete action, which would bypass the services."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class DomainForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["name", "is_active", "default_role"]

    def clean_name(self):
        # As saved, so that the form's uniqueness check sees "Example.org".
        return Domain.normalize_name(self.cleaned_data["name"])


@admin.register(Domain)
class DomainAdmin(ServiceErrorsAdminMixin, ServiceDeletesMixin, admin.ModelAdmin):
    form = DomainForm
    list_display = ["name", "is_active", "default_role", "user_count", "created_at"]
    list_filter = ["is_active", "default_role"]
    search_fields = ["name"]
    fields = ["name", "is_active", "default_role", "created_at"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(user_count=Count("users"))

    @admin.display(description="users", ordering="user_count")
    def user_count(self, domain):
        return domain.user_count

    def get_readonly_fields(self, request, obj=None):
        # Its users' addresses end with the name.
        if obj is not None:
            return [*self.readonly_fields, "name"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            services.domain_update(
                domain=Domain.objects.get(pk=obj.pk),
                actor=request.user,
                default_role=obj.default_role,
                is_active=obj.is_active,
            )
        else:
            obj.pk = services.domain_create(
                actor=request.user,
                name=obj.name,
                default_role=obj.default_role,
                is_active=obj.is_active,
            ).pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        # The delete page refuses a domain with users before this is reached.
        services.domain_delete(domain=obj, actor=request.user)


def clean_new_email(email, *, user=None):
    """Refuse an address of a domain that is not allowed, or one in use."""
    email = User.objects.normalize_email(email)
    if domain_for_email(email) is None:
        raise forms.ValidationError(DomainNotAllowed(email_domain(email)).detail)
    if email_taken(email, exclude=user):
        raise forms.ValidationError(EmailTaken().detail)
    return email


class UserCreationForm(AdminUserCreationForm):
    role = forms.ChoiceField(
        choices=[("", "The default role of the domain"), *Role.choices],
        required=False,
    )

    class Meta:
        model = User
        fields = ["email", "role", "first_name", "last_name"]

    def clean_email(self):
        return clean_new_email(self.cleaned_data["email"])


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "password", "first_name", "last_name", "role", "is_active"]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if email == self.instance.email:
            return email
        return clean_new_email(email, user=self.instance)


class PasswordForm(AdminPasswordChangeForm):
    """Django's password form, saving through the service that audits it."""

    def __init__(self, user, *args, actor, **kwargs):
        self.actor = actor
        super().__init__(user, *args, **kwargs)

    def save(self, commit=True):
        usable = self.cleaned_data["set_usable_password"]
        services.user_set_password(
            user=self.user,
            actor=self.actor,
            password=self.cleaned_data["password1"] if usable else None,
        )
        return self.user


@admin.register(User)
class UserAdmin(ServiceErrorsAdminMixin, ServiceDeletesMixin, BaseUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    change_password_form = PasswordForm
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "role",
        "domain",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "domain", "is_active"]
    list_select_related = ["domain"]
    search_fields = ["email", "first_name", "last_name"]
    filter_horizontal = []
    readonly_fields = [
        "domain",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    ]
    fieldsets = [
        (None, {"fields": ["email", "password", "domain"]}),
        ("Profile", {"fields": ["first_name", "last_name"]}),
        (
            "Access",
            {
                "fields": ["role", "is_active", "is_staff", "is_superuser"],
                "description": "The role decides what a user may do. Admins "
                "may do everything, this site included; editors may also "
                "create catalogs; viewers may read what they are given.",
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "email",
                    "role",
                    "first_name",
                    "last_name",
                    "usable_password",
                    "password1",
                    "password2",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Nobody demotes or deactivates themselves: another admin must.
        if obj is not None and obj.pk == request.user.pk:
            return [*self.readonly_fields, "role", "is_active"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Django builds this form without the request; bind who is acting.
        bound = copy.copy(self)
        bound.change_password_form = partial(PasswordForm, actor=request.user)
        return super(UserAdmin, bound).user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            editable = {"email", "first_name", "last_name", "role", "is_active"}
            services.user_update(
                user=User.objects.select_related("domain").get(pk=obj.pk),
                actor=request.user,
                **{name: data[name] for name in form.changed_data if name in editable},
            )
        else:
            usable = data["set_usable_password"]
            obj.pk = services.user_create(
                actor=request.user,
                email=data["email"],
                password=data["password1"] if usable else None,
                role=data["role"] or None,
                first_name=data["first_name"],
                last_name=data["last_name"],
            ).pk
        obj.refresh_from_db()

    def render_delete_form(self, request, context):
        # Django lists what the user owns; say what to do instead.
        if context["protected"]:
            self.message_user(request, UserOwnsData().detail, messages.WARNING)
        return super().render_delete_form(request, context)

    def delete_model(self, request, obj):
        services.user_delete(user=obj, actor=request.user)


@admin.register(AuthToken)
class TokenAdmin(ServiceErrorsAdminMixin, ServiceDeletesMixin, admin.ModelAdmin):
    """API tokens: who holds one until when. Delete one to revoke it."""

    list_display = ["user", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "created", "expiry"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.token_revoke(token=obj, actor=request.user)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(RecordedDeletesMixin, BaseAccessAttemptAdmin):
    """Failed logins; delete an attempt to lift the lockout it causes."""

    # django-axes removes expired attempts itself at every failed login;
    # its bulk action for that would remove them without a record.
    actions = []
