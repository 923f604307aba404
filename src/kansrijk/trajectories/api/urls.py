from rest_framework.routers import SimpleRouter

from .viewsets import PlanViewSet

# Nested under the caseload API's client (/api/v1/clients/{id}/plans/): api:client-plans-list and so on.
router = SimpleRouter(trailing_slash=True)
router.register(r"clients/(?P<client_pk>[0-9]+)/plans", PlanViewSet, basename="client-plans")

urlpatterns = router.urls
