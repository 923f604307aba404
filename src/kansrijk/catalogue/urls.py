from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.approach_list, name="list"),
    path("vergelijken/", views.compare, name="compare"),
    path("wat-werkt/", views.what_works, name="what-works"),
    path("nieuw/", views.approach_create, name="create"),
    path("export/", views.export, name="export"),
    path("import/", views.import_file, name="import"),
    # The fixed paths above come first; forms.RESERVED_SLUGS keeps an approach from taking one of their names.
    path("<slug:slug>/", views.approach_detail, name="detail"),
    path("<slug:slug>/beoordelen/", views.assess, name="assess"),
    path("<slug:slug>/lokaal-aanbod/", views.local_offer, name="local-offer"),
    path("<slug:slug>/bewerken/", views.approach_edit, name="edit"),
    path("<slug:slug>/uit-catalogus/", views.retire, name="retire"),
]
