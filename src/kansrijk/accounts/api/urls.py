from django.urls import path
from rest_framework.routers import SimpleRouter

from .viewsets import MeView, TeamViewSet

router = SimpleRouter()
router.register("teams", TeamViewSet, basename="team")
urlpatterns = [path("me/", MeView.as_view(), name="me"), *router.urls]
