import re

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse
from rest_framework.utils import html

from accounts.selectors import user_for_email
from catalogs.models import Access, Catalog, CatalogPermission, File, Version
from catalogs.services import DIRECT_UPLOAD_MAX_BYTES

User = get_user_model()

# A media type as RFC 6838 names them, without parameters.
MEDIA_TYPE = re.compile(
    r"^[a-z0-9][\w!#$&^.+-]{0,126}/[a-z0-9][\w!#$&^.+-]{0,126}\Z",
    re.ASCII | re.IGNORECASE,
)


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email"]
        read_only_fields = fields


class CatalogSerializer(serializers.ModelSerializer):
    owner = UserSummarySerializer(read_only=True)
    access = serializers.ChoiceField(
        choices=Access.choices, read_only=True, help_text="What you may do here."
    )
    file_count = serializers.IntegerField(
        read_only=True, help_text="Files outside the trash."
    )

    class Meta:
        model = Catalog
        fields = [
            "id",
            "name",
            "description",
            "owner",
            "access",
            "file_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class GrantSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True)
    granted_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = CatalogPermission
        fields = ["id", "user", "access", "granted_by", "created_at"]
        read_only_fields = ["created_at"]


class GrantCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="The e-mail address of the user.")
    access = serializers.ChoiceField(choices=Access.choices)

    def validate_email(self, email):
        user = user_for_email(email)
        if user is None:
            raise serializers.ValidationError("There is no user with this e-mail.")
        return user


class GrantChangeSerializer(serializers.Serializer):
    access = serializers.ChoiceField(choices=Access.choices)


class VersionSerializer(serializers.ModelSerializer):
    uploaded_by = UserSummarySerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Version
        fields = [
            "number",
            "size",
            "sha256",
            "content_type",
            "original_name",
            "comment",
            "uploaded_by",
            "created_at",
            "extraction_status",
            "extraction_error",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, version) -> str:
        return reverse(
            "file-version-download",
            kwargs={"file_pk": version.file_id, "number": version.number},
            request=self.context.get("request"),
        )


class FileSerializer(serializers.ModelSerializer):
    current_version = VersionSerializer(read_only=True)
    created_by = UserSummarySerializer(read_only=True)
    trashed_by = UserSummarySerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = File
        fields = [
            "id",
            "catalog",
            "name",
            "current_version",
            "created_by",
            "created_at",
            "updated_at",
            "trashed_at",
            "trashed_by",
            "download_url",
        ]
        read_only_fields = [field for field in fields if field != "name"]

    def get_download_url(self, file) -> str:
        return reverse(
            "file-download", kwargs={"pk": file.pk}, request=self.context.get("request")
        )


@extend_schema_field(OpenApiTypes.BINARY)
class SingleFileField(serializers.FileField):
    """
    An uploaded file, refused when a form sends several under its name.

    Only ever read, so the schema describes it as the bytes of a multipart
    part rather than as the URL a file field would answer with.
    """

    default_error_messages = {"multiple": "Send one file at a time, not {count}."}

    def get_value(self, dictionary):
        if html.is_html_input(dictionary):
            files = dictionary.getlist(self.field_name)
            if len(files) > 1:
                return files
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > 1:
            self.fail("multiple", count=len(data))
        return super().to_internal_value(data)


class FileUploadSerializer(serializers.Serializer):
    file = SingleFileField(
        allow_empty_file=True, help_text="The document, sent as multipart form data."
    )
    name = serializers.CharField(
        required=False, max_length=1024, help_text="Display name; the file's name."
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class VersionUploadSerializer(serializers.Serializer):
    file = SingleFileField(allow_empty_file=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class VersionRestoreSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class UploadStartSerializer(serializers.Serializer):
    filename = serializers.CharField(max_length=1024)
    size = serializers.IntegerField(min_value=0, max_value=DIRECT_UPLOAD_MAX_BYTES)
    content_type = serializers.RegexField(
        MEDIA_TYPE,
        required=False,
        allow_blank=True,
        max_length=255,
        default="",
        error_messages={"invalid": "Give a media type such as application/pdf."},
        help_text="What the client will send as the file's type; the stored "
        "type is sniffed from its bytes.",
    )
    file = serializers.PrimaryKeyRelatedField(
        queryset=File.objects.none(),
        required=False,
        allow_null=True,
        help_text="A file of this catalog to add a version to; omit for a new file.",
    )
    name = serializers.CharField(required=False, max_length=1024, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "catalog" in self.context:
            self.fields["file"].queryset = self.context["catalog"].files.all()


class UploadStartedSerializer(serializers.Serializer):
    """A presigned request: send the file with it, then complete the upload."""

    id = serializers.UUIDField(source="upload.pk")
    method = serializers.CharField()
    url = serializers.URLField()
    fields = serializers.DictField(
        child=serializers.CharField(),
        help_text="Form fields to send before the file, which goes last as `file`.",
    )
    expires_at = serializers.DateTimeField(help_text="When the request expires.")
    max_bytes = serializers.IntegerField(source="upload.size")
    complete_url = serializers.SerializerMethodField()

    def get_complete_url(self, started) -> str:
        return reverse(
            "upload-complete",
            kwargs={"pk": started.upload.pk},
            request=self.context.get("request"),
        )
