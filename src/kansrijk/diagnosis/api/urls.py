from rest_framework.routers import SimpleRouter

from .viewsets import DistanceViewSet, IntakeViewSet, LadderStepViewSet, LadderViewSet, ZrmViewSet

# Nested under the caseload API's client (/api/v1/clients/{id}/): route names api:client-ladder-list and so on.
CLIENT = r"clients/(?P<client_pk>[0-9]+)"

router = SimpleRouter(trailing_slash=True)
router.register(f"{CLIENT}/ladder", LadderViewSet, basename="client-ladder")
router.register(f"{CLIENT}/zrm", ZrmViewSet, basename="client-zrm")
router.register(f"{CLIENT}/intakes", IntakeViewSet, basename="client-intakes")
router.register(f"{CLIENT}/distance", DistanceViewSet, basename="client-distance")
router.register("ladder-steps", LadderStepViewSet, basename="ladderstep")

urlpatterns = router.urls
