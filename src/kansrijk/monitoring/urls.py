from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("export/", views.caseload_export, name="caseload-export"),
    path("uitstroom/", views.outflow, name="outflow"),
    path("uitstroom/export/", views.outflow_export, name="outflow-export"),
]
