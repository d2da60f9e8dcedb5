from django_filters import rest_framework as filters

from accounts.models import SIGNUP_ROLES, Domain, Role, User
from config.filters import StrictBooleanFilter


class UserFilter(filters.FilterSet):
    role = filters.ChoiceFilter(choices=Role.choices)
    domain = filters.ModelChoiceFilter(
        queryset=Domain.objects.all(),
        to_field_name="name",
        help_text="The name of a domain, such as example.org.",
    )
    is_active = StrictBooleanFilter()

    class Meta:
        model = User
        fields = ["role", "domain", "is_active"]


class DomainFilter(filters.FilterSet):
    default_role = filters.ChoiceFilter(choices=SIGNUP_ROLES)
    is_active = StrictBooleanFilter()

    class Meta:
        model = Domain
        fields = ["default_role", "is_active"]
