"""Pieces shared by every app's API: pagination, strict ordering and filters."""

from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class StrictOrderingFilter(OrderingFilter):
    """An ordering filter that refuses unknown fields instead of ignoring them."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if not params:
            return self.get_default_ordering(view)

        fields = [param.strip() for param in params.split(",")]
        valid = {
            name
            for name, _ in self.get_valid_fields(queryset, view, {"request": request})
        }
        unknown = [field for field in fields if field.lstrip("-") not in valid]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: f"Cannot order by {', '.join(unknown)}. "
                    f"Choose from: {', '.join(sorted(valid))}."
                }
            )
        return fields


class StrictBooleanFilter(filters.TypedChoiceFilter):
    """
    A true/false filter that refuses any other value with a 400.

    django-filter's `BooleanFilter` ignores a value it cannot read, such as
    "maybe", and so answers with the whole list.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "Yes"), ("false", "No")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)
