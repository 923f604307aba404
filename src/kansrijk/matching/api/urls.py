from django.urls import path
from rest_framework.routers import SimpleRouter

from .employer_viewsets import (
    ClientVacancyViewSet,
    EmployerViewSet,
    JobSeekerProfileViewSet,
    MatchingListView,
    MatchProposalViewSet,
    PlacementViewSet,
    ProfileConsentViewSet,
    VacancyViewSet,
)
from .viewsets import RecommendationDecisionViewSet, RecommendationViewSet
from .vum import VumProfilesExportView, VumProfilesImportView, VumVacanciesExportView, VumVacanciesImportView

# Nested under the caseload API's client: api:client-recommendations-list, api:client-recommendation-decisions-list.
CLIENT = r"clients/(?P<client_pk>[0-9]+)"

router = SimpleRouter(trailing_slash=True)
router.register(f"{CLIENT}/recommendations", RecommendationViewSet, basename="client-recommendations")
router.register(f"{CLIENT}/recommendation-decisions", RecommendationDecisionViewSet,
                basename="client-recommendation-decisions")

router.register("employers", EmployerViewSet, basename="employer")
router.register("vacancies", VacancyViewSet, basename="vacancy")
router.register("match-proposals", MatchProposalViewSet, basename="match-proposal")
router.register(f"{CLIENT}/vacancies", ClientVacancyViewSet, basename="client-vacancies")
router.register(f"{CLIENT}/job-seeker-profile", JobSeekerProfileViewSet, basename="client-job-seeker-profile")
router.register(f"{CLIENT}/consents", ProfileConsentViewSet, basename="client-consents")
router.register(f"{CLIENT}/placements", PlacementViewSet, basename="client-placements")

urlpatterns = [
    # Exchange with the national VUM standard: export as an envelope (GET), import a document (POST).
    path("vum/vacatures/", VumVacanciesExportView.as_view(), name="vum-vacancies"),
    path("vum/vacatures/import/", VumVacanciesImportView.as_view(), name="vum-vacancies-import"),
    path("vum/werkzoekenden/", VumProfilesExportView.as_view(), name="vum-profiles"),
    path("vum/werkzoekenden/import/", VumProfilesImportView.as_view(), name="vum-profiles-import"),
    path("matching-list/", MatchingListView.as_view(), name="matching-list"),
    *router.urls,
]
