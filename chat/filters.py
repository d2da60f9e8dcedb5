from django_filters import rest_framework as filters

from chat.models import Conversation
from config.filters import IdFilter


class ConversationFilter(filters.FilterSet):
    # An id rather than a choice among catalogs, whose "no such choice"
    # would tell apart the catalogs that exist from those that do not.
    catalog = IdFilter(field_name="catalog", help_text="Id of the catalog asked.")

    class Meta:
        model = Conversation
        fields = ["catalog"]
