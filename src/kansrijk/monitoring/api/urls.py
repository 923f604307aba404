from django.urls import path

from ..pilots.api.views import PilotDetailView, PilotEvaluateView, PilotEvaluationListView, PilotListView
from .results_views import KpiView, ResultsView
from .views import CaseloadAnalysisView, OutflowAnalysisView
from .views_fairness import FairnessView, RegionView

urlpatterns = [
    path("monitoring/caseload-analysis/", CaseloadAnalysisView.as_view(), name="monitoring-caseload"),
    path("monitoring/outflow/", OutflowAnalysisView.as_view(), name="monitoring-outflow"),
    path("monitoring/results/", ResultsView.as_view(), name="monitoring-results"),
    path("monitoring/kpi/", KpiView.as_view(), name="monitoring-kpi"),
    path("monitoring/fairness/", FairnessView.as_view(), name="monitoring-fairness"),
    path("monitoring/region/", RegionView.as_view(), name="monitoring-region"),
    path("monitoring/pilots/", PilotListView.as_view(), name="monitoring-pilots"),
    path("monitoring/pilots/<int:pk>/", PilotDetailView.as_view(), name="monitoring-pilot-detail"),
    path("monitoring/pilots/<int:pk>/evaluate/", PilotEvaluateView.as_view(), name="monitoring-pilot-evaluate"),
    path("monitoring/pilots/<int:pk>/evaluations/", PilotEvaluationListView.as_view(),
         name="monitoring-pilot-evaluations"),
]
