from django.urls import path
from rest_framework.routers import SimpleRouter

from .viewsets import ApproachViewSet, CatalogueExportView, CatalogueImportView, WhatWorksView, WorkingElementViewSet

router = SimpleRouter(trailing_slash=True)
router.register("approaches", ApproachViewSet, basename="approach")
router.register("working-elements", WorkingElementViewSet, basename="workingelement")

urlpatterns = [
    path("what-works/", WhatWorksView.as_view(), name="what-works"),
    path("catalogue/export/", CatalogueExportView.as_view(), name="catalogue-export"),
    path("catalogue/import/", CatalogueImportView.as_view(), name="catalogue-import"),
    *router.urls,
]
