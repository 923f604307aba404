from rest_framework.routers import SimpleRouter

from .viewsets import RecommendationDecisionViewSet, RecommendationViewSet

# Nested under the caseload API's client: api:client-recommendations-list, api:client-recommendation-decisions-list.
CLIENT = r"clients/(?P<client_pk>[0-9]+)"

router = SimpleRouter(trailing_slash=True)
router.register(f"{CLIENT}/recommendations", RecommendationViewSet, basename="client-recommendations")
router.register(f"{CLIENT}/recommendation-decisions", RecommendationDecisionViewSet,
                basename="client-recommendation-decisions")

urlpatterns = router.urls
