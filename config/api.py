"""
Pieces shared by every app's API: parsing, pagination and ordering.

Each refuses a value it cannot use with a 400 that names it, rather than
ignoring it or failing further in.
"""

import codecs
import json
import math

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser as BaseJSONParser
from rest_framework.parsers import MultiPartParser as BaseMultiPartParser
from rest_framework.parsers import get_encoding

from config.filters import TrueFalseField


def finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is too large")
    return value


def refuse_constant(name):
    raise ValueError(f"{name} is not a JSON number")


class JSONParser(BaseJSONParser):
    """
    JSON whose numbers are finite and whose nesting Python can follow.

    A number such as `1e400` would become an infinite float that no field
    can use, and thousands of nested brackets exhaust the recursion limit.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            return json.load(
                codecs.getreader(encoding)(stream),
                parse_float=finite_float,
                parse_constant=refuse_constant,
            )
        except RecursionError:
            raise ParseError(
                "JSON parse error - the data is nested too deeply."
            ) from None
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None


class MultiPartParser(BaseMultiPartParser):
    """Multipart forms, refused when their charset cannot decode them."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except UnicodeError:
            raise ParseError(
                "Multipart form parse error - its charset cannot decode it. Send UTF-8."
            ) from None


def positive_int_param(name, value, *, maximum=None):
    """A query parameter that must be a whole number from 1 (to `maximum`)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1 or (maximum is not None and number > maximum):
        limit = f"1 to {maximum}" if maximum is not None else "1 up"
        raise ValidationError({name: f"Use a whole number from {limit}."})
    return number


def boolean_param(request, name):
    """A query parameter that is `true` or `false`; false when it is absent."""
    try:
        value = TrueFalseField(required=False).clean(request.query_params.get(name))
    except DjangoValidationError as error:
        raise ValidationError({name: error.messages[0]}) from None
    return bool(value)


class Pagination(PageNumberPagination):
    """Pages of 50 by default; `page` and `page_size` must be whole numbers."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        return positive_int_param(
            self.page_size_query_param, value, maximum=self.max_page_size
        )

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value and value not in self.last_page_strings:
            positive_int_param(self.page_query_param, value)
        return super().get_page_number(request, paginator)


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
