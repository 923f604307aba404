from django.urls import path

from . import views

# Mounted under /klanten/ next to the caseload and diagnosis pages: /klanten/<pk>/aanbevelingen/.
app_name = "matching"
urlpatterns = [
    path("<int:pk>/aanbevelingen/", views.recommendations, name="recommendations"),
]
