from django.urls import path

from . import views, views_fairness, views_region, views_results
from .pilots import views as pilot_views

app_name = "monitoring"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("export/", views.caseload_export, name="caseload-export"),
    path("uitstroom/", views.outflow, name="outflow"),
    path("uitstroom/export/", views.outflow_export, name="outflow-export"),
    path("dashboard/", views_results.dashboard, name="dashboard"),
    path("dashboard/export/", views_results.dashboard_export, name="dashboard-export"),
    path("eerlijkheid/", views_fairness.fairness_page, name="fairness"),
    path("eerlijkheid/export/", views_fairness.fairness_export, name="fairness-export"),
    path("regio/", views_region.region_page, name="region"),
    path("regio/export/", views_region.region_export, name="region-export"),
    path("pilots/", pilot_views.pilot_list, name="pilot-list"),
    path("pilots/nieuw/", pilot_views.pilot_create, name="pilot-create"),
    path("pilots/<int:pk>/", pilot_views.pilot_detail, name="pilot-detail"),
    path("pilots/<int:pk>/evalueer/", pilot_views.pilot_evaluate, name="pilot-evaluate"),
    path("pilots/<int:pk>/export/", pilot_views.pilot_export, name="pilot-export"),
]
