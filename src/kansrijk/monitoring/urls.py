from django.urls import path

from . import views, views_results

app_name = "monitoring"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("export/", views.caseload_export, name="caseload-export"),
    path("uitstroom/", views.outflow, name="outflow"),
    path("uitstroom/export/", views.outflow_export, name="outflow-export"),
    path("dashboard/", views_results.dashboard, name="dashboard"),
    path("dashboard/export/", views_results.dashboard_export, name="dashboard-export"),
]

# Fairness report and region view (issue 6).
from . import views_fairness, views_region  # noqa: E402

urlpatterns += [
    path("eerlijkheid/", views_fairness.fairness_page, name="fairness"),
    path("eerlijkheid/export/", views_fairness.fairness_export, name="fairness-export"),
    path("regio/", views_region.region_page, name="region"),
    path("regio/export/", views_region.region_export, name="region-export"),
]
