from django.urls import path

from . import views

# Mounted at /werkgevers/: the employer team's pages (employers, vacancies, proposals, the weekly matching list).
app_name = "employers"
urlpatterns = [
    path("", views.employer_list, name="employer-list"),
    path("nieuw/", views.employer_form, name="employer-new"),
    path("<int:pk>/", views.employer_detail, name="employer-detail"),
    path("<int:pk>/bewerken/", views.employer_form, name="employer-edit"),
    path("<int:pk>/contactpersonen/nieuw/", views.contact_new, name="contact-new"),
    path("<int:pk>/contactpersonen/<int:contact_pk>/verwijderen/", views.contact_delete, name="contact-delete"),
    path("vacatures/", views.vacancy_list, name="vacancy-list"),
    path("vacatures/nieuw/", views.vacancy_form, name="vacancy-new"),
    path("vacatures/<int:pk>/", views.vacancy_detail, name="vacancy-detail"),
    path("vacatures/<int:pk>/bewerken/", views.vacancy_form, name="vacancy-edit"),
    path("vacatures/<int:pk>/status/", views.vacancy_status, name="vacancy-status"),
    path("vacatures/<int:pk>/voorstellen/", views.vacancy_propose, name="vacancy-propose"),
    path("voorstellen/<int:pk>/", views.proposal_advance, name="proposal-advance"),
    path("matchlijst/", views.matching_list, name="matching-list"),
    path("matchlijst/export/", views.matching_list_export, name="matching-list-export"),
]
