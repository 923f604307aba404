"""Privacy operations (AVG): retention periods per record type and the runs of the job that applies them, answered
access requests (art. 15) and pseudonymised exports for analysis, each with who did it and when.

None of these records holds a client's data beyond a reference: a retention run keeps counts per record type only,
an export its purpose and size."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordType(models.TextChoices):
    CLIENT_FILE = "client_file", _("Cliëntdossier (persoonsgegevens en alle vastleggingen)")
    SPECIAL_CATEGORIES = "special_categories", _("Bijzondere persoonsgegevens (gezondheid, verslaving, afkomst)")
    CONTACTS = "contacts", _("Contactverslagen")
    ACCESS_LOG = "access_log", _("Inzagelog (wie bekeek welke cliënt)")
    CHANGE_HISTORY = "change_history", _("Wijzigingshistorie (oude en nieuwe waarden)")


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonimiseren")
    DELETE = "delete", _("Verwijderen")


class StartsFrom(models.TextChoices):
    BENEFIT_END = "benefit_end", _("Einde van de (laatste) uitkering")
    RECORD_DATE = "record_date", _("Datum van de vastlegging")


# What each record type allows. The client file and the special categories only expire once the benefit has ended
# (a running file is never cut up); the logs have no benefit of their own; a log row cannot be "anonymised".
ALLOWED = {
    RecordType.CLIENT_FILE: ({StartsFrom.BENEFIT_END}, {RetentionAction.ANONYMISE, RetentionAction.DELETE}),
    RecordType.SPECIAL_CATEGORIES: ({StartsFrom.BENEFIT_END}, {RetentionAction.DELETE}),
    RecordType.CONTACTS: ({StartsFrom.RECORD_DATE, StartsFrom.BENEFIT_END},
                          {RetentionAction.ANONYMISE, RetentionAction.DELETE}),
    RecordType.ACCESS_LOG: ({StartsFrom.RECORD_DATE}, {RetentionAction.DELETE}),
    RecordType.CHANGE_HISTORY: ({StartsFrom.RECORD_DATE}, {RetentionAction.ANONYMISE, RetentionAction.DELETE}),
}


class RetentionRule(models.Model):
    """How long one type of record is kept, from when, and what happens after. The defaults (data migration
    0002) are placeholders: the municipality's records officer and FG set the periods (Selectielijst gemeenten, own
    policy) in /beheer/."""

    record_type = models.CharField(_("soort gegevens"), max_length=24, choices=RecordType.choices, unique=True)
    period_months = models.PositiveSmallIntegerField(_("bewaartermijn (maanden)"),
                                                     validators=[MinValueValidator(1), MaxValueValidator(1200)])
    starts_from = models.CharField(_("termijn loopt vanaf"), max_length=12, choices=StartsFrom.choices)
    action = models.CharField(_("daarna"), max_length=10, choices=RetentionAction.choices)
    active = models.BooleanField(_("in gebruik"), default=True,
                                 help_text=_("Een regel die niet in gebruik is, wordt door de bewaartermijntaak "
                                             "overgeslagen."))
    basis = models.TextField(_("grondslag"), blank=True,
                             help_text=_("Waarop de termijn berust, bijvoorbeeld de categorie in de Selectielijst "
                                         "gemeenten of het besluit van de gemeente."))
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        ordering = ["record_type"]
        verbose_name = _("bewaartermijn")
        verbose_name_plural = _("bewaartermijnen")

    def __str__(self):
        return f"{self.get_record_type_display()}: {self.period_months} mnd"

    def clean(self):
        starts, actions = ALLOWED.get(self.record_type, (set(), set()))
        errors = {}
        if self.starts_from and self.starts_from not in starts:
            errors["starts_from"] = _("Voor deze soort gegevens kan de termijn zo niet lopen: kies %(options)s.") % {
                "options": ", ".join(str(StartsFrom(s).label) for s in sorted(starts))}
        if self.action and self.action not in actions:
            errors["action"] = _("Voor deze soort gegevens kan dat niet: kies %(options)s.") % {
                "options": ", ".join(str(RetentionAction(a).label) for a in sorted(actions))}
        if errors:
            raise ValidationError(errors)


class RetentionRun(models.Model):
    """One run of the retention job (or a dry run): the date it applied and how many records per type it anonymised
    or deleted. Counts only, never which clients."""

    started_at = models.DateTimeField(_("gestart"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    today = models.DateField(_("peildatum"))
    dry_run = models.BooleanField(_("proefdraai"), default=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("gestart door"),
                                   help_text=_("Leeg als de geplande taak het startte."))
    counts = models.JSONField(_("aantallen per soort"), default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("uitvoering bewaartermijnen")
        verbose_name_plural = _("uitvoeringen bewaartermijnen")

    def __str__(self):
        return f"{self.today} ({'proef' if self.dry_run else 'uitgevoerd'})"


class AccessRequest(models.Model):
    """An access request (inzageverzoek, AVG art. 15) answered with the client's file: who produced it, when, in
    which form, under which reference. The client stays referenced by number if the file is later deleted."""

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF")
        HTML = "html", _("Webpagina (HTML)")

    client = models.ForeignKey("caseload.Client", null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("cliënt"))
    client_number = models.CharField(_("cliëntnummer"), max_length=20)
    reference = models.CharField(_("kenmerk van het verzoek"), max_length=100,
                                 help_text=_("Bijvoorbeeld het zaaknummer waaronder het verzoek is geregistreerd."))
    received_on = models.DateField(_("verzoek ontvangen op"))
    format = models.CharField(_("vorm"), max_length=4, choices=Format.choices)
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("opgesteld door"))
    produced_at = models.DateTimeField(_("opgesteld op"), auto_now_add=True)

    class Meta:
        ordering = ["-produced_at", "-id"]
        indexes = [models.Index(fields=["client", "-produced_at"], name="access_request_client")]
        verbose_name = _("inzageverzoek")
        verbose_name_plural = _("inzageverzoeken")

    def __str__(self):
        return f"{self.reference} ({self.client_number})"


class PseudonymisedExport(models.Model):
    """One pseudonymised analysis export: who, when, which table of which municipality, how many rows, and the
    purpose the analyst gave."""

    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("door"))
    exported_at = models.DateTimeField(_("op"), auto_now_add=True)
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("gemeente"))
    table = models.CharField(_("tabel"), max_length=20)
    purpose = models.TextField(_("doel"))
    rows = models.PositiveIntegerField(_("aantal rijen"), default=0)

    class Meta:
        ordering = ["-exported_at", "-id"]
        verbose_name = _("gepseudonimiseerde export")
        verbose_name_plural = _("gepseudonimiseerde exports")
