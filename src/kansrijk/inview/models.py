"""Keeping every client in view (*klant in beeld*, seed 000 §2.5): contacts, the municipality's segmentations and
contact-rhythm rules, worklists (computed, see ``selectors.worklist``) and caseload review campaigns (*doorlichting*).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PERSOONLIJK = "persoonlijk", _("Persoonlijk gesprek")
    HUISBEZOEK = "huisbezoek", _("Huisbezoek")
    TELEFOON = "telefoon", _("Telefoon")
    VIDEO = "video", _("Beeldbellen")
    BERICHT = "bericht", _("Bericht (e-mail, app, brief)")


# Channels in which the client was seen, for the campaign's "gezien".
FACE_TO_FACE = (Channel.PERSOONLIJK, Channel.HUISBEZOEK, Channel.VIDEO)


class Confidentiality(models.TextChoices):
    """Who reads a contact's summary. The neighbourhood team reads the social part only (the Mens Centraal split)."""

    SOCIAAL = "sociaal", _("Sociaal: ook voor het wijkteam")
    WERK_INKOMEN = "werk_inkomen", _("Werk en inkomen: niet voor het wijkteam")
    VERTROUWELIJK = "vertrouwelijk", _("Vertrouwelijk: alleen de opsteller en de eigen klantmanager")


class Contact(models.Model):
    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="contacts", db_index=False)
    contacted_on = models.DateField(_("datum"))
    channel = models.CharField(_("kanaal"), max_length=12, choices=Channel.choices)
    with_whom = models.CharField(_("met wie"), max_length=200, blank=True,
                                 help_text=_("Bijvoorbeeld: cliënt, cliënt en partner, wijkteam."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("vastgelegd door"), db_index=False)
    summary = models.TextField(_("verslag"))
    follow_up = models.TextField(_("afgesproken vervolg"), blank=True)
    follow_up_on = models.DateField(_("vervolg op"), null=True, blank=True)
    confidentiality = models.CharField(_("vertrouwelijkheid"), max_length=14, choices=Confidentiality.choices,
                                       default=Confidentiality.WERK_INKOMEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-id"]
        # The worklist reads "last contact per client" through this index, whatever the number of contacts.
        indexes = [models.Index(fields=["client", "-contacted_on"], name="contact_client_date")]
        verbose_name = _("contact")
        verbose_name_plural = _("contacten")


class Segmentation(models.Model):
    """A municipality's own way of grouping clients, e.g. Steenwijkerland's six client groups (seed 002)."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.CASCADE, related_name="segmentations")
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="segmentation_unique_name")]
        verbose_name = _("indeling in klantgroepen")
        verbose_name_plural = _("indelingen in klantgroepen")

    def __str__(self):
        return self.name


class Segment(models.Model):
    segmentation = models.ForeignKey(Segmentation, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["segmentation", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["segmentation", "name"], name="segment_unique_name")]
        verbose_name = _("klantgroep")
        verbose_name_plural = _("klantgroepen")

    def __str__(self):
        return f"{self.segmentation}: {self.name}"


class ClientSegment(models.Model):
    """The client's group within one segmentation, placed by the professional."""

    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="segments")
    segmentation = models.ForeignKey(Segmentation, on_delete=models.CASCADE, related_name="+")
    # PROTECT: a group with clients in it is not deleted by accident (with it the placements would go).
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="members")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_on = models.DateField(_("geplaatst op"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "segmentation"], name="client_one_segment_each")]
        indexes = [models.Index(fields=["segment", "client"], name="client_segment_lookup")]


class ContactRhythmRule(models.Model):
    """How often clients that meet the conditions should be seen. Empty conditions match every client; when several
    rules match, the shortest interval counts. Examples (BRIEF §3): every long-term client (2+ years) once a year;
    trede 1–2 every three months; an intensive FIP-style group every two weeks."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.CASCADE, related_name="rhythm_rules")
    name = models.CharField(_("naam"), max_length=120)
    interval_days = models.PositiveSmallIntegerField(_("minstens elke … dagen"),
                                                     validators=[MinValueValidator(1), MaxValueValidator(730)])
    min_benefit_years = models.PositiveSmallIntegerField(_("minstens … jaar in de bijstand"), null=True, blank=True)
    trede_min = models.PositiveSmallIntegerField(_("trede vanaf"), null=True, blank=True,
                                                 validators=[MinValueValidator(1), MaxValueValidator(6)])
    trede_max = models.PositiveSmallIntegerField(_("trede tot en met"), null=True, blank=True,
                                                 validators=[MinValueValidator(1), MaxValueValidator(6)])
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("klantgroep"))
    active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ["interval_days", "name"]
        verbose_name = _("contactritme")
        verbose_name_plural = _("contactritmes")

    def __str__(self):
        return f"{self.name} ({self.interval_days} d)"


class Campaign(models.Model):
    """A caseload review (*doorlichting*): a selection of clients, spread over client managers, followed until
    every one is invited, reached, seen and diagnosed — how Den Haag reviewed 18,000 clients."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("naam"), max_length=200)
    criteria = models.JSONField(_("selectie"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_on = models.DateField(_("start"))
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("doorlichting")
        verbose_name_plural = _("doorlichtingen")

    def __str__(self):
        return self.name


class CampaignInvitation(models.Model):
    """One client in a campaign. Reached, seen and diagnosed follow from the contacts and measurements recorded
    after the campaign started; only the invitation itself is marked by hand."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    client = models.ForeignKey("caseload.Client", on_delete=models.CASCADE, related_name="+")
    client_manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("klantmanager"))
    invited_on = models.DateField(_("uitgenodigd op"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "client"], name="campaign_client_once")]
        indexes = [models.Index(fields=["campaign", "client_manager"], name="campaign_manager")]
