from django.urls import path
from rest_framework.routers import SimpleRouter

from .viewsets import CampaignViewSet, ClientSegmentViewSet, ContactViewSet, SegmentationViewSet, WorklistView

router = SimpleRouter(trailing_slash=True)
# Nested under the caseload API's client (/api/v1/clients/{id}/contacts/): api:client-contacts-list.
router.register(r"clients/(?P<client_pk>[0-9]+)/contacts", ContactViewSet, basename="client-contacts")
router.register(r"clients/(?P<client_pk>[0-9]+)/segments", ClientSegmentViewSet, basename="client-segments")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("segmentations", SegmentationViewSet, basename="segmentation")

urlpatterns = [path("worklist/", WorklistView.as_view(), name="worklist"), *router.urls]
