from django.contrib.auth import login, logout, update_session_auth_hash
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.authentication import TokenAuthentication
from accounts.exceptions import InvalidCredentials, LockedOut
from accounts.filters import DomainFilter, UserFilter
from accounts.lockout import lockout_retry_after
from accounts.permissions import IsAdminRoleOrReadsObject, SignupOpen
from accounts.selectors import domain_list, user_list
from accounts.serializers import (
    DomainSerializer,
    LoginSerializer,
    PasswordChangeSerializer,
    ProfileSerializer,
    RegisterSerializer,
    TokenSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from accounts.throttling import ScopedRateThrottle

NO_CONTENT = OpenApiResponse(description="Done.")
THROTTLED = OpenApiResponse(
    description="Too many sign-ups from this address; `Retry-After` says how "
    "many seconds to wait (code `throttled`)."
)


class CredentialsView(GenericAPIView):
    """A view that checks a password, and says when to retry after a lockout."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, LockedOut):
            response["Retry-After"] = lockout_retry_after()
        return response


class RegisterView(GenericAPIView):
    """
    Sign up with an address of an allowed domain, while sign-up is open.

    The new user gets the domain's default role. The address is not yet
    confirmed by e-mail. Each client address may sign up only so often
    (`SIGNUP_THROTTLE_RATE`).
    """

    authentication_classes = []
    permission_classes = [SignupOpen]
    serializer_class = RegisterSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "signup"

    @extend_schema(responses={201: UserSerializer, 429: THROTTLED})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        user = services.user_register(**serializer.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(CredentialsView):
    """
    Log in for a session, as a browser or the browsable API does.

    Like Django's own login form, it needs the CSRF cookie (set by a `GET`
    here) and its value in the `X-CSRFToken` header. Scripts use a token.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = LoginSerializer

    @extend_schema(responses={200: OpenApiResponse(description="Sets the cookie.")})
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        return Response({"detail": "Send your e-mail address and password."})

    @extend_schema(responses={200: UserSerializer})
    def post(self, request):
        SessionAuthentication().enforce_csrf(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        user = services.credentials_check(request=request, **serializer.validated_data)
        login(request, user)
        return Response(UserSerializer(user).data)


class LogoutView(APIView):
    """End the session; without one, there is nothing to do."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(request=None, responses={204: NO_CONTENT})
    def post(self, request):
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenView(CredentialsView):
    """
    `POST` an e-mail address and password for a token; `DELETE` revokes it.

    Send the token as `Authorization: Token <token>`. It expires, and only
    its hash is stored: it cannot be shown again. A session cookie plays no
    part here.
    """

    serializer_class = LoginSerializer

    def get_authenticators(self):
        if self.revokes:
            return [TokenAuthentication()]
        return []

    def get_permissions(self):
        if self.revokes:
            return [IsAuthenticated()]
        return [AllowAny()]

    @property
    def revokes(self):
        return getattr(self.request, "method", None) == "DELETE"

    @extend_schema(responses={201: TokenSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        user = services.credentials_check(request=request, **serializer.validated_data)
        token, secret = services.token_create(user=user)
        body = {"token": secret, "expiry": token.expiry, "user": user}
        return Response(TokenSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: NO_CONTENT})
    def delete(self, request):
        services.token_revoke(token=request.auth, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(GenericAPIView):
    """Your own account; you may change your names."""

    serializer_class = ProfileSerializer

    def get(self, request):
        return Response(self.get_serializer(request.user).data)

    def patch(self, request):
        serializer = self.get_serializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)

        user = services.user_update(
            user=request.user, actor=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(user).data)


class PasswordView(CredentialsView):
    """
    Change your password, giving the old one.

    Your other sessions end and your other tokens are revoked; the session or
    token this request came with keeps working.
    """

    serializer_class = PasswordChangeSerializer

    @extend_schema(responses={204: NO_CONTENT})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        try:
            services.credentials_check(
                request=request,
                email=request.user.email,
                password=data["old_password"],
            )
        except InvalidCredentials:
            return Response(
                {"old_password": ["The old password is wrong."]},
                status=status.HTTP_400_BAD_REQUEST,
            )

        token = request.auth if isinstance(request.auth, AuthToken) else None
        services.user_set_password(
            user=request.user,
            actor=request.user,
            password=data["new_password"],
            keep_token=token,
        )
        if token is None:
            update_session_auth_hash(request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """
    Users, for admins: search by e-mail or name, filter, create, change,
    deactivate. Anyone else gets 403 on the list and may read only
    their own record, at `/api/v1/users/{their id}/`.

    `DELETE` removes only a user who owns no data (409 otherwise); deactivate
    with `PATCH {"is_active": false}` instead.
    """

    permission_classes = [IsAdminRoleOrReadsObject]
    filterset_class = UserFilter
    search_fields = ["email", "first_name", "last_name"]
    ordering_fields = ["email", "first_name", "last_name", "role", "date_joined"]
    ordering = ["email"]

    def get_queryset(self):
        return user_list(viewer=self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return UserCreateSerializer
        if self.action == "partial_update":
            return UserUpdateSerializer
        return UserSerializer

    @extend_schema(responses={201: UserSerializer})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        user = services.user_create(actor=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: UserSerializer})
    def partial_update(self, request, pk=None):
        user = self.get_object()
        serializer = self.get_serializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)

        user = services.user_update(
            user=user, actor=request.user, **serializer.validated_data
        )
        return Response(UserSerializer(user).data)

    @extend_schema(responses={204: NO_CONTENT})
    def destroy(self, request, pk=None):
        services.user_delete(user=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DomainViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """
    Allowed e-mail domains, for admins.

    `DELETE` removes a domain nobody uses (204); a domain with users is
    deactivated instead (200, with the domain).
    """

    permission_classes = [IsAdminRoleOrReadsObject]
    serializer_class = DomainSerializer
    filterset_class = DomainFilter
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "user_count"]
    ordering = ["name"]

    def get_queryset(self):
        return domain_list(viewer=self.request.user)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        domain = services.domain_create(actor=request.user, **serializer.validated_data)
        return Response(self.represent(domain), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        domain = self.get_object()
        serializer = self.get_serializer(domain, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.validated_data.pop("name", None)

        domain = services.domain_update(
            domain=domain, actor=request.user, **serializer.validated_data
        )
        return Response(self.represent(domain))

    @extend_schema(responses={200: DomainSerializer, 204: NO_CONTENT})
    def destroy(self, request, pk=None):
        domain = self.get_object()
        if services.domain_delete(domain=domain, actor=request.user):
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self.represent(domain))

    def represent(self, domain):
        return self.get_serializer(self.get_queryset().get(pk=domain.pk)).data
