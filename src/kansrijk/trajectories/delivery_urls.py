from django.urls import path

from . import views

# Mounted under /trajecten/: the pages a provider and the client manager share (a referral, a trajectory), the
# provider's landing page, and aftercare. Each looks its record up in the user's own scope.
app_name = "referrals"
urlpatterns = [
    path("aanmeldingen/", views.provider_home, name="provider-home"),
    path("verwijzingen/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("verwijzingen/<int:pk>/accepteren/", views.referral_accept, name="referral-accept"),
    path("verwijzingen/<int:pk>/afwijzen/", views.referral_decline, name="referral-decline"),
    path("verwijzingen/<int:pk>/intrekken/", views.referral_withdraw, name="referral-withdraw"),
    path("<int:pk>/", views.trajectory_detail, name="trajectory-detail"),
    path("<int:pk>/rapportage/", views.trajectory_report, name="trajectory-report"),
    path("<int:pk>/pauze/", views.trajectory_pause, name="trajectory-pause"),
    path("<int:pk>/hervatten/", views.trajectory_resume, name="trajectory-resume"),
    path("<int:pk>/beeindigen/", views.trajectory_end, name="trajectory-end"),
    path("nazorg/<int:pk>/", views.aftercare_done, name="aftercare-done"),
]
