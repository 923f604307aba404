"""Matching (BRIEF §3.4): the client manager's decision on a recommended approach, with what was shown at the time.

The recommendation itself is computed each time (``recommendations``, ``selectors``); only the human decision is
stored, with a snapshot of the reasons shown, so that it can be read back later exactly as it was made."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.diagnosis.models import Education, LanguageLevel


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


# --- Employers, vacancies, instruments, placements and consent (BRIEF §3.4, issue 5) ------------------------------
#
# The employer services team (werkgeversdienstverlener) keeps employers and their vacancies; client managers place
# clients. Field names follow the VUM Vacatures 0.8.2 standard where one exists, so that the exchange is a mapping,
# not a translation.


class Sector(models.TextChoices):
    """Broad sectors, after SBB's sectors for vocational education and the labour market (VUM
    ``SectorBeroepsEnBedrijfsleven``)."""

    ZORG_WELZIJN = "zorg_welzijn", _("Zorg, welzijn en sport")
    TECHNIEK = "techniek", _("Techniek en gebouwde omgeving")
    LOGISTIEK = "logistiek", _("Mobiliteit, transport en logistiek")
    HANDEL = "handel", _("Handel en ondernemerschap")
    HORECA = "horeca", _("Horeca en voedingsmiddelen")
    GROEN = "groen", _("Groen, landbouw en voedsel")
    ICT = "ict", _("ICT en creatieve industrie")
    ZAKELIJK = "zakelijk", _("Zakelijke dienstverlening en veiligheid")
    SCHOONMAAK = "schoonmaak", _("Schoonmaak en facilitair")
    OVERHEID = "overheid", _("Overheid en onderwijs")
    OVERIG = "overig", _("Overig")


class Instrument(models.TextChoices):
    """The instruments an employer can use when hiring a client (Participatiewet and the Banenafspraak)."""

    LOONKOSTENSUBSIDIE = "loonkostensubsidie", _("Loonkostensubsidie (op basis van loonwaarde)")
    PROEFPLAATSING = "proefplaatsing", _("Proefplaatsing")
    JOBCOACH = "jobcoach", _("Jobcoach")
    WERKPLEKAANPASSING = "werkplekaanpassing", _("Werkplekaanpassing")
    BESCHUT_WERK = "beschut_werk", _("Beschut werk")
    BANENAFSPRAAK = "banenafspraak", _("Plaats in de banenafspraak")
    NO_RISKPOLIS = "no_riskpolis", _("No-riskpolis")


class PhysicalDemand(models.TextChoices):
    LICHT = "licht", _("Licht (vooral zittend of staand werk)")
    MIDDEL = "middel", _("Middelzwaar (veel lopen, af en toe tillen)")
    ZWAAR = "zwaar", _("Zwaar (veel tillen, lang staan, buiten)")


class Employer(models.Model):
    """An employer the municipality works with. Not a person: an organisation, so no access log on reading it."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="employers",
                                     verbose_name=_("gemeente"))
    name = models.CharField(_("naam"), max_length=200)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    place = models.CharField(_("plaats"), max_length=100, blank=True)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    inclusive = models.BooleanField(_("inclusieve werkgever"), default=False,
                                    help_text=_("Werkt mee aan de banenafspraak of social return."))
    note = models.TextField(_("toelichting"), blank=True)
    active = models.BooleanField(_("actief"), default=True)
    account_manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("accountmanager"))
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["municipality", "name"], name="employer_municipality_name")]
        verbose_name = _("werkgever")
        verbose_name_plural = _("werkgevers")

    def __str__(self):
        return self.name


