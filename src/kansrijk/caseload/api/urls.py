from rest_framework.routers import SimpleRouter

from .viewsets import CauseCodeViewSet, ClientViewSet, ImportViewSet

router = SimpleRouter(trailing_slash=True)
router.register("clients", ClientViewSet, basename="client")
router.register("cause-codes", CauseCodeViewSet, basename="causecode")
router.register("imports", ImportViewSet, basename="import")

urlpatterns = router.urls
