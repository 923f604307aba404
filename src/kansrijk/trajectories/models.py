"""The plan van aanpak (seed 001 §2.5): the client's own plan with concrete goals, who does what by when, and the
agreements, recorded with the client's agreement. Every save is a new version; older versions stay readable.

Then the delivery (BRIEF §3.6–7): the client is referred to a provider with only the data that provider needs (a
snapshot), the provider reports back (accepts or declines with a reason), and an accepted referral becomes a
trajectory with reports in one standard form, pauses and a coded end. After outflow, aftercare (nazorg) tasks keep the
client in view. The code lists are in ``codes``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .codes import (
    AftercareOutcome,
    DeclineReason,
    DropoutReason,
    EndReason,
    GoalProgress,
    PauseReason,
    ReferralStatus,
    ReportKind,
    Result,
    SrgProvision,
    TrajectoryStatus,
)


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


# --- Referral and trajectory (issue 5) ------------------------------------------------------------------------------


class Provider(models.Model):
    """A re-integration provider (aanbieder): an organisation the municipalities it serves refer clients to. Its
    users see the clients referred to it and nothing else."""

    name = models.CharField(_("naam"), max_length=200)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True,
                                  validators=[RegexValidator(r"^\d{8}$",
                                                             _("Een KvK-nummer bestaat uit acht cijfers."))])
    municipalities = models.ManyToManyField("accounts.Municipality", related_name="providers",
                                            verbose_name=_("werkt voor gemeenten"))
    contact_person = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")

    def __str__(self):
        return self.name


class ProviderMember(models.Model):
    """A user of the aanbieder role working for a provider; one provider per user. Kept here so that accounts need
    not know about providers."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="members",
                                 verbose_name=_("aanbieder"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_membership",
                                verbose_name=_("gebruiker"))

    class Meta:
        verbose_name = _("medewerker van een aanbieder")
        verbose_name_plural = _("medewerkers van aanbieders")

    def __str__(self):
        return f"{self.user} ({self.provider})"


