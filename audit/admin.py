from django.contrib import admin
from django.db import router, transaction

from audit.actions import Action
from audit.models import ENTRY_FIELDS, ActivityLog
from audit.services import Target, activity_record, activity_recorded_count


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


class ActivityRecordingMixin:
    """
    Record in the activity log what a `ModelAdmin` adds, changes and deletes.

    Put it before `admin.ModelAdmin` in the bases. When the admin saves or
    deletes through a service that records its own entry (`catalog.updated`,
    say), that entry stands alone. Otherwise the admin records
    `admin.added`, `admin.changed` or `admin.deleted`, with the old and new
    values of the form's model fields that changed (passwords redacted) and
    the objects that inline forms added, changed or deleted. Saving a form
    that changed nothing records nothing. An admin that overrides
    `save_form`, `save_related`, `delete_model` or `delete_queryset` must
    call `super()` there, or record the entry itself.
    """

    def save_form(self, request, form, change):
        # Counted before save_model, which admins often override to call a
        # service.
        form.activity_recorded_before = activity_recorded_count()
        return super().save_form(request, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if activity_recorded_count() > form.activity_recorded_before:
            return

        changes = form_changes(form)
        inlines = inline_changes(formsets)
        if change and not (changes or inlines):
            return
        activity_record(
            action=Action.ADMIN_CHANGED if change else Action.ADMIN_ADDED,
            actor=request.user,
            target=form.instance,
            changes=changes,
            details={"inlines": inlines} if inlines else {},
        )

    def delete_model(self, request, obj):
        self.delete_recorded(request, [Target.of(obj)], super().delete_model, obj)

    def delete_queryset(self, request, queryset):
        targets = [Target.of(obj) for obj in queryset]
        self.delete_recorded(request, targets, super().delete_queryset, queryset)

    def delete_recorded(self, request, targets, delete, objects):
        # The bulk delete action runs outside the admin's own transaction.
        with transaction.atomic(using=router.db_for_write(self.model)):
            recorded_before = activity_recorded_count()
            delete(request, objects)
            if activity_recorded_count() > recorded_before:
                return
            for target in targets:
                activity_record(
                    action=Action.ADMIN_DELETED, actor=request.user, target=target
                )


def form_changes(form):
    """The model fields an admin form changed, as `{name: [old, new]}`."""
    opts = form.instance._meta
    model_fields = {field.name for field in opts.concrete_fields + opts.many_to_many}
    return {
        name: [form.initial.get(name), form.cleaned_data.get(name)]
        for name in form.changed_data
        if name in model_fields
    }


def inline_changes(formsets):
    """The objects that inline forms added, changed or deleted."""
    changes = []
    for formset in formsets:
        for obj in formset.new_objects:
            changes.append({"added": str(obj), "type": obj._meta.label_lower})
        for obj, fields in formset.changed_objects:
            changes.append(
                {"changed": str(obj), "type": obj._meta.label_lower, "fields": fields}
            )
        for obj in formset.deleted_objects:
            changes.append({"deleted": str(obj), "type": obj._meta.label_lower})
    return changes
