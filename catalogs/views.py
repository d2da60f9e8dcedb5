"""
The catalogs API: catalogs and their grants, files, versions and uploads.

Views load what they work on through `catalogs.selectors`, so anything the
caller may not read answers 404; `HasCatalogAccess` then answers 403 to a
change the caller's access does not cover. The work is done by services.
"""

from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from catalogs import selectors, services
from catalogs.filters import CatalogFilter, FileFilter, VersionFilter
from catalogs.models import Access, Catalog, CatalogPermission, File, Version
from catalogs.permissions import CanCreateCatalogs, HasCatalogAccess
from catalogs.serializers import (
    CatalogSerializer,
    FileSerializer,
    FileUploadSerializer,
    GrantChangeSerializer,
    GrantCreateSerializer,
    GrantSerializer,
    UploadStartedSerializer,
    UploadStartSerializer,
    VersionRestoreSerializer,
    VersionSerializer,
    VersionUploadSerializer,
)
from config.api import MultiPartParser, boolean_param

READ_ACTIONS = {"list", "retrieve", "download", "metadata", None}

FORCE_PARAMETER = OpenApiParameter(
    "force", OpenApiTypes.BOOL, description="Delete the catalog's files too."
)
PURGE_PARAMETER = OpenApiParameter(
    "purge",
    OpenApiTypes.BOOL,
    description="Delete the file and its stored versions for good (manage).",
)


def download_response(download):
    if download.url:
        return HttpResponseRedirect(download.url)
    version = download.version
    return FileResponse(
        download.stream,
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )


class CatalogAccessMixin:
    """
    Views under one catalog, and what each of their actions needs.

    The catalog in the path is checked before anything else, the body
    included, so that a caller who may not read it learns nothing from
    the answer to what they sent.
    """

    permission_classes = [IsAuthenticated, HasCatalogAccess]

    def check_permissions(self, request):
        # Asked again by the browsable API for each form it may show.
        super().check_permissions(request)
        if "catalog_pk" in self.kwargs:
            self.check_object_permissions(request, self.get_catalog())

    def required_access(self, request):
        return Access.READ if self.action in READ_ACTIONS else Access.WRITE

    def get_catalog(self):
        if not hasattr(self, "_catalog"):
            readable = selectors.catalogs_readable_by(self.request.user)
            self._catalog = get_object_or_404(readable, pk=self.kwargs["catalog_pk"])
        return self._catalog


class CatalogViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Catalogs you can read; editors and admins create them."""

    queryset = Catalog.objects.none()  # for the schema; requests use get_queryset
    lookup_value_regex = r"\d+"
    serializer_class = CatalogSerializer
    permission_classes = [IsAuthenticated, CanCreateCatalogs, HasCatalogAccess]
    filterset_class = CatalogFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at", "updated_at", "file_count"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.catalog_list(user=self.request.user)

    def required_access(self, request):
        return Access.READ if self.action in READ_ACTIONS else Access.MANAGE

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        catalog = services.catalog_create(
            owner=request.user,
            name=serializer.validated_data["name"],
            description=serializer.validated_data.get("description", ""),
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=catalog.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, pk=None):
        catalog = self.get_object()
        serializer = self.get_serializer(catalog, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.catalog_update(
            catalog=catalog, actor=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        parameters=[FORCE_PARAMETER],
        description="Delete the catalog, its grants and every conversation "
        "about it. A catalog that still holds files, trashed ones included, "
        "is refused with 409 unless `force=true`.",
    )
    def destroy(self, request, pk=None):
        catalog = self.get_object()
        services.catalog_delete(
            catalog=catalog, actor=request.user, force=boolean_param(request, "force")
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class GrantViewSet(CatalogAccessMixin, viewsets.GenericViewSet):
    """Who may read, write or manage a catalog; for those who manage it."""

    queryset = CatalogPermission.objects.none()  # for the schema
    lookup_value_regex = r"\d+"
    serializer_class = GrantSerializer
    filter_backends = []

    def required_access(self, request):
        return Access.MANAGE

    def get_queryset(self):
        return selectors.grant_list(catalog=self.get_catalog())

    def list(self, request, catalog_pk=None):
        grants = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(grants, many=True).data)

    @extend_schema(request=GrantCreateSerializer, responses=GrantSerializer)
    def create(self, request, catalog_pk=None):
        serializer = GrantCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        permission = services.catalog_grant(
            catalog=self.get_catalog(),
            actor=request.user,
            user=serializer.validated_data["email"],
            access=serializer.validated_data["access"],
        )
        return Response(
            self.get_serializer(permission).data, status=status.HTTP_201_CREATED
        )

    def retrieve(self, request, catalog_pk=None, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=GrantChangeSerializer, responses=GrantSerializer)
    def partial_update(self, request, catalog_pk=None, pk=None):
        serializer = GrantChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        permission = services.catalog_grant_change(
            permission=self.get_object(),
            actor=request.user,
            access=serializer.validated_data["access"],
        )
        return Response(self.get_serializer(permission).data)

    def destroy(self, request, catalog_pk=None, pk=None):
        services.catalog_revoke(permission=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CatalogFileViewSet(CatalogAccessMixin, viewsets.GenericViewSet):
    """The files of one catalog; `POST` uploads a new one (multipart)."""

    queryset = File.objects.none()  # for the schema
    serializer_class = FileSerializer
    filterset_class = FileFilter
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "updated_at", "size"]
    ordering = ["name", "id"]
    # Only a multipart form carries a file.
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return selectors.file_list(user=self.request.user, catalog=self.get_catalog())

    def get_serializer_class(self):
        # The browsable API builds its upload form from this serializer.
        return FileUploadSerializer if self.action == "create" else FileSerializer

    def list(self, request, catalog_pk=None):
        files = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(files, many=True).data)

    @extend_schema(request=FileUploadSerializer, responses={201: FileSerializer})
    def create(self, request, catalog_pk=None):
        catalog = self.get_catalog()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        file = services.file_upload(
            catalog=catalog,
            uploader=request.user,
            content=serializer.validated_data["file"],
            name=serializer.validated_data.get("name", ""),
            comment=serializer.validated_data["comment"],
        )
        body = FileSerializer(file, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class CatalogUploadView(CatalogAccessMixin, APIView):
    """Start a direct upload to S3, for files too big to send through the API."""

    def required_access(self, request):
        return Access.WRITE

    @extend_schema(
        request=UploadStartSerializer, responses={201: UploadStartedSerializer}
    )
    def post(self, request, catalog_pk=None):
        catalog = self.get_catalog()
        serializer = UploadStartSerializer(
            data=request.data, context={"catalog": catalog}
        )
        serializer.is_valid(raise_exception=True)
        started = services.upload_start(
            catalog=catalog, actor=request.user, **serializer.validated_data
        )
        body = UploadStartedSerializer(started, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class UploadCompleteView(CatalogAccessMixin, APIView):
    """Finish a direct upload you started: it becomes a file or a version."""

    def required_access(self, request):
        return Access.WRITE

    @extend_schema(request=None, responses={201: FileSerializer})
    def post(self, request, pk=None):
        upload = selectors.upload_of(user=request.user, upload_id=pk)
        if upload is None:
            raise NotFound("You have no upload with this id in a catalog you can read.")
        self.check_object_permissions(request, upload.catalog)

        version = services.upload_complete(upload=upload, actor=request.user)
        file = selectors.file_list(user=request.user).get(pk=version.file_id)
        body = FileSerializer(file, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class FileViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Files in every catalog you can read: rename, trash, restore, download."""

    queryset = File.objects.none()  # for the schema
    lookup_value_regex = r"\d+"
    serializer_class = FileSerializer
    permission_classes = [IsAuthenticated, HasCatalogAccess]
    filterset_class = FileFilter
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "updated_at", "size"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.file_list(user=self.request.user)

    def filter_queryset(self, queryset):
        # Filters shape lists; a trashed file is still found by its id.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def required_access(self, request):
        if self.action in READ_ACTIONS:
            return Access.READ
        if self.action == "destroy" and boolean_param(request, "purge"):
            return Access.MANAGE
        return Access.WRITE

    def partial_update(self, request, pk=None):
        file = self.get_object()
        serializer = self.get_serializer(file, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "name" in serializer.validated_data:
            file = services.file_rename(
                file=file, actor=request.user, name=serializer.validated_data["name"]
            )
        return Response(self.get_serializer(file).data)

    @extend_schema(parameters=[PURGE_PARAMETER])
    def destroy(self, request, pk=None):
        file = self.get_object()
        if boolean_param(request, "purge"):
            services.file_purge(file=file, actor=request.user)
        else:
            services.file_trash(file=file, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=FileSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        file = services.file_restore(file=self.get_object(), actor=request.user)
        return Response(self.get_serializer(file).data)

    @extend_schema(responses={(302, "*/*"): None, (200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        file = self.get_object()
        if file.current_version is None:
            raise NotFound("This file has no version to download yet.")
        return download_response(
            services.version_download(version=file.current_version, actor=request.user)
        )


class VersionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The versions of a file, newest first; `POST` uploads a new one."""

    queryset = Version.objects.none()  # for the schema
    serializer_class = VersionSerializer
    permission_classes = [IsAuthenticated, HasCatalogAccess]
    filterset_class = VersionFilter
    search_fields = ["original_name", "comment"]
    ordering_fields = ["number", "created_at", "size"]
    ordering = ["-number"]
    lookup_field = "number"
    lookup_value_regex = r"\d+"
    # Only a multipart form carries a file; `restore` takes the usual bodies.
    parser_classes = [MultiPartParser]

    def required_access(self, request):
        return Access.READ if self.action in READ_ACTIONS else Access.WRITE

    def check_permissions(self, request):
        # Asked again by the browsable API for each form it may show.
        super().check_permissions(request)
        self.check_object_permissions(request, self.get_file())

    def get_file(self):
        if not hasattr(self, "_file"):
            files = selectors.files_readable_by(self.request.user)
            self._file = get_object_or_404(
                files.select_related("catalog"), pk=self.kwargs["file_pk"]
            )
        return self._file

    def get_queryset(self):
        return selectors.version_list(file=self.get_file())

    def get_serializer_class(self):
        # The browsable API builds its upload form from this serializer.
        return VersionUploadSerializer if self.action == "create" else VersionSerializer

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(request=VersionUploadSerializer, responses={201: VersionSerializer})
    def create(self, request, file_pk=None):
        file = self.get_file()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.version_upload(
            file=file,
            uploader=request.user,
            content=serializer.validated_data["file"],
            comment=serializer.validated_data["comment"],
        )
        body = VersionSerializer(version, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=VersionRestoreSerializer, responses={201: VersionSerializer})
    @action(
        detail=True,
        methods=["post"],
        parser_classes=api_settings.DEFAULT_PARSER_CLASSES,
    )
    def restore(self, request, file_pk=None, number=None):
        version = self.get_object()
        serializer = VersionRestoreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        restored = services.version_restore(
            version=version,
            actor=request.user,
            comment=serializer.validated_data["comment"],
        )
        return Response(
            self.get_serializer(restored).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={(302, "*/*"): None, (200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, file_pk=None, number=None):
        version = self.get_object()
        return download_response(
            services.version_download(version=version, actor=request.user)
        )
