from django.contrib import admin
from django.db import router, transaction

from audit.actions import Action
from audit.models import ENTRY_FIELDS, ActivityLog
from audit.services import Target, activity_record


class ActionFilter(admin.SimpleListFilter):
    title = "action"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return Action.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    """The activity log, to read only: nobody adds, changes or deletes here."""

    list_display = [
        "sequence",
        "recorded_at",
        "action",
        "actor_email",
        "target_type",
        "target_label",
        "ip_address",
    ]
    list_filter = [
        ActionFilter,
        ("actor", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    search_fields = ["actor_email", "target_label", "target_id", "request_id"]
    ordering = ["-sequence"]
    fields = ENTRY_FIELDS
    readonly_fields = fields
    actions = None
    # Counting a million entries on every page is not worth it.
    show_full_result_count = False

    @admin.display(description="time (UTC)", ordering="created_at")
    def recorded_at(self, entry):
        return entry.created_at.strftime("%Y-%m-%d %H:%M:%S")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordedDeletesMixin:
    """
    Record `admin.deleted` for each object a `ModelAdmin` deletes.

    For a model that no service deletes: an admin that deletes through a
    service leaves the recording to the service. Put it before
    `admin.ModelAdmin` in the bases. One entry is recorded per object, in
    the transaction of the delete, whether one object or several are
    deleted. An admin that overrides `delete_model` or `delete_queryset`
    must call `super()` there.
    """

    def delete_model(self, request, obj):
        self.delete_recorded(request, [Target.of(obj)], super().delete_model, obj)

    def delete_queryset(self, request, queryset):
        targets = [Target.of(obj) for obj in queryset]
        self.delete_recorded(request, targets, super().delete_queryset, queryset)

    def delete_recorded(self, request, targets, delete, objects):
        # The bulk delete action runs outside the admin's own transaction.
        with transaction.atomic(using=router.db_for_write(self.model)):
            delete(request, objects)
            for target in targets:
                activity_record(
                    action=Action.ADMIN_DELETED, actor=request.user, target=target
                )
