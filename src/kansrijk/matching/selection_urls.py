from django.urls import path

from . import selection_views as views

# The stepped candidate selection for an approach (issue 5), beside the client pages: /kandidaten/….
app_name = "selection"
urlpatterns = [
    path("kandidaten/", views.selection_new, name="new"),
    path("kandidaten/selecties/", views.selection_list, name="list"),
    path("kandidaten/selecties/<int:pk>/", views.selection_detail, name="detail"),
    path("kandidaten/uitnodigingen/", views.invitation_list, name="invitations"),
    path("kandidaten/uitnodigingen/<int:pk>/", views.invitation_update, name="invitation-update"),
]
