from django.urls import path

from .results_views import KpiView, ResultsView
from .views import CaseloadAnalysisView, OutflowAnalysisView

urlpatterns = [
    path("monitoring/caseload-analysis/", CaseloadAnalysisView.as_view(), name="monitoring-caseload"),
    path("monitoring/outflow/", OutflowAnalysisView.as_view(), name="monitoring-outflow"),
    path("monitoring/results/", ResultsView.as_view(), name="monitoring-results"),
    path("monitoring/kpi/", KpiView.as_view(), name="monitoring-kpi"),
]

# Fairness report and region view (issue 6).
from .views_fairness import FairnessView, RegionView  # noqa: E402

urlpatterns += [
    path("monitoring/fairness/", FairnessView.as_view(), name="monitoring-fairness"),
    path("monitoring/region/", RegionView.as_view(), name="monitoring-region"),
]
