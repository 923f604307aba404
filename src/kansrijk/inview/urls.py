from django.urls import path

from . import views

# Mounted at the root: the client pages live under /klanten/<pk>/ next to the caseload's, the worklist and the
# review campaigns have their own paths.
app_name = "inview"
urlpatterns = [
    path("klanten/<int:pk>/contacten/", views.contacts, name="contacts"),
    path("klanten/<int:pk>/klantgroep/", views.client_segment, name="client-segment"),
    path("werklijst/", views.worklist, name="worklist"),
    path("werklijst/export.csv", views.worklist_export, name="worklist-export"),
    path("doorlichting/", views.campaign_list, name="campaign-list"),
    path("doorlichting/nieuw/", views.campaign_new, name="campaign-new"),
    path("doorlichting/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("doorlichting/<int:pk>/uitgenodigd/", views.campaign_invite, name="campaign-invite"),
    path("doorlichting/<int:pk>/afsluiten/", views.campaign_close, name="campaign-close"),
]
