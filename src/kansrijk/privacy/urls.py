from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/inzageverzoek/", views.access_request_search, name="access-request"),
    path("privacy/inzageverzoek/<int:pk>/", views.access_request_client, name="access-request-client"),
    path("privacy/bewaartermijnen/", views.retention_overview, name="retention"),
    path("privacy/bewaartermijnen/proefdraai/", views.retention_dry_run, name="retention-dry-run"),
    path("analyse/gepseudonimiseerde-export/", views.pseudonymised_export, name="pseudonymised-export"),
]
