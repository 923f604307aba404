from django.urls import path

from . import views

app_name = "caseload"
urlpatterns = [
    path("", views.client_list, name="client-list"),
    path("export.csv", views.client_export, name="client-export"),
    path("<int:pk>/", views.client_detail, name="client-detail"),
    path("<int:pk>/toewijzen/", views.client_assign, name="client-assign"),
    path("import/", views.import_upload, name="import-upload"),
    path("import/<int:pk>/", views.import_preview, name="import-preview"),
    path("import/<int:pk>/bevestigen/", views.import_confirm, name="import-confirm"),
    path("import/<int:pk>/annuleren/", views.import_cancel, name="import-cancel"),
    path("import/<int:pk>/afgewezen.csv", views.import_rejected_rows, name="import-rejected"),
    path("import/<int:pk>/resultaat/", views.import_result, name="import-result"),
]
