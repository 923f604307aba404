from django.urls import path

from . import views

# Mounted at /uitwisseling/vum/.
app_name = "vum"
urlpatterns = [
    path("", views.exchange, name="exchange"),
    path("vacatures.json", views.export_vacancies, name="export-vacancies"),
    path("werkzoekenden.json", views.export_profiles, name="export-profiles"),
]
