from django.conf import settings
from rest_framework import serializers
from rest_framework.reverse import reverse

from catalogs.selectors import catalogs_readable_by
from chat.models import Conversation, Message


class ReadableCatalogField(serializers.PrimaryKeyRelatedField):
    """A catalog id, accepted only for a catalog the caller can read."""

    def get_queryset(self):
        return catalogs_readable_by(self.context["request"].user)


class ConversationSerializer(serializers.ModelSerializer):
    catalog = ReadableCatalogField(required=False, allow_null=True)

    class Meta:
        model = Conversation
        fields = ["id", "title", "catalog", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class ConversationUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Conversation
        fields = ["title"]


class CitationSerializer(serializers.Serializer):
    file = serializers.IntegerField(help_text="Id of the file quoted.")
    file_name = serializers.CharField()
    version = serializers.IntegerField(help_text="Number of the version quoted.")
    page = serializers.IntegerField(
        allow_null=True, help_text="Page of the passage, for formats with pages."
    )
    passage = serializers.CharField()
    score = serializers.FloatField(help_text="Relevance; higher is better.")
    download_url = serializers.SerializerMethodField(
        help_text="Download of the very version quoted."
    )

    def get_download_url(self, citation) -> str:
        return reverse(
            "file-version-download",
            kwargs={"file_pk": citation["file"], "number": citation["version"]},
            request=self.context.get("request"),
        )


class MessageSerializer(serializers.ModelSerializer):
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "role", "content", "status", "citations", "created_at"]
        read_only_fields = fields


class QuestionSerializer(serializers.Serializer):
    content = serializers.CharField()

    def validate_content(self, value):
        limit = settings.CHAT_MESSAGE_MAX_CHARS
        if len(value) > limit:
            raise serializers.ValidationError(
                f"Ask in at most {limit} characters (this question has {len(value)})."
            )
        return value


class ExchangeSerializer(serializers.Serializer):
    question = MessageSerializer()
    answer = MessageSerializer()
