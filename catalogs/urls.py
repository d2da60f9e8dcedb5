from django.urls import path
from rest_framework.routers import SimpleRouter

from catalogs import views

router = SimpleRouter()
router.register("catalogs", views.CatalogViewSet, basename="catalog")
router.register(
    r"catalogs/(?P<catalog_pk>\d+)/permissions",
    views.GrantViewSet,
    basename="catalog-permission",
)
router.register(
    r"catalogs/(?P<catalog_pk>\d+)/files",
    views.CatalogFileViewSet,
    basename="catalog-file",
)
router.register("files", views.FileViewSet, basename="file")
router.register(
    r"files/(?P<file_pk>\d+)/versions", views.VersionViewSet, basename="file-version"
)

urlpatterns = [
    path(
        "catalogs/<int:catalog_pk>/uploads/",
        views.CatalogUploadView.as_view(),
        name="catalog-upload",
    ),
    path(
        "uploads/<uuid:pk>/complete/",
        views.UploadCompleteView.as_view(),
        name="upload-complete",
    ),
    *router.urls,
]
