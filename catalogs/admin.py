"""
Catalogs, grants, files and versions in the Django admin.

Every change made here goes through `catalogs.services`, exactly as through
the API: it is checked by the same rules and recorded in the activity log.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html

from accounts.permissions import can_create_catalogs
from catalogs import services
from catalogs.downloads import download_response
from catalogs.models import Catalog, CatalogPermission, File, Version
from chat.models import Conversation
from config.admin import ServiceErrorsAdminMixin
from config.exceptions import ApplicationError


class GrantFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            user = form.cleaned_data.get("user")
            if user is None or form.cleaned_data.get("DELETE"):
                continue
            refusal = services.grant_refusal(catalog=self.instance, user=user)
            if refusal is not None:
                form.add_error("user", refusal.detail)


class GrantInline(admin.TabularInline):
    model = CatalogPermission
    fk_name = "catalog"
    formset = GrantFormSet
    fields = ["user", "access", "granted_by", "created_at"]
    readonly_fields = ["granted_by", "created_at"]
    autocomplete_fields = ["user"]
    extra = 0


class FileInline(admin.TabularInline):
    model = File
    fields = ["name", "last_version_number", "trashed_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class CatalogForm(forms.ModelForm):
    class Meta:
        model = Catalog
        fields = ["name", "description", "owner"]

    def clean_owner(self):
        owner = self.cleaned_data["owner"]
        if not can_create_catalogs(owner):
            raise ValidationError("Only editors and admins can own catalogs.")
        return owner


@admin.register(Catalog)
class CatalogAdmin(ServiceErrorsAdminMixin, admin.ModelAdmin):
    form = CatalogForm
    list_display = ["name", "owner", "created_at", "updated_at"]
    search_fields = ["name", "description", "owner__email"]
    autocomplete_fields = ["owner"]
    inlines = [GrantInline, FileInline]

    def get_readonly_fields(self, request, obj=None):
        # Ownership is fixed once a catalog exists.
        return ["owner"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            services.catalog_update(
                catalog=Catalog.objects.get(pk=obj.pk),
                actor=request.user,
                name=obj.name,
                description=obj.description,
            )
            return

        created = services.catalog_create(
            owner=obj.owner,
            name=obj.name,
            description=obj.description,
            actor=request.user,
        )
        obj.pk = created.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        if formset.model is not CatalogPermission:
            return super().save_formset(request, form, formset, change)

        formset.save(commit=False)
        for permission in formset.deleted_objects:
            services.catalog_revoke(permission=permission, actor=request.user)
        for permission, _ in formset.changed_objects:
            services.catalog_grant_change(
                permission=CatalogPermission.objects.get(pk=permission.pk),
                actor=request.user,
                access=permission.access,
            )
        for permission in formset.new_objects:
            services.catalog_grant(
                catalog=form.instance,
                actor=request.user,
                user=permission.user,
                access=permission.access,
            )

    def get_deleted_objects(self, objs, request):
        # Conversations about a catalog go with it (see `catalog_delete`),
        # though staff may not delete one on its own.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        perms_needed.discard(Conversation._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.catalog_delete(catalog=obj, actor=request.user, force=True)

    def delete_queryset(self, request, queryset):
        for catalog in queryset:
            services.catalog_delete(catalog=catalog, actor=request.user, force=True)


class VersionInline(admin.TabularInline):
    model = Version
    fields = [
        "number",
        "original_name",
        "size_display",
        "content_type",
        "comment",
        "uploaded_by",
        "created_at",
        "extraction_status",
        "extraction_error",
        "download",
    ]
    readonly_fields = fields
    ordering = ["-number"]
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="size")
    def size_display(self, version):
        return filesizeformat(version.size)

    @admin.display(description="download")
    def download(self, version):
        url = reverse(
            "admin:catalogs_file_download", args=[version.file_id, version.number]
        )
        return format_html('<a href="{}">Download</a>', url)


class FileForm(forms.ModelForm):
    new_version = forms.FileField(
        required=False, help_text="Upload a file to add it as the newest version."
    )
    comment = forms.CharField(
        required=False, help_text="What changed in the new version."
    )

    class Meta:
        model = File
        fields = ["name"]

    def clean_name(self):
        try:
            return services.display_name(self.cleaned_data["name"])
        except ApplicationError as error:
            raise ValidationError(error.detail) from None

    def clean(self):
        cleaned = super().clean()
        changing = self.has_changed() and (
            "name" in self.changed_data or cleaned.get("new_version")
        )
        if changing and self.instance.is_trashed:
            raise ValidationError("The file is in the trash. Restore it first.")
        return cleaned


class FileAddForm(forms.ModelForm):
    upload = forms.FileField(help_text="The document; it becomes version 1.")
    name = forms.CharField(
        required=False, help_text="Shown in lists; the upload's name if empty."
    )
    comment = forms.CharField(required=False)

    class Meta:
        model = File
        fields = ["catalog"]


@admin.register(File)
class FileAdmin(ServiceErrorsAdminMixin, admin.ModelAdmin):
    form = FileForm
    add_form = FileAddForm
    add_fields = ["catalog", "upload", "name", "comment"]
    list_display = ["name", "catalog", "current_version", "updated_at", "trashed_at"]
    list_filter = [("trashed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["catalog", "current_version__file"]
    search_fields = ["name", "catalog__name"]
    fields = [
        "name",
        "new_version",
        "comment",
        "catalog",
        "current_version",
        "created_by",
        "created_at",
        "updated_at",
        "trashed_at",
        "trashed_by",
    ]
    readonly_fields = fields[3:]
    inlines = [VersionInline]
    actions = ["trash", "restore"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.file_upload(
                catalog=form.cleaned_data["catalog"],
                uploader=request.user,
                content=form.cleaned_data["upload"],
                name=form.cleaned_data["name"],
                comment=form.cleaned_data["comment"],
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            obj._state.adding = False
            return

        file = File.objects.get(pk=obj.pk)
        if "name" in form.changed_data:
            file = services.file_rename(file=file, actor=request.user, name=obj.name)
        content = form.cleaned_data.get("new_version")
        if content:
            services.version_upload(
                file=file,
                uploader=request.user,
                content=content,
                comment=form.cleaned_data["comment"],
            )

    def delete_model(self, request, obj):
        services.file_purge(file=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for file in queryset:
            services.file_purge(file=file, actor=request.user)

    @admin.action(description="Move the selected files to the trash")
    def trash(self, request, queryset):
        self.apply(
            request, queryset.filter(trashed_at__isnull=True), services.file_trash
        )

    @admin.action(description="Restore the selected files from the trash")
    def restore(self, request, queryset):
        self.apply(
            request, queryset.filter(trashed_at__isnull=False), services.file_restore
        )

    def apply(self, request, files, service):
        count = 0
        for file in files:
            service(file=file, actor=request.user)
            count += 1
        self.message_user(request, f"{count} file(s) done.", messages.SUCCESS)

    def get_urls(self):
        download = path(
            "<int:file_id>/versions/<int:number>/download/",
            self.admin_site.admin_view(self.download_view),
            name="catalogs_file_download",
        )
        return [download, *super().get_urls()]

    def download_view(self, request, file_id, number):
        version = get_object_or_404(
            Version.objects.select_related("file"), file_id=file_id, number=number
        )
        if not self.has_view_permission(request, version.file):
            raise PermissionDenied
        return download_response(
            services.version_download(version=version, actor=request.user)
        )
