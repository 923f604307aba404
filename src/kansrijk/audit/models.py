from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """One view of a client's personal data: who, when, which client, through which view.

    Written by ``audit.services.log_access`` only; never updated. ``outside_caseload`` records whether the client was
    someone else's caseload at the time, which the anomaly report counts (Suwinet's "controle op opvraaggedrag").
    """

    # Both foreign keys are served by the composite (…, -timestamp) indexes below.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("gebruiker"), db_index=False)
    client = models.ForeignKey("caseload.Client", null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("cliënt"), db_index=False)
    # Kept even if the client is later deleted under a retention rule, so the record still says whom it concerned.
    client_number = models.CharField(_("cliëntnummer"), max_length=20)
    municipality_id = models.IntegerField()
    view = models.CharField(_("weergave"), max_length=60)
    outside_caseload = models.BooleanField(_("buiten eigen caseload"), default=False)
    timestamp = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-timestamp"]
        verbose_name = _("inzage")
        verbose_name_plural = _("inzagen")
        indexes = [
            models.Index(fields=["client", "-timestamp"], name="access_client_time"),
            models.Index(fields=["user", "-timestamp"], name="access_user_time"),
            models.Index(fields=["timestamp", "outside_caseload"], name="access_time_outside"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.client_number} ({self.view})"
