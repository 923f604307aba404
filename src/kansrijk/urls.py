from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

# The API documentation pages run third-party bundles (Swagger UI, Redoc) that add <style> elements at run time, draw
# their icons as data: images, and Redoc's search runs in a worker started from a blob: URL. Only these two pages get
# that; their scripts still come from our own static files (the split Swagger view serves its start script as a
# file, not inline).
API_DOCS_CSP = {"style-src": [UNSAFE_INLINE], "img-src": ["data:"], "worker-src": ["'self'", "blob:"]}

api_v1 = [
    path("", include("kansrijk.caseload.api.urls")),
    path("", include("kansrijk.catalogue.api.urls")),
    path("", include("kansrijk.diagnosis.api.urls")),
    path("", include("kansrijk.inview.api.urls")),
    path("", include("kansrijk.trajectories.api.urls")),
    path("", include("kansrijk.matching.api.urls")),
    path("", include("kansrijk.monitoring.api.urls")),
    path("", include("kansrijk.matching.api.selection_urls")),
    path("", include("kansrijk.audit.api.urls")),
    path("", include("kansrijk.accounts.api.urls")),
    path("", include("kansrijk.privacy.api.urls")),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", csp_update(API_DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
         name="api-docs"),
    path("redoc/", csp_update(API_DOCS_CSP)(SpectacularRedocView.as_view(url_name="api:schema")), name="api-redoc"),
]

urlpatterns = [
    path("", include("kansrijk.core.urls")),
    path("account/", include("kansrijk.accounts.urls")),
    path("klanten/", include("kansrijk.caseload.urls")),
    path("klanten/", include("kansrijk.diagnosis.urls")),
    path("klanten/", include("kansrijk.trajectories.urls")),
    path("klanten/", include("kansrijk.matching.urls")),
    path("", include("kansrijk.matching.selection_urls")),
    path("trajecten/", include("kansrijk.trajectories.delivery_urls")),
    path("", include("kansrijk.inview.urls")),
    path("werkgevers/", include("kansrijk.matching.employers.urls")),
    path("catalogus/", include("kansrijk.catalogue.urls")),
    path("uitwisseling/vum/", include("kansrijk.matching.vum.urls")),
    path("analyse/", include("kansrijk.monitoring.urls")),
    path("audit/", include("kansrijk.audit.urls")),
    path("", include("kansrijk.privacy.urls")),
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"))),
]

handler404 = "kansrijk.core.views.not_found"
handler403 = "kansrijk.core.views.forbidden"
handler500 = "kansrijk.core.views.server_error"
