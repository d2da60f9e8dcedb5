"""An admin site whose model admins record their changes, for the tests."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import include, path

from accounts.models import Domain, User
from audit.actions import Action
from audit.admin import ActivityRecordingMixin
from audit.services import activity_record

site = admin.AdminSite(name="recorded_admin")


class UserInline(admin.TabularInline):
    model = User
    fields = ["email", "role"]
    extra = 1


@admin.register(Domain, site=site)
class DomainAdmin(ActivityRecordingMixin, admin.ModelAdmin):
    fields = ["name", "is_active", "default_role"]
    inlines = [UserInline]


@admin.register(User, site=site)
class UserAdmin(ActivityRecordingMixin, admin.ModelAdmin):
    fields = ["email", "password", "domain", "role", "is_active", "groups"]


def group_rename(*, group, name, actor):
    """A service that records its own entry, as the apps' services do."""
    with transaction.atomic():
        old = Group.objects.get(pk=group.pk).name
        group.name = name
        group.save()
        activity_record(
            action=Action.ADMIN_CHANGED,
            actor=actor,
            target=group,
            changes={"name": [old, name]},
            details={"by": "service"},
        )


@admin.register(Group, site=site)
class GroupAdmin(ActivityRecordingMixin, admin.ModelAdmin):
    fields = ["name"]

    def save_model(self, request, obj, form, change):
        if change:
            group_rename(group=obj, name=obj.name, actor=request.user)
        else:
            super().save_model(request, obj, form, change)


urlpatterns = [
    path("recorded-admin/", site.urls),
    path("", include("config.urls")),
]
