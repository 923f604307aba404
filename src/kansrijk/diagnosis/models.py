"""Diagnosis (BRIEF §4): the Participatieladder with local sub-steps, the Zelfredzaamheidsmatrix, the life-domain intake
(*keukentafelgesprek*) and the professional's judgement of the distance to the labour market.

Every measurement is a dated record with the professional who made it. Records are never edited in place: a
correction is a new record that names the one it corrects, so every version stays readable.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kansrijk.catalogue.vocabulary import Regime


class LadderStep(models.Model):
    """A step of the Participatieladder: one of VNG's six (no municipality) or a local sub-step of a municipality,
    e.g. Heemskerk's 1 "Rust" and 2.1–2.6. ``trede`` is the VNG step it belongs to."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="ladder_steps", verbose_name=_("gemeente"),
                                     help_text=_("Leeg voor de zes treden van de VNG."))
    code = models.CharField(_("code"), max_length=10, help_text=_("Bijvoorbeeld 2.3; de zes treden heten 1 tot en met 6."))
    trede = models.PositiveSmallIntegerField(_("trede"), validators=[MinValueValidator(1), MaxValueValidator(6)])
    name = models.CharField(_("naam"), max_length=120)
    criterion = models.TextField(_("criterium"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0,
                                                help_text=_("Hoger is verder op de ladder; bepaalt de 'hoogste' substap."))
    active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ["trede", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="ladder_step_unique_code"),
            models.UniqueConstraint(fields=["code"], condition=models.Q(municipality__isnull=True),
                                    name="ladder_step_unique_national_code"),
        ]
        verbose_name = _("trede of substap")
        verbose_name_plural = _("treden en substappen")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_substep(self) -> bool:
        return self.municipality_id is not None


class Measurement(models.Model):
    """What every diagnosis record shares: the client, when, by whom, and the record it corrects, if any."""

    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="+")
    measured_on = models.DateField(_("datum"))
    measured_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("professional"))
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="corrected_by", verbose_name=_("corrigeert"))

    class Meta:
        abstract = True


class LadderMeasurement(Measurement):
    """A Participatieladder measurement. The client may be on several sub-steps at once; the highest is the
    registered step (``step``) and its VNG trede is ``trede``. ``proposed_trede`` is what the question flow
    proposed; a different choice needs ``override_reason``."""

    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="ladder_measurements")
    trede = models.PositiveSmallIntegerField(_("trede"), validators=[MinValueValidator(1), MaxValueValidator(6)])
    step = models.ForeignKey(LadderStep, on_delete=models.PROTECT, related_name="+", verbose_name=_("geregistreerde stap"))
    substeps = models.ManyToManyField(LadderStep, blank=True, related_name="+", verbose_name=_("substappen"))
    proposed_trede = models.PositiveSmallIntegerField(_("voorgestelde trede"), null=True, blank=True)
    answers = models.JSONField(_("antwoorden vragenlijst"), default=dict, blank=True)
    override_reason = models.TextField(_("reden afwijking van het voorstel"), blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["-measured_on", "-id"]
        indexes = [models.Index(fields=["client", "-measured_on"], name="ladder_client_date")]
        verbose_name = _("tredemeting")
        verbose_name_plural = _("tredemetingen")


class ZrmVersion(models.TextChoices):
    ZRM_2017 = "2017", _("ZRM 2017 (13 domeinen)")
    ZRM_2013 = "2013", _("ZRM 11 domeinen (oudere versie)")


class ZrmMeasurement(Measurement):
    """A Zelfredzaamheidsmatrix: every domain of its version scored 1–5, current situation only."""

    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="zrm_measurements")
    version = models.CharField(_("versie"), max_length=4, choices=ZrmVersion.choices)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["-measured_on", "-id"]
        indexes = [models.Index(fields=["client", "-measured_on"], name="zrm_client_date")]
        verbose_name = _("ZRM-meting")
        verbose_name_plural = _("ZRM-metingen")


