from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import DomainNameValidator
from rest_framework import serializers

from accounts.models import SIGNUP_ROLES, Domain, Role, User


def validate_new_password(password, user):
    """Run Django's password validators; refuse with all their messages."""
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as error:
        raise serializers.ValidationError(list(error.messages)) from None
    return password


class FixedFieldsMixin:
    """
    Refuse, rather than silently ignore, a field that cannot be changed.

    `fixed_fields` maps a field name to the reason given to the client.
    """

    fixed_fields: dict[str, str] = {}

    def validate(self, attrs):
        refused = {
            name: [reason]
            for name, reason in self.fixed_fields.items()
            if name in self.initial_data
        }
        if refused:
            raise serializers.ValidationError(refused)
        return super().validate(attrs)


class UserSerializer(serializers.ModelSerializer):
    domain = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "domain",
            "is_active",
            "date_joined",
            "last_login",
        ]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=4096,
        style={"input_type": "password"},
    )
    first_name = serializers.CharField(max_length=150, required=False, default="")
    last_name = serializers.CharField(max_length=150, required=False, default="")

    def validate(self, attrs):
        user = User(
            email=attrs["email"],
            first_name=attrs["first_name"],
            last_name=attrs["last_name"],
        )
        try:
            validate_new_password(attrs["password"], user)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"password": error.detail}) from None
        return attrs


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        trim_whitespace=False, max_length=4096, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    """A new token: its secret is shown this once and never again."""

    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)
    user = UserSerializer()


class ProfileSerializer(FixedFieldsMixin, serializers.ModelSerializer):
    """What a user may change about themselves: their names."""

    fixed_fields = {
        "email": "Ask an admin to change your e-mail address.",
        "role": "You cannot change your own role.",
        "domain": "Your domain follows your e-mail address.",
        "is_active": "You cannot deactivate yourself.",
        "password": "Change your password with POST /api/v1/auth/password/, "
        "giving the old one.",
    }

    domain = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = User
        fields = UserSerializer.Meta.fields
        read_only_fields = [
            name for name in fields if name not in {"first_name", "last_name"}
        ]


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(
        trim_whitespace=False, max_length=4096, style={"input_type": "password"}
    )
    new_password = serializers.CharField(
        trim_whitespace=False, max_length=4096, style={"input_type": "password"}
    )

    def validate_new_password(self, value):
        return validate_new_password(value, self.context["request"].user)


class UserCreateSerializer(RegisterSerializer):
    role = serializers.ChoiceField(
        choices=Role.choices,
        required=False,
        help_text="Without it, the default role of the user's domain.",
    )


class UserUpdateSerializer(FixedFieldsMixin, serializers.ModelSerializer):
    fixed_fields = {
        "domain": "The domain follows the e-mail address.",
        "password": "Users change their own password; an admin sets one in the "
        "Django admin.",
    }

    email = serializers.EmailField(max_length=254, required=False)
    domain = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = User
        fields = UserSerializer.Meta.fields
        read_only_fields = ["id", "date_joined", "last_login"]


class DomainSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        max_length=253, validators=[DomainNameValidator(accept_idna=False)]
    )
    default_role = serializers.ChoiceField(choices=SIGNUP_ROLES, required=False)
    user_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Domain
        fields = ["id", "name", "is_active", "default_role", "user_count", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_name(self, value):
        name = Domain.normalize_name(value)
        if self.instance is not None and name != self.instance.name:
            raise serializers.ValidationError(
                "The name of a domain cannot change, since its users' addresses "
                "end with it. Allow a new domain instead."
            )
        return name
