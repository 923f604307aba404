"""The plan van aanpak (seed 001 §2.5): the client's own plan with concrete goals, who does what by when, and the
agreements, recorded with the client's agreement. Every save is a new version; older versions stay readable.

Referrals to providers and trajectories follow in this app (issue 5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreedHow(models.TextChoices):
    GESPREK = "gesprek", _("Mondeling, in het gesprek")
    HANDTEKENING = "handtekening", _("Ondertekend op papier")
    DIGITAAL = "digitaal", _("Digitaal bevestigd")


class GoalKind(models.TextChoices):
    DOEL = "doel", _("Doel")
    LEERDOEL = "leerdoel", _("Leerdoel")
    SUBDOEL = "subdoel", _("Subdoel")


class Owner(models.TextChoices):
    CLIENT = "client", _("Cliënt")
    KLANTMANAGER = "klantmanager", _("Klantmanager")
    AANBIEDER = "aanbieder", _("Aanbieder")
    WERKGEVER = "werkgever", _("Werkgever")
    ANDERS = "anders", _("Iemand anders")


class Plan(models.Model):
    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="plans", db_index=False)
    version = models.PositiveSmallIntegerField(_("versie"))
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="next_version", verbose_name=_("vorige versie"))
    situation = models.TextField(_("waar staat de cliënt nu"), blank=True)
    ambition = models.TextField(_("wat wil de cliënt bereiken"), blank=True,
                                help_text=_("In de woorden van de cliënt."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("opgesteld door"))
    created_at = models.DateTimeField(auto_now_add=True)
    agreed_on = models.DateField(_("akkoord op"), null=True, blank=True)
    agreed_how = models.CharField(_("akkoord hoe"), max_length=16, choices=AgreedHow.choices, blank=True)
    agreement_note = models.CharField(_("toelichting akkoord"), max_length=300, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["client", "version"], name="plan_unique_version")]
        verbose_name = _("plan van aanpak")
        verbose_name_plural = _("plannen van aanpak")

    def __str__(self):
        return f"{self.client} v{self.version}"


class PlanGoal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(_("nummer"))
    kind = models.CharField(_("soort"), max_length=10, choices=GoalKind.choices, default=GoalKind.DOEL)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="subgoals",
                               verbose_name=_("hoort bij doel"))
    description = models.TextField(_("doel"))
    target = models.CharField(_("meetbaar: hoeveel of wat"), max_length=200, blank=True,
                              help_text=_("Bijvoorbeeld: 3 sollicitaties per maand, 16 uur per week."))
    due_on = models.DateField(_("bereikt op"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="plan_goal_unique_position")]


class PlanAction(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField(_("nummer"))
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, null=True, blank=True, related_name="actions",
                             verbose_name=_("voor doel"))
    description = models.TextField(_("wat"))
    owner = models.CharField(_("wie"), max_length=16, choices=Owner.choices)
    owner_name = models.CharField(_("naam"), max_length=120, blank=True)
    due_on = models.DateField(_("wanneer klaar"))
    done = models.BooleanField(_("gedaan"), default=False)

    class Meta:
        ordering = ["plan", "position"]


class PlanAgreement(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="agreements")
    position = models.PositiveSmallIntegerField(_("nummer"))
    text = models.TextField(_("afspraak"))

    class Meta:
        ordering = ["plan", "position"]
