from django.urls import path

from .views import CaseloadAnalysisView, OutflowAnalysisView

urlpatterns = [
    path("monitoring/caseload-analysis/", CaseloadAnalysisView.as_view(), name="monitoring-caseload"),
    path("monitoring/outflow/", OutflowAnalysisView.as_view(), name="monitoring-outflow"),
]
