"""
Filters shared by every app's lists, strict about what they accept.

A value that cannot be looked up answers 400 with the reason; it never
reaches the database, where SQLite fails on integers past 64 bits and on
times that fall outside the years 1 to 9999 once moved to UTC.
"""

from datetime import UTC

from django import forms
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from django_filters.filters import BooleanFilter

# The largest value of a 64-bit signed integer, such as a BigAutoField.
MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """The id of a row: a whole number from 1, no larger than ids are stored."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UtcDateTimeField(IsoDateTimeField):
    default_error_messages = {
        "out_of_range": "Enter a date and time between the years 1 and 9999 in UTC.",
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None:
            try:
                value.astimezone(UTC)
            except OverflowError:
                raise ValidationError(
                    self.error_messages["out_of_range"], code="out_of_range"
                ) from None
        return value


class DateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date and time, refused when UTC cannot hold it."""

    field_class = UtcDateTimeField


class TrueFalseField(forms.Field):
    """
    `true` or `false`, and nothing else: not 1, yes, on or True.

    The one rule for every true/false query parameter, filters included.
    """

    default_error_messages = {"invalid": "Use true or false."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if value not in ("true", "false"):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value == "true"


class StrictBooleanFilter(BooleanFilter):
    """
    A true/false filter that refuses any other value with a 400.

    django-filter's `BooleanFilter` for DRF ignores a value it cannot read,
    such as "maybe", and so answers with the whole list.
    """

    field_class = TrueFalseField
