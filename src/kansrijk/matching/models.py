"""Matching (BRIEF §3.4): the client manager's decision on a recommended approach, with what was shown at the time.

The recommendation itself is computed each time (``recommendations``, ``selectors``); only the human decision is
stored, with a snapshot of the reasons shown, so that it can be read back later exactly as it was made."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    GEKOZEN = "gekozen", _("Gekozen")
    NIET_GEKOZEN = "niet_gekozen", _("Niet gekozen")


class RecommendationDecision(models.Model):
    """A client manager chose, or did not choose, a recommended approach. Never edited: a new decision is a new
    record, so the history stays readable."""

    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="recommendation_decisions",
                               verbose_name=_("cliënt"), db_index=False)
    approach = models.ForeignKey("catalogue.Approach", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("aanpak"))
    decision = models.CharField(_("besluit"), max_length=12, choices=Decision.choices)
    reason = models.TextField(_("reden"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("besloten door"))
    decided_at = models.DateTimeField(_("besloten op"), default=timezone.now)
    explanation = models.JSONField(_("toelichting zoals getoond"), default=dict, blank=True)
    rank = models.PositiveSmallIntegerField(_("plaats in de lijst"), null=True, blank=True,
                                            help_text=_("Leeg als de aanpak op dat moment 'nu niet' was."))

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["client", "-decided_at"], name="decision_client_date")]
        verbose_name = _("besluit over een aanbeveling")
        verbose_name_plural = _("besluiten over aanbevelingen")

    def __str__(self):
        return f"{self.approach_id}: {self.get_decision_display()}"
