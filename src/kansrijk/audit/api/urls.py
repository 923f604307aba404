from rest_framework.routers import SimpleRouter

from .viewsets import AccessLogViewSet

router = SimpleRouter()
router.register("access-log", AccessLogViewSet, basename="accesslog")
urlpatterns = router.urls