class Referral(models.Model):
    """A referral of a client to a provider's approach. ``shared`` is exactly what the provider was given, as it was
    at the time: the provider reads this snapshot, never the client file."""

    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="referrals",
                               verbose_name=_("cliënt"), db_index=False)
    approach = models.ForeignKey("catalogue.Approach", on_delete=models.PROTECT, related_name="referrals",
                                 verbose_name=_("aanpak"))
    local_offer = models.ForeignKey("catalogue.LocalOffer", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="referrals", verbose_name=_("lokaal aanbod"))
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="referrals",
                                 verbose_name=_("aanbieder"), db_index=False)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("verwezen door"))
    referred_on = models.DateField(_("verwezen op"))
    question = models.TextField(_("vraag aan de aanbieder"))
    shared = models.JSONField(_("gedeelde gegevens"), default=dict)
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices,
                              default=ReferralStatus.VERWEZEN)
    # The terugmelding: by whom at the provider, when, and for a decline the coded reason with the advice.
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("teruggemeld door"))
    answered_on = models.DateField(_("teruggemeld op"), null=True, blank=True)
    decline_reason = models.CharField(_("reden afwijzing"), max_length=20, choices=DeclineReason.choices, blank=True)
    answer_note = models.TextField(_("toelichting en advies aan de klantmanager"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        indexes = [
            models.Index(fields=["client", "-referred_on"], name="referral_client_date"),
            models.Index(fields=["provider", "status"], name="referral_provider_status"),
        ]
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")

    def __str__(self):
        return f"{self.client} → {self.provider} ({self.referred_on})"

    @property
    def shared_goal_ids(self) -> list[int]:
        return [goal["id"] for goal in self.shared.get("doelen", [])]


class Trajectory(models.Model):
    """The trajectory of one accepted referral, from intake to the coded end."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="trajectory",
                                    verbose_name=_("verwijzing"))
    # Denormalised from the referral so lists, the worklist and statistics need no join.
    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="trajectories",
                               verbose_name=_("cliënt"), db_index=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="trajectories",
                                 verbose_name=_("aanbieder"), db_index=False)
    srg_provision = models.CharField(_("SRG-voorziening"), max_length=40, choices=SrgProvision.choices)
    status = models.CharField(_("status"), max_length=12, choices=TrajectoryStatus.choices,
                              default=TrajectoryStatus.AANGEMELD)
    accepted_on = models.DateField(_("geaccepteerd op"))
    intake_on = models.DateField(_("intake op"), null=True, blank=True)
    start_on = models.DateField(_("gestart op"), null=True, blank=True)
    end_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    end_reason = models.CharField(_("reden einde"), max_length=20, choices=EndReason.choices, blank=True)
    dropout_reason = models.CharField(_("reden uitval"), max_length=20, choices=DropoutReason.choices, blank=True)
    result = models.CharField(_("resultaat"), max_length=20, choices=Result.choices, blank=True)
    # The client's own mark for the trajectory, asked at the end (seed 002 §6.2, L935: klanttevredenheid is one of
    # the municipality's monitoring indicators). Optional: not every client answers; only aggregates are reported.
    satisfaction = models.PositiveSmallIntegerField(
        _("tevredenheid cliënt (1–10)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Het rapportcijfer dat de cliënt het traject geeft, als de cliënt dat wil geven."))
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("beëindigd door"))

    class Meta:
        ordering = ["-accepted_on", "-id"]
        indexes = [
            models.Index(fields=["client", "-accepted_on"], name="trajectory_client_date"),
            models.Index(fields=["provider", "status"], name="trajectory_provider_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("accepted_on")),
                name="trajectory_end_after_acceptance"),
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True) | models.Q(satisfaction__gte=1, satisfaction__lte=10),
                name="trajectory_satisfaction_1_to_10"),
        ]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")

    def __str__(self):
        return f"{self.client} bij {self.provider}"

    @property
    def is_ended(self) -> bool:
        return self.status == TrajectoryStatus.BEEINDIGD


class TrajectoryReport(models.Model):
    """One report in the standard form, whatever its kind: attendance, progress per plan goal, and an advice on the
    ladder step. The advice is an advice: the client manager decides and records the trede."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="reports",
                                   verbose_name=_("traject"))
    kind = models.CharField(_("soort"), max_length=14, choices=ReportKind.choices)
    reported_on = models.DateField(_("datum"))
    period_from = models.DateField(_("periode van"), null=True, blank=True)
    period_until = models.DateField(_("periode tot en met"), null=True, blank=True)
    sessions_planned = models.PositiveSmallIntegerField(_("afspraken gepland"), null=True, blank=True)
    sessions_attended = models.PositiveSmallIntegerField(_("afspraken nagekomen"), null=True, blank=True)
    advised_trede = models.PositiveSmallIntegerField(_("geadviseerde trede"), null=True, blank=True,
                                                     validators=[MinValueValidator(1), MaxValueValidator(6)])
    advice_reason = models.TextField(_("onderbouwing van het advies"), blank=True)
    text = models.TextField(_("rapportage"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("auteur"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("rapportage")
        verbose_name_plural = _("rapportages")


class ReportGoalProgress(models.Model):
    """Progress on one goal of the client's plan van aanpak, as one line of a report."""

    report = models.ForeignKey(TrajectoryReport, on_delete=models.CASCADE, related_name="goal_progress")
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="+", verbose_name=_("doel"))
    status = models.CharField(_("voortgang"), max_length=14, choices=GoalProgress.choices)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        ordering = ["report", "goal__position"]
        constraints = [models.UniqueConstraint(fields=["report", "goal"], name="report_goal_once")]


class TrajectoryPause(models.Model):
    """A pause (e.g. a hospital stay). ``until`` is empty while the pause lasts."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="pauses",
                                   verbose_name=_("traject"))
    starts_on = models.DateField(_("van"))
    until = models.DateField(_("tot en met"), null=True, blank=True)
    reason = models.CharField(_("reden"), max_length=12, choices=PauseReason.choices)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("starts_on")),
                                   name="pause_until_after_start"),
        ]


class AftercareTask(models.Model):
    """A nazorg contact due after outflow: the client manager calls on ``due_on`` and records how it went."""

    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="aftercare_tasks",
                               verbose_name=_("cliënt"), db_index=False)
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="aftercare_tasks", verbose_name=_("traject"))
    outflow_on = models.DateField(_("uitstroom op"))
    due_on = models.DateField(_("contact op"))
    months_after = models.PositiveSmallIntegerField(_("maanden na uitstroom"))
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("gedaan door"))
    outcome = models.CharField(_("uitkomst"), max_length=14, choices=AftercareOutcome.choices, blank=True)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["client", "due_on"], name="aftercare_client_due"),
                   models.Index(fields=["due_on"], condition=models.Q(done_on__isnull=True),
                                name="aftercare_open_due")]
        constraints = [models.UniqueConstraint(fields=["client", "outflow_on", "months_after"],
                                               name="aftercare_once_per_moment")]
        verbose_name = _("nazorgtaak")
        verbose_name_plural = _("nazorgtaken")

    def __str__(self):
        return f"{self.client}: nazorg {self.due_on}"
