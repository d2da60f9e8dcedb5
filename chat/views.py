from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.throttling import ScopedRateThrottle
from chat import services
from chat.filters import ConversationFilter
from chat.models import Conversation
from chat.selectors import conversation_list, message_list, messages_as_seen_by
from chat.serializers import (
    ConversationSerializer,
    ConversationUpdateSerializer,
    ExchangeSerializer,
    MessageSerializer,
    QuestionSerializer,
)


class ConversationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own conversations, and the questions asked in them."""

    serializer_class = ConversationSerializer
    filterset_class = ConversationFilter
    throttle_classes = [ScopedRateThrottle]
    ordering_fields = ["created_at", "updated_at", "title"]

    @property
    def throttle_scope(self):
        """Questions are limited per user, since each costs an answer."""
        return "chat" if self.action == "messages" else None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema has no user
            return Conversation.objects.none()
        return conversation_list(user=self.request.user)

    def create(self, request):
        serializer = ConversationSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)

        conversation = services.conversation_create(
            user=request.user, **serializer.validated_data
        )
        return Response(
            ConversationSerializer(conversation).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=ConversationUpdateSerializer, responses=ConversationSerializer
    )
    def partial_update(self, request, pk=None):
        conversation = self.get_object()
        serializer = ConversationUpdateSerializer(conversation, data=request.data)
        serializer.is_valid(raise_exception=True)

        conversation = services.conversation_rename(
            user=request.user,
            conversation=conversation,
            title=serializer.validated_data.get("title", conversation.title),
        )
        return Response(ConversationSerializer(conversation).data)

    @extend_schema(
        request=ConversationUpdateSerializer, responses=ConversationSerializer
    )
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    def destroy(self, request, pk=None):
        services.conversation_delete(user=request.user, conversation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], responses=MessageSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=QuestionSerializer,
        responses={
            201: ExchangeSerializer,
            400: OpenApiResponse(description="Empty or over-long question."),
            403: OpenApiResponse(
                description="The catalog of the conversation is no longer "
                "readable (code `catalog_unreadable`)."
            ),
            429: OpenApiResponse(
                description="Too many questions; `Retry-After` says how many "
                "seconds to wait (code `throttled`). The question is not kept."
            ),
            502: OpenApiResponse(
                description="The assistant failed; the question is kept "
                "(code `assistant_unavailable`)."
            ),
            504: OpenApiResponse(
                description="The assistant timed out; the question is kept "
                "(code `assistant_timeout`)."
            ),
        },
    )
    # The list's filters would pick the conversation, not its messages.
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=QuestionSerializer,
        filter_backends=[],
    )
    def messages(self, request, pk=None):
        """The history in order; POST asks a question and returns both turns."""
        conversation = self.get_object()
        if request.method == "GET":
            page = messages_as_seen_by(
                user=request.user,
                messages=self.paginate_queryset(
                    message_list(conversation=conversation)
                ),
            )
            messages = MessageSerializer(page, many=True, context={"request": request})
            return self.get_paginated_response(messages.data)

        serializer = QuestionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question, answer = services.message_ask(
            user=request.user,
            conversation=conversation,
            content=serializer.validated_data["content"],
        )
        exchange = ExchangeSerializer(
            {"question": question, "answer": answer}, context={"request": request}
        )
        return Response(exchange.data, status=status.HTTP_201_CREATED)
