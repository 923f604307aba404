from django.urls import path

from .views import AccessRequestExportView, PseudonymisedExportView

urlpatterns = [
    path("clients/<int:pk>/access-request-export/", AccessRequestExportView.as_view(),
         name="client-access-request-export"),
    path("analysis/pseudonymised-export/", PseudonymisedExportView.as_view(), name="pseudonymised-export"),
]
