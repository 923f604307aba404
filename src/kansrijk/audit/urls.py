from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("inzage/", views.access_log, name="access-log"),
    path("opvallend/", views.unusual_access, name="unusual-access"),
]
