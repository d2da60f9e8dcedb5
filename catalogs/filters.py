from django_filters import rest_framework as filters

from catalogs.models import Catalog, File, Version
from config.filters import DateTimeFilter, IdFilter, StrictBooleanFilter


class CatalogFilter(filters.FilterSet):
    owner = IdFilter(field_name="owner", help_text="Owner's user id.")
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Catalog
        fields = ["owner", "created_after", "created_before"]


class FileFilter(filters.FilterSet):
    """Files outside the trash, unless `trashed=true` asks for the trash."""

    catalog = IdFilter(field_name="catalog")
    trashed = StrictBooleanFilter(
        field_name="trashed_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: only the trash; false (the default): everything else.",
    )
    content_type = filters.CharFilter(field_name="current_version__content_type")
    created_by = IdFilter(field_name="created_by")
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    updated_after = DateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = File
        fields = [
            "catalog",
            "trashed",
            "content_type",
            "created_by",
            "created_after",
            "created_before",
            "updated_after",
        ]

    def filter_queryset(self, queryset):
        if self.form.cleaned_data.get("trashed") is None:
            queryset = queryset.filter(trashed_at__isnull=True)
        return super().filter_queryset(queryset)


class VersionFilter(filters.FilterSet):
    uploaded_by = IdFilter(field_name="uploaded_by")
    content_type = filters.CharFilter(field_name="content_type")
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Version
        fields = ["uploaded_by", "content_type", "created_after", "created_before"]
