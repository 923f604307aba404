from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kansrijk.accounts.models import Municipality, Team


class Sex(models.TextChoices):
    MAN = "M", _("Man")
    VROUW = "V", _("Vrouw")
    ONBEKEND = "O", _("Onbekend")
    X = "X", _("Anders / X")


class CauseCode(models.Model):
    """Code list 'oorzaak bijstandsafhankelijkheid' as exported from the benefit system (shipped reference data)."""

    code = models.PositiveSmallIntegerField(_("code"), unique=True)
    description = models.CharField(_("omschrijving"), max_length=120)
    status = models.PositiveSmallIntegerField(_("status record"), help_text=_("1 = in gebruik, 9 = vervallen"))
    status_date = models.DateField(_("datum status"), null=True, blank=True)
    cbs_indicator = models.PositiveSmallIntegerField(_("indicatie CBS"), null=True, blank=True)
    pko = models.CharField(_("PKO"), max_length=10, blank=True)
    statistics_code = models.PositiveSmallIntegerField(_("statistiekcode"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("oorzaak bijstandsafhankelijkheid")
        verbose_name_plural = _("oorzaken bijstandsafhankelijkheid")

    def __str__(self) -> str:
        return f"{self.code} {self.description}"

    @property
    def in_use(self) -> bool:
        return self.status == 1


class ImportRun(models.Model):
    """One import of a benefit-system export: who, which file, how it went. Creations point back to it."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Voorbeeld")
        IMPORTED = "imported", _("Geïmporteerd")
        REJECTED = "rejected", _("Afgewezen")
        CANCELLED = "cancelled", _("Geannuleerd")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, verbose_name=_("gemeente"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    verbose_name=_("door"))
    source = models.CharField(_("bron"), max_length=10, choices=[("web", "web"), ("cli", "cli"), ("api", "api")])
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    sha256 = models.CharField(max_length=64)
    stored_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    skip_invalid = models.BooleanField(_("ongeldige rijen overslaan"), default=False)
    summary = models.JSONField(_("samenvatting"), default=dict)
    errors = models.JSONField(_("fouten"), default=list)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    finished_at = models.DateTimeField(_("afgerond"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class Client(models.Model):
    """A person on (or formerly on) bijstand, as known from the benefit system. Ordinary personal data only:
    special categories live in ClientSpecialCategories."""

    # Foreign keys whose lookups a composite index or unique constraint below already serves carry no index of
    # their own: every index costs time on a 400,000-row import.
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="clients",
                                     verbose_name=_("gemeente"), db_index=False)
    client_number = models.CharField(_("cliëntnummer"), max_length=20)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True, db_index=True)
    given_names = models.CharField(_("voornamen"), max_length=100, blank=True)
    family_name = models.CharField(_("achternaam"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("geboortejaar"))
    sex = models.CharField(_("geslacht"), max_length=1, choices=Sex.choices)
    household = models.CharField(_("leefvorm"), max_length=100, blank=True)
    dossier_number = models.CharField(_("dossiernummer"), max_length=30, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="clients",
                             verbose_name=_("team"), db_index=False)
    client_manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="caseload", verbose_name=_("klantmanager"), db_index=False)
    # Start of the running spell, kept by the import so list filters on duration need no join.
    active_spell_start = models.DateField(_("begin lopende uitkering"), null=True, blank=True)
    # Lower-case "family name, given names" for prefix search.
    search_name = models.CharField(max_length=210, blank=True)
    # A trace to the import that last wrote the row. ImportRuns are never deleted, so no database constraint:
    # on PostgreSQL each constraint is a trigger per inserted row, which a 400,000-client import pays for.
    last_import = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    db_index=False, db_constraint=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "client_number"], name="client_unique_number"),
        ]
        indexes = [
            models.Index(fields=["team", "search_name"], name="client_team_name"),
            models.Index(fields=["team", "active_spell_start"], name="client_team_spell"),
            models.Index(fields=["client_manager", "search_name"], name="client_manager_name"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = " ".join(part for part in (self.given_names, self.family_name) if part)
        return name or str(_("Cliënt %(number)s") % {"number": self.client_number})


def search_name_for(family_name: str, given_names: str) -> str:
    return f"{family_name} {given_names}".strip().lower()


class BenefitSpell(models.Model):
    """One benefit spell: the periods of one client with the same original start date, merged (BRIEF §6).
    ``end_date`` is empty while any of its periods runs."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="spells", verbose_name=_("cliënt"),
                               db_index=False)
    # Denormalised from the client for analysis queries; the import sets it, so no per-row constraint trigger.
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("gemeente"), db_index=False, db_constraint=False)
    original_start = models.DateField(_("oorspronkelijke begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    first_period_start = models.DateField(_("start eerste periode"))
    last_period_start = models.DateField(_("start laatste periode"))
    period_count = models.PositiveIntegerField(_("aantal perioden"), default=1)
    group_code = models.CharField(_("kode groep"), max_length=20, blank=True)
    household = models.CharField(_("leefvorm"), max_length=100, blank=True)
    cause = models.ForeignKey(CauseCode, null=True, blank=True, on_delete=models.PROTECT,
                              verbose_name=_("oorzaak bijstandsafhankelijkheid"))
    end_reason = models.CharField(_("reden einde"), max_length=200, blank=True)
    # A trace to the import that last wrote the row. ImportRuns are never deleted, so no database constraint:
    # on PostgreSQL each constraint is a trigger per inserted row, which a 400,000-client import pays for.
    last_import = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    db_index=False, db_constraint=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        ordering = ["original_start"]
        verbose_name = _("uitkeringsperiode")
        verbose_name_plural = _("uitkeringsperioden")
        constraints = [
            models.UniqueConstraint(fields=["client", "original_start"], name="spell_unique_start"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("original_start")),
                name="spell_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "original_start"], name="spell_muni_start"),
            models.Index(fields=["municipality", "end_date"], name="spell_muni_end"),
        ]

    def __str__(self) -> str:
        return f"{self.original_start} – {self.end_date or '…'}"

    @property
    def is_active(self) -> bool:
        return self.end_date is None


class MigrationBackground(models.TextChoices):
    NEDERLANDS = "nederlands", _("Nederlandse achtergrond")
    WESTERS = "westers", _("Westerse migratieachtergrond")
    NIET_WESTERS = "niet_westers", _("Niet-westerse migratieachtergrond")
    ONBEKEND = "onbekend", _("Onbekend")


class ClientSpecialCategories(models.Model):
    """Special categories of personal data (AVG art. 9), kept apart with their own visibility per role
    (``accounts.roles.SEES_HEALTH`` …). Never read by any ranking."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="special_categories")
    health = models.TextField(_("gezondheid (lichamelijk en psychisch)"), blank=True)
    addiction = models.TextField(_("verslaving"), blank=True)
    migration_background = models.CharField(_("migratieachtergrond"), max_length=20,
                                            choices=MigrationBackground.choices, blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("bijzondere persoonsgegevens")
        verbose_name_plural = _("bijzondere persoonsgegevens")


class ReturnToBenefit(models.Model):
    """A draaideur: a later import brought a new benefit spell for a client whose previous spell had ended within
    ``settings.KANSRIJK_DRAAIDEUR_MONTHS`` months. Written by the import, never edited."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="returns_to_benefit",
                               verbose_name=_("cliënt"), db_index=False)
    new_spell_start = models.DateField(_("begin nieuwe uitkering"))
    previous_end = models.DateField(_("einde vorige uitkering"))
    months_between = models.PositiveSmallIntegerField(_("maanden ertussen"))
    detected_on = models.DateField(_("gesignaleerd op"))
    # No database constraint, as for the spells: ImportRuns are never deleted and the import writes in bulk.
    detected_by_import = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+", db_index=False, db_constraint=False)

    class Meta:
        ordering = ["-new_spell_start"]
        constraints = [models.UniqueConstraint(fields=["client", "new_spell_start"], name="return_once_per_spell")]
        indexes = [models.Index(fields=["detected_on"], name="return_detected_on")]
        verbose_name = _("terugkeer in de uitkering")
        verbose_name_plural = _("terugkeer in de uitkering (draaideur)")

    def __str__(self) -> str:
        return f"{self.client}: terug op {self.new_spell_start} na {self.months_between} maanden"
