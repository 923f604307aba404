"""A pilot of an approach, who took part, and its evaluations.

Participants are defined by a rule, never picked by hand: the clients of the municipality with a trajectory of the
pilot's approach accepted within the pilot period. Whoever defines or evaluates a pilot therefore never handles
client numbers; the rows of ``PilotParticipant`` are a snapshot written at each evaluation (with the comparison
client each was matched to), so an evaluation can be reproduced and audited after trajectories change. A pilot
whose rule does not fit (another group took the approach in the same period) is defined with a narrower period or
an approach of its own in the catalogue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PilotStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    LOPEND = "lopend", _("Lopend")
    GEEVALUEERD = "geevalueerd", _("Geëvalueerd")


class Pilot(models.Model):
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("gemeente"))
    approach = models.ForeignKey("catalogue.Approach", on_delete=models.PROTECT, related_name="pilots",
                                 verbose_name=_("aanpak"))
    name = models.CharField(_("naam"), max_length=200)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("einde instroom"))
    description = models.TextField(_("omschrijving"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PilotStatus.choices, default=PilotStatus.CONCEPT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("aangemaakt door"))
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["municipality", "-starts_on"], name="pilot_muni_start")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="pilot_end_after_start")]
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")

    def __str__(self):
        return self.name


class PilotEvaluation(models.Model):
    """One run of the evaluation. ``results`` holds aggregates only (group sizes, balance, effects, caveat codes),
    suppressed like every figure in monitoring; never edited, a new run is a new record."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="evaluations")
    run_at = models.DateTimeField(_("uitgevoerd"), auto_now_add=True)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("uitgevoerd door"))
    method = models.CharField(_("methode"), max_length=40, default="propensity_1op1_kaliper")
    parameters = models.JSONField(_("parameters"), default=dict)
    results = models.JSONField(_("resultaten"), default=dict)

    class Meta:
        ordering = ["-run_at", "-id"]
        indexes = [models.Index(fields=["pilot", "-run_at"], name="pilot_evaluation_latest")]
        verbose_name = _("pilotevaluatie")
        verbose_name_plural = _("pilotevaluaties")


class PilotParticipant(models.Model):
    """A participant by the pilot's rule, as of the latest evaluation, and the comparison client matched to them
    (empty when no one fell within the caliper)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="participants")
    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("cliënt"))
    accepted_on = models.DateField(_("traject geaccepteerd op"))
    matched_with = models.ForeignKey("caseload.Client", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("vergeleken met"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pilot", "client"], name="pilot_participant_unique")]
        verbose_name = _("pilotdeelnemer")
        verbose_name_plural = _("pilotdeelnemers")
