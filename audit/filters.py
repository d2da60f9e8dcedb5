from django_filters import rest_framework as filters

from audit.actions import Action
from audit.models import ActivityLog
from config.filters import DateTimeFilter, IdFilter


class ActivityFilter(filters.FilterSet):
    """Filters of the activity list and its CSV export."""

    actor = IdFilter(field_name="actor_id", help_text="Id of the user who acted.")
    actor_email = filters.CharFilter(
        lookup_expr="iexact", help_text="E-mail of the user who acted."
    )
    action = filters.MultipleChoiceFilter(
        choices=Action.choices, help_text="Action code; repeat for several."
    )
    target_type = filters.CharFilter(
        help_text="Model label of the target, such as `catalogs.catalog`."
    )
    target_id = filters.CharFilter(help_text="Id of the target.")
    created_after = DateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text="Recorded at or after this date or time (ISO 8601, UTC).",
    )
    created_before = DateTimeFilter(
        field_name="created_at",
        lookup_expr="lt",
        help_text="Recorded before this date or time (ISO 8601, UTC).",
    )

    class Meta:
        model = ActivityLog
        fields = []
