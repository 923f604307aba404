from django.urls import path
from rest_framework.routers import SimpleRouter

from .viewsets import RecommendationDecisionViewSet, RecommendationViewSet
from .vum import VumProfilesExportView, VumProfilesImportView, VumVacanciesExportView, VumVacanciesImportView

# Nested under the caseload API's client: api:client-recommendations-list, api:client-recommendation-decisions-list.
CLIENT = r"clients/(?P<client_pk>[0-9]+)"

router = SimpleRouter(trailing_slash=True)
router.register(f"{CLIENT}/recommendations", RecommendationViewSet, basename="client-recommendations")
router.register(f"{CLIENT}/recommendation-decisions", RecommendationDecisionViewSet,
                basename="client-recommendation-decisions")

urlpatterns = [
    # Exchange with the national VUM standard: export as an envelope (GET), import a document (POST).
    path("vum/vacatures/", VumVacanciesExportView.as_view(), name="vum-vacancies"),
    path("vum/vacatures/import/", VumVacanciesImportView.as_view(), name="vum-vacancies-import"),
    path("vum/werkzoekenden/", VumProfilesExportView.as_view(), name="vum-profiles"),
    path("vum/werkzoekenden/import/", VumProfilesImportView.as_view(), name="vum-profiles-import"),
    *router.urls,
]
