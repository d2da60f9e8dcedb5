"""
The catalogs API: catalogs and their grants, files, versions and uploads.

Views load what they work on through `catalogs.selectors`, so anything the
caller may not read answers 404; `HasCatalogAccess` then answers 403 to a
change the caller's access does not cover. The work is done by services.
"""

from functools import cached_property

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
from catalogs.downloads import download_response
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


class CatalogAccessMixin:
    """
    What each action needs on the catalog of what it works on.

    Reading needs read access, any other action `change_access`. A view
    under a catalog or file named in its path returns it from
    `get_parent()`: it is checked before anything else, the body included,
    so that a caller who may not read it learns nothing from the answer to
    what they sent.
    """

    permission_classes = [IsAuthenticated, HasCatalogAccess]
    change_access = Access.WRITE

    def required_access(self, request):
        return Access.READ if self.action in READ_ACTIONS else self.change_access

    def check_permissions(self, request):
        # Asked again by the browsable API for each form it may show.
        super().check_permissions(request)
        parent = self.get_parent()
        if parent is not None:
            self.check_object_permissions(request, parent)

    def get_parent(self):
        return None


class InCatalogMixin(CatalogAccessMixin):
    """A view under the catalog named in its path, which the caller can read."""

    def get_parent(self):
        return self.catalog

    @cached_property
    def catalog(self):
        readable = selectors.catalogs_readable_by(self.request.user)
        return get_object_or_404(readable, pk=self.kwargs["catalog_pk"])


class BaseViewSet(CatalogAccessMixin, viewsets.GenericViewSet):
    """A viewset whose actions take what one serializer checks to a service."""

    def validated_data(self, serializer_class=None):
        """The request's data, checked by the view's serializer or the one given."""
        serializer_class = serializer_class or self.get_serializer_class()
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def created(self, instance, serializer_class):
        body = serializer_class(instance, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class ListFiltersMixin:
    """Filters shape lists; an object, a trashed file too, is found by its id."""

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


class CatalogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    """Catalogs you can read; editors and admins create them."""

    queryset = Catalog.objects.none()  # for the schema; requests use get_queryset
    lookup_value_regex = r"\d+"
    serializer_class = CatalogSerializer
    permission_classes = [IsAuthenticated, CanCreateCatalogs, HasCatalogAccess]
    change_access = Access.MANAGE
    filterset_class = CatalogFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at", "updated_at", "file_count"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.catalog_list(user=self.request.user)

    def create(self, request):
        data = self.validated_data()
        catalog = services.catalog_create(
            owner=request.user,
            name=data["name"],
            description=data.get("description", ""),
        )
        return self.created(self.get_queryset().get(pk=catalog.pk), CatalogSerializer)

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


class GrantViewSet(InCatalogMixin, BaseViewSet):
    """Who may read, write or manage a catalog; for those who manage it."""

    queryset = CatalogPermission.objects.none()  # for the schema
    lookup_value_regex = r"\d+"
    serializer_class = GrantSerializer
    filter_backends = []

    def required_access(self, request):
        return Access.MANAGE

    def get_queryset(self):
        return selectors.grant_list(catalog=self.catalog)

    def get_serializer_class(self):
        # The browsable API builds its forms from these serializers.
        if self.action == "create":
            return GrantCreateSerializer
        if self.action == "partial_update":
            return GrantChangeSerializer
        return GrantSerializer

    def list(self, request, catalog_pk=None):
        grants = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(grants, many=True).data)

    @extend_schema(request=GrantCreateSerializer, responses=GrantSerializer)
    def create(self, request, catalog_pk=None):
        data = self.validated_data()
        permission = services.catalog_grant(
            catalog=self.catalog,
            actor=request.user,
            user=data["email"],
            access=data["access"],
        )
        return self.created(permission, GrantSerializer)

    def retrieve(self, request, catalog_pk=None, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=GrantChangeSerializer, responses=GrantSerializer)
    def partial_update(self, request, catalog_pk=None, pk=None):
        data = self.validated_data()
        permission = services.catalog_grant_change(
            permission=self.get_object(), actor=request.user, access=data["access"]
        )
        return Response(GrantSerializer(permission).data)

    def destroy(self, request, catalog_pk=None, pk=None):
        services.catalog_revoke(permission=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CatalogFileViewSet(InCatalogMixin, BaseViewSet):
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
        return selectors.file_list(user=self.request.user, catalog=self.catalog)

    def get_serializer_class(self):
        # The browsable API builds its upload form from this serializer.
        return FileUploadSerializer if self.action == "create" else FileSerializer

    def list(self, request, catalog_pk=None):
        files = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(files, many=True).data)

    @extend_schema(request=FileUploadSerializer, responses={201: FileSerializer})
    def create(self, request, catalog_pk=None):
        data = self.validated_data()
        file = services.file_upload(
            catalog=self.catalog,
            uploader=request.user,
            content=data["file"],
            name=data.get("name", ""),
            comment=data["comment"],
        )
        return self.created(file, FileSerializer)