class EmployerContact(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts",
                                 verbose_name=_("werkgever"))
    name = models.CharField(_("naam"), max_length=150)
    function = models.CharField(_("functie"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    primary = models.BooleanField(_("eerste aanspreekpunt"), default=False)

    class Meta:
        ordering = ["-primary", "name", "id"]
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")

    def __str__(self):
        return self.name


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    VERVULD = "vervuld", _("Vervuld")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")


class Vacancy(models.Model):
    """A vacancy with what it asks (requirements are the hard criteria of matching) and what it offers."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="vacancies",
                                     verbose_name=_("gemeente"))
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="vacancies",
                                 verbose_name=_("werkgever"))
    title = models.CharField(_("functie"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True, max_length=2000)
    occupation = models.CharField(_("beroep"), max_length=120, blank=True)
    occupation_code = models.CharField(_("beroepscode"), max_length=10, blank=True,
                                       help_text=_("Code uit de beroepenlijst van het SUWI Gegevensregister."))
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    hours_min = models.PositiveSmallIntegerField(_("uren per week, minimaal"), null=True, blank=True,
                                                 validators=[MaxValueValidator(60)])
    hours_max = models.PositiveSmallIntegerField(_("uren per week, maximaal"), null=True, blank=True,
                                                 validators=[MaxValueValidator(60)])
    postcode = models.CharField(_("postcode werkplek"), max_length=7, blank=True)
    place = models.CharField(_("plaats werkplek"), max_length=100, blank=True)
    public_transport = models.BooleanField(_("bereikbaar met openbaar vervoer"), null=True, blank=True)
    travel_note = models.CharField(_("reizen"), max_length=200, blank=True,
                                   help_text=_("Bijvoorbeeld ploegendienst vanaf 6 uur, of werk op wisselende locaties."))
    education_min = models.CharField(_("opleiding, minimaal"), max_length=12, choices=Education.choices, blank=True)
    dutch_min = models.CharField(_("Nederlands, minimaal"), max_length=2, choices=LanguageLevel.choices, blank=True)
    physical_demand = models.CharField(_("fysieke belasting"), max_length=6, choices=PhysicalDemand.choices,
                                       blank=True)
    driving_licence_required = models.BooleanField(_("rijbewijs vereist"), default=False)
    requirements_note = models.TextField(_("overige eisen"), blank=True)
    places = models.PositiveSmallIntegerField(_("aantal plaatsen"), default=1, validators=[MinValueValidator(1)])
    banenafspraak = models.BooleanField(_("geschikt voor de banenafspraak"), default=False)
    opens_on = models.DateField(_("open vanaf"), default=timezone.localdate)
    closes_on = models.DateField(_("sluitingsdatum"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=VacancyStatus.choices, default=VacancyStatus.OPEN)
    external_id = models.CharField(_("kenmerk bij de bron"), max_length=200, blank=True,
                                   help_text=_("idVacature uit een VUM-uitwisseling."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("aangemaakt door"))
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        indexes = [
            models.Index(fields=["municipality", "status", "-opens_on"], name="vacancy_municipality_status"),
            models.Index(fields=["employer", "status"], name="vacancy_employer_status"),
            models.Index(fields=["municipality", "external_id"], name="vacancy_external_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_min__isnull=True) | models.Q(hours_max__isnull=True)
                | models.Q(hours_min__lte=models.F("hours_max")),
                name="vacancy_hours_min_le_max"),
        ]
        verbose_name = _("vacature")
        verbose_name_plural = _("vacatures")

    def __str__(self):
        return self.title


class VacancyInstrument(models.Model):
    """An instrument the employer is willing to use for this vacancy."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="instruments",
                                verbose_name=_("vacature"))
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    note = models.CharField(_("toelichting"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vacancy", "instrument"], name="vacancy_instrument_once")]
        verbose_name = _("instrument bij een vacature")
        verbose_name_plural = _("instrumenten bij vacatures")


class JobSeekerProfile(models.Model):
    """What the client wants and offers as a job seeker, beyond the intake: the basis of matching to vacancies and of
    the VUM ``Werkzoekende``. ``summary`` is the text an employer may read, once both have consented."""

    client = models.OneToOneField("caseload.Client", on_delete=models.CASCADE, related_name="job_seeker_profile",
                                  verbose_name=_("cliënt"))
    desired_occupations = models.TextField(_("gewenste beroepen"), blank=True,
                                           help_text=_("Eén beroep per regel."))
    desired_sectors = models.JSONField(_("gewenste sectoren"), default=list, blank=True)
    home_postcode = models.CharField(_("postcode woonadres"), max_length=7, blank=True)
    max_travel_minutes = models.PositiveSmallIntegerField(_("maximale reistijd (minuten, enkele reis)"), null=True,
                                                          blank=True, validators=[MaxValueValidator(240)])
    available_from = models.DateField(_("beschikbaar vanaf"), null=True, blank=True)
    summary = models.TextField(_("profieltekst voor werkgevers"), blank=True, max_length=2000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("bijgewerkt door"))
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("werkzoekendenprofiel")
        verbose_name_plural = _("werkzoekendenprofielen")


class ConsentHow(models.TextChoices):
    MONDELING = "mondeling", _("Mondeling, in een gesprek")
    SCHRIFTELIJK = "schriftelijk", _("Schriftelijk, ondertekend")
    DIGITAAL = "digitaal", _("Digitaal")


class ProfileConsent(models.Model):
    """Consent to show the client's profile to employers (the HalloWerk pattern): the client's own consent and the
    client manager's, both needed. Withdrawal by either ends it; a new consent is a new record, so the history stays."""

    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="profile_consents",
                               verbose_name=_("cliënt"), db_index=False)
    client_consented_on = models.DateField(_("toestemming cliënt op"))
    client_consent_how = models.CharField(_("hoe gegeven"), max_length=12, choices=ConsentHow.choices)
    manager_consented_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                             verbose_name=_("akkoord klantmanager"))
    manager_consented_at = models.DateTimeField(_("akkoord klantmanager op"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("ingetrokken door"))
    withdrawal_note = models.CharField(_("reden intrekken"), max_length=300, blank=True)

    class Meta:
        ordering = ["-manager_consented_at", "-id"]
        indexes = [models.Index(fields=["client", "withdrawn_at"], name="consent_client_open")]
        verbose_name = _("toestemming profiel delen")
        verbose_name_plural = _("toestemmingen profiel delen")


class PlacementKind(models.TextChoices):
    PROEFPLAATSING = "proefplaatsing", _("Proefplaatsing")
    TIJDELIJK = "tijdelijk", _("Tijdelijk contract")
    VAST = "vast", _("Vast contract")
    BESCHUT = "beschut", _("Beschut werk")
    LEERWERK = "leerwerk", _("Leerwerkplek")


class Placement(models.Model):
    """A client placed with an employer (on a vacancy or not), with the instruments used."""

    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="placements",
                               verbose_name=_("cliënt"), db_index=False)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="placements",
                                 verbose_name=_("werkgever"))
    vacancy = models.ForeignKey(Vacancy, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements",
                                verbose_name=_("vacature"))
    kind = models.CharField(_("soort"), max_length=16, choices=PlacementKind.choices)
    started_on = models.DateField(_("begonnen op"))
    ended_on = models.DateField(_("geëindigd op"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"), null=True, blank=True,
                                                      validators=[MaxValueValidator(60)])
    loonwaarde_pct = models.PositiveSmallIntegerField(_("loonwaarde (%)"), null=True, blank=True,
                                                      validators=[MinValueValidator(1), MaxValueValidator(100)],
                                                      help_text=_("Vastgesteld bij loonkostensubsidie."))
    instruments = models.JSONField(_("instrumenten"), default=list, blank=True,
                                   help_text=_("Codes uit de lijst met instrumenten."))
    end_reason = models.CharField(_("reden einde"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("vastgelegd door"))
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["client", "-started_on"], name="placement_client_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="placement_end_after_start"),
        ]
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")


class ProposalStatus(models.TextChoices):
    VOORGESTELD = "voorgesteld", _("Voorgesteld (intern)")
    VOORGEDRAGEN = "voorgedragen", _("Voorgedragen aan de werkgever")
    GESPREK = "gesprek", _("Sollicitatiegesprek")
    AANGENOMEN = "aangenomen", _("Aangenomen")
    AFGEWEZEN = "afgewezen", _("Afgewezen")


class MatchProposal(models.Model):
    """The human decision on one client–vacancy match (a human decides; BRIEF §7): suggested internally, put forward
    to the employer (only with the client's and the client manager's consent), an interview, hired or turned down.
    ``explanation`` keeps the factors as shown when the match was first proposed; ``history`` every step with who and
    when, so the proposal reads back as it went."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="proposals",
                                verbose_name=_("vacature"))
    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="match_proposals",
                               verbose_name=_("cliënt"), db_index=False)
    status = models.CharField(_("status"), max_length=12, choices=ProposalStatus.choices,
                              default=ProposalStatus.VOORGESTELD)
    reason = models.TextField(_("reden"), blank=True, help_text=_("Verplicht bij afwijzen."))
    explanation = models.JSONField(_("factoren zoals getoond"), default=dict, blank=True)
    history = models.JSONField(_("verloop"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("voorgesteld door"))
    created_at = models.DateTimeField(_("voorgesteld op"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("laatst bijgewerkt door"))
    updated_at = models.DateTimeField(_("laatst bijgewerkt"), default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["client", "vacancy"], name="proposal_client_vacancy_once")]
        verbose_name = _("voorstel kandidaat")
        verbose_name_plural = _("voorstellen kandidaten")

    def __str__(self):
        return f"{self.vacancy_id}/{self.client_id}: {self.get_status_display()}"
# --- Stepped candidate selection for an approach (issue 5; seed 000 §2.5: "getrapt") ---------------------------------


class InvitationStatus(models.TextChoices):
    """Where a shortlisted client stands. ``voorgesteld``: on the shortlist, no decision yet; ``uitgenodigd``: the
    user invited them; ``aangemeld``: registered with the approach after the conversation; ``afgezien``: not (any
    more) going ahead, with the reason: not invited, or not suitable or not willing after the conversation."""

    VOORGESTELD = "voorgesteld", _("Voorgesteld")
    UITGENODIGD = "uitgenodigd", _("Uitgenodigd")
    AANGEMELD = "aangemeld", _("Aangemeld")
    AFGEZIEN = "afgezien", _("Afgezien")


class CandidateSelection(models.Model):
    """One stepped selection of candidates for an approach of the municipality's local offer: the criteria as applied
    and the count at each step (caseload → meets the entry criteria → shortlist shown), kept as they were."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("gemeente"))
    approach = models.ForeignKey("catalogue.Approach", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("aanpak"))
    local_offer = models.ForeignKey("catalogue.LocalOffer", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("lokaal aanbod"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("geselecteerd door"))
    created_at = models.DateTimeField(_("geselecteerd op"), default=timezone.now)
    criteria = models.JSONField(_("criteria zoals toegepast"), default=dict)
    counts = models.JSONField(_("aantallen per stap"), default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "-created_at"], name="selection_municipality_date")]
        verbose_name = _("kandidatenselectie")
        verbose_name_plural = _("kandidatenselecties")

    def __str__(self):
        return f"{self.approach_id} ({self.created_at:%Y-%m-%d})"


