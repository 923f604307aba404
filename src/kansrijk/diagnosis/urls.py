from django.urls import path

from . import views

# Mounted under /klanten/ next to the caseload pages: /klanten/<pk>/diagnose/ and so on.
app_name = "diagnosis"
urlpatterns = [
    path("<int:pk>/diagnose/", views.overview, name="overview"),
    path("<int:pk>/trede/nieuw/", views.ladder_new, name="ladder-new"),
    path("<int:pk>/zrm/nieuw/", views.zrm_new, name="zrm-new"),
    path("<int:pk>/keukentafelgesprek/nieuw/", views.intake_new, name="intake-new"),
    path("<int:pk>/afstand/", views.distance, name="distance"),
]