class CatalogUploadView(InCatalogMixin, APIView):
    """Start a direct upload to S3, for files too big to send through the API."""

    def required_access(self, request):
        return Access.WRITE

    @extend_schema(
        request=UploadStartSerializer, responses={201: UploadStartedSerializer}
    )
    def post(self, request, catalog_pk=None):
        serializer = UploadStartSerializer(
            data=request.data, context={"catalog": self.catalog}
        )
        serializer.is_valid(raise_exception=True)
        started = services.upload_start(
            catalog=self.catalog, actor=request.user, **serializer.validated_data
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
    ListFiltersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet
):
    """Files in every catalog you can read: rename, trash, restore, download."""

    queryset = File.objects.none()  # for the schema
    lookup_value_regex = r"\d+"
    serializer_class = FileSerializer
    filterset_class = FileFilter
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "updated_at", "size"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.file_list(user=self.request.user)

    def required_access(self, request):
        if self.action == "destroy" and boolean_param(request, "purge"):
            return Access.MANAGE
        return super().required_access(request)

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
    ListFiltersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet
):
    """The versions of a file, newest first; `POST` uploads a new one."""

    queryset = Version.objects.none()  # for the schema
    serializer_class = VersionSerializer
    filterset_class = VersionFilter
    search_fields = ["original_name", "comment"]
    ordering_fields = ["number", "created_at", "size"]
    ordering = ["-number"]
    lookup_field = "number"
    lookup_value_regex = r"\d+"
    # Only a multipart form carries a file; `restore` takes the usual bodies.
    parser_classes = [MultiPartParser]

    def get_parent(self):
        return self.file

    @cached_property
    def file(self):
        readable = selectors.files_readable_by(self.request.user)
        return get_object_or_404(
            readable.select_related("catalog"), pk=self.kwargs["file_pk"]
        )

    def get_queryset(self):
        return selectors.version_list(file=self.file)

    def get_serializer_class(self):
        # The browsable API builds its upload form from this serializer.
        return VersionUploadSerializer if self.action == "create" else VersionSerializer

    @extend_schema(request=VersionUploadSerializer, responses={201: VersionSerializer})
    def create(self, request, file_pk=None):
        data = self.validated_data()
        version = services.version_upload(
            file=self.file,
            uploader=request.user,
            content=data["file"],
            comment=data["comment"],
        )
        return self.created(version, VersionSerializer)

    @extend_schema(request=VersionRestoreSerializer, responses={201: VersionSerializer})
    @action(
        detail=True,
        methods=["post"],
        parser_classes=api_settings.DEFAULT_PARSER_CLASSES,
    )
    def restore(self, request, file_pk=None, number=None):
        version = self.get_object()
        data = self.validated_data(VersionRestoreSerializer)
        restored = services.version_restore(
            version=version, actor=request.user, comment=data["comment"]
        )
        return self.created(restored, VersionSerializer)

    @extend_schema(responses={(302, "*/*"): None, (200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, file_pk=None, number=None):
        version = self.get_object()
        return download_response(
            services.version_download(version=version, actor=request.user)
        )