class CandidateInvitation(models.Model):
    """A client on a selection's shortlist and what became of it. ``explanation`` keeps the reasons and open
    questions as shown when the shortlist was made; the status changes record who decided and when."""

    selection = models.ForeignKey(CandidateSelection, on_delete=models.CASCADE, related_name="invitations",
                                  verbose_name=_("selectie"))
    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="candidate_invitations",
                               verbose_name=_("cliënt"), db_index=False)
    client_manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("klantmanager toen"))
    status = models.CharField(_("status"), max_length=12, choices=InvitationStatus.choices,
                              default=InvitationStatus.VOORGESTELD)
    reason = models.TextField(_("reden"), blank=True)
    rank = models.PositiveIntegerField(_("plaats op de shortlist"), null=True, blank=True)
    score = models.SmallIntegerField(_("score"), default=0)
    explanation = models.JSONField(_("toelichting zoals getoond"), default=dict, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("uitgenodigd door"))
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("laatste wijziging door"))
    decided_at = models.DateTimeField(_("laatste wijziging op"), null=True, blank=True)

    class Meta:
        ordering = ["selection", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "client"], name="candidate_invitation_once")]
        indexes = [
            models.Index(fields=["client", "status"], name="candidate_invitation_client"),
            models.Index(fields=["client_manager", "status"], name="candidate_invitation_manager"),
        ]
        verbose_name = _("uitnodiging voor een aanpak")
        verbose_name_plural = _("uitnodigingen voor een aanpak")

    def __str__(self):
        return f"{self.client_id}: {self.get_status_display()}"
