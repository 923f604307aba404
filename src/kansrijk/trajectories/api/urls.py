from rest_framework.routers import SimpleRouter

from .delivery_viewsets import AftercareTaskViewSet, ReferralViewSet, TrajectoryViewSet
from .viewsets import PlanViewSet

# Nested under the caseload API's client (/api/v1/clients/{id}/plans/): api:client-plans-list and so on.
router = SimpleRouter(trailing_slash=True)
router.register(r"clients/(?P<client_pk>[0-9]+)/plans", PlanViewSet, basename="client-plans")
router.register(r"referrals", ReferralViewSet, basename="referral")
router.register(r"trajectories", TrajectoryViewSet, basename="trajectory")
router.register(r"aftercare-tasks", AftercareTaskViewSet, basename="aftercare-task")

urlpatterns = router.urls