class ZrmScore(models.Model):
    measurement = models.ForeignKey(ZrmMeasurement, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(_("domein"), max_length=40)
    level = models.PositiveSmallIntegerField(_("niveau"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measurement", "domain"], name="zrm_score_unique_domain"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="zrm_level_1_to_5"),
        ]


class LanguageLevel(models.TextChoices):
    A0 = "A0", _("A0 (geen)")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", _("C2 / moedertaal")


class Education(models.TextChoices):
    GEEN = "geen", _("Geen afgeronde opleiding")
    BASIS = "basis", _("Basisonderwijs")
    VMBO = "vmbo", _("Vmbo / mbo 1")
    MBO = "mbo", _("Mbo 2–4 (startkwalificatie)")
    HAVO_VWO = "havo_vwo", _("Havo / vwo")
    HBO = "hbo", _("Hbo")
    WO = "wo", _("Wo")
    BUITENLAND = "buitenland", _("Opleiding in het buitenland, niet gewaardeerd")


class Motivation(models.TextChoices):
    JA = "ja", _("Ja")
    DEELS = "deels", _("Deels")
    NEE = "nee", _("Nee")


class ClientRole(models.TextChoices):
    """The client's role in the plan (seed 001's motivation model)."""

    REGIEVOERDER = "regievoerder", _("Regievoerder")
    COPRODUCENT = "coproducent", _("Coproducent")
    TOETSER = "toetser", _("Toetser")


class Housing(models.TextChoices):
    STABIEL = "stabiel", _("Stabiel")
    ONZEKER = "onzeker", _("Onzeker (tijdelijk, inwonend)")
    GEEN = "geen", _("Dakloos of zonder vaste woonplek")


class Debts(models.TextChoices):
    GEEN = "geen", _("Geen schulden")
    REGELING = "regeling", _("Schulden met regeling of schuldhulp")
    ZONDER_REGELING = "zonder_regeling", _("Schulden zonder regeling")
    ONBEKEND = "onbekend", _("Onbekend")


class Transport(models.TextChoices):
    AUTO = "auto", _("Eigen auto")
    FIETS = "fiets", _("Fiets of scooter")
    OV = "ov", _("Openbaar vervoer")
    GEEN = "geen", _("Geen eigen vervoer")


class Intake(Measurement):
    """The life-domain intake (*keukentafelgesprek*). Health and addiction are special categories and live in
    IntakeSpecialCategories, visible to the roles in ``roles.SEES_HEALTH`` / ``SEES_ADDICTION`` only."""

    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="intakes")
    housing = models.CharField(_("wonen"), max_length=10, choices=Housing.choices, blank=True)
    housing_note = models.TextField(_("wonen, toelichting"), blank=True)
    debts = models.CharField(_("financiën en schulden"), max_length=16, choices=Debts.choices, blank=True)
    finances_note = models.TextField(_("financiën, toelichting"), blank=True)
    dutch_speaking = models.CharField(_("Nederlands spreken"), max_length=2, choices=LanguageLevel.choices, blank=True)
    dutch_listening = models.CharField(_("Nederlands luisteren"), max_length=2, choices=LanguageLevel.choices,
                                       blank=True)
    dutch_reading = models.CharField(_("Nederlands lezen"), max_length=2, choices=LanguageLevel.choices, blank=True)
    dutch_writing = models.CharField(_("Nederlands schrijven"), max_length=2, choices=LanguageLevel.choices, blank=True)
    education = models.CharField(_("opleiding"), max_length=12, choices=Education.choices, blank=True)
    work_experience = models.TextField(_("werkervaring"), blank=True)
    wishes = models.TextField(_("wensen"), blank=True)
    talents = models.TextField(_("talenten"), blank=True)
    motivation_willing = models.CharField(_("willen"), max_length=5, choices=Motivation.choices, blank=True)
    motivation_able = models.CharField(_("kunnen"), max_length=5, choices=Motivation.choices, blank=True)
    motivation_ready = models.CharField(_("er aan toe zijn"), max_length=5, choices=Motivation.choices, blank=True)
    client_role = models.CharField(_("rol van de cliënt"), max_length=12, choices=ClientRole.choices, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("belastbaarheid (uur per week)"), null=True, blank=True,
                                                      validators=[MaxValueValidator(60)])
    childcare_needed = models.BooleanField(_("kinderopvang nodig"), null=True, blank=True)
    childcare_arranged = models.BooleanField(_("kinderopvang geregeld"), null=True, blank=True)
    transport = models.CharField(_("vervoer"), max_length=6, choices=Transport.choices, blank=True)
    driving_licence = models.BooleanField(_("rijbewijs"), null=True, blank=True)
    work_exemption_until = models.DateField(_("ontheffing arbeidsverplichtingen tot"), null=True, blank=True)
    job_search_exemption_until = models.DateField(_("ontheffing sollicitatieplicht tot"), null=True, blank=True)
    exemption_reason = models.TextField(_("reden ontheffing"), blank=True)
    regime = models.CharField(_("regeling"), max_length=16, choices=Regime.choices, blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["-measured_on", "-id"]
        indexes = [models.Index(fields=["client", "-measured_on"], name="intake_client_date")]
        verbose_name = _("keukentafelgesprek")
        verbose_name_plural = _("keukentafelgesprekken")


class IntakeSpecialCategories(models.Model):
    """Special categories of an intake (AVG art. 9). Never read by an indicator, a worklist or a ranking."""

    intake = models.OneToOneField(Intake, on_delete=models.CASCADE, related_name="special_categories")
    physical_health = models.TextField(_("lichamelijke gezondheid"), blank=True)
    mental_health = models.TextField(_("psychische gezondheid"), blank=True)
    addiction = models.TextField(_("verslaving"), blank=True)


class DistanceClass(models.TextChoices):
    KLEIN = "klein", _("Klein")
    MIDDEL = "middel", _("Middel")
    GROOT = "groot", _("Groot")
    ZEER_GROOT = "zeer_groot", _("Zeer groot")


class DistanceJudgement(models.Model):
    """The professional's own judgement of the distance to the labour market where it differs from the derived
    indicator, with the reason. The latest one counts."""

    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="distance_judgements")
    distance = models.CharField(_("afstand tot de arbeidsmarkt"), max_length=12, choices=DistanceClass.choices)
    derived = models.CharField(_("afgeleide indicatie"), max_length=12, choices=DistanceClass.choices, blank=True)
    reason = models.TextField(_("reden"))
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    judged_on = models.DateField(_("datum"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-judged_on", "-id"]
        indexes = [models.Index(fields=["client", "-judged_on"], name="distance_client_date")]
        verbose_name = _("oordeel afstand tot de arbeidsmarkt")
        verbose_name_plural = _("oordelen afstand tot de arbeidsmarkt")
