from django.urls import path

from . import views
from .employers import client_views

# Mounted under /klanten/ next to the caseload and diagnosis pages: /klanten/<pk>/aanbevelingen/.
app_name = "matching"
urlpatterns = [
    path("<int:pk>/aanbevelingen/", views.recommendations, name="recommendations"),
    path("<int:pk>/werk/", client_views.job_seeker, name="job-seeker"),
    path("<int:pk>/werk/toestemming/", client_views.consent, name="consent"),
    path("<int:pk>/werk/toestemming/intrekken/", client_views.consent_withdraw, name="consent-withdraw"),
    path("<int:pk>/werk/plaatsingen/nieuw/", client_views.placement_new, name="placement-new"),
    path("<int:pk>/werk/plaatsingen/<int:placement_pk>/beeindigen/", client_views.placement_end,
         name="placement-end"),
    path("<int:pk>/vacatures/", client_views.client_vacancies, name="client-vacancies"),
]
