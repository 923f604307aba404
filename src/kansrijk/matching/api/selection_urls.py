from rest_framework.routers import SimpleRouter

from .selection import CandidateInvitationViewSet, CandidateSelectionViewSet

# api:candidate-selection-list, -detail, -preview; api:candidate-invitation-list, -status.
router = SimpleRouter(trailing_slash=True)
router.register("candidate-selections", CandidateSelectionViewSet, basename="candidate-selection")
router.register("candidate-invitations", CandidateInvitationViewSet, basename="candidate-invitation")

urlpatterns = router.urls
