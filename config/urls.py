from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config import views

api_v1 = [
    path("", views.api_root, name="api-root"),
    path("health/", views.health, name="health"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        # The page is a template: it has no metadata for OPTIONS to render.
        SpectacularSwaggerView.as_view(
            url_name="schema", http_method_names=["get", "head"]
        ),
        name="swagger-ui",
    ),
    path("", include("accounts.urls")),
    path("", include("catalogs.urls")),
    path("", include("chat.urls")),
    path("", include("audit.urls")),
    path("api-auth/", include("rest_framework.urls")),
]

# The admin's "View site" link: the site has no page of its own at "/".
admin.site.site_url = "/api/v1/"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.not_found"
