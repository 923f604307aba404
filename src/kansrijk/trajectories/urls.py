from django.urls import path

from . import views

# Mounted under /klanten/ next to the caseload pages: /klanten/<pk>/plan/ and so on.
app_name = "trajectories"
urlpatterns = [
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/plan/nieuw/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/plan/<int:plan_pk>/akkoord/", views.plan_agree, name="plan-agree"),
    path("<int:pk>/plan/<int:plan_pk>/pdf/", views.plan_pdf, name="plan-pdf"),
    path("<int:pk>/trajecten/", views.client_trajectories, name="client-trajectories"),
    path("<int:pk>/trajecten/verwijzen/", views.referral_new, name="referral-new"),
]
