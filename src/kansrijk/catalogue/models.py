"""The catalogue of approaches (BRIEF §3): what exists, for whom, with what evidence, and what is offered locally."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import vocabulary as v


class WorkingElement(models.Model):
    """A working element (*werkzaam element*) from the literature: the controlled vocabulary approaches link to."""

    key = models.SlugField(_("sleutel"), max_length=80, unique=True)
    category = models.CharField(_("categorie"), max_length=24, choices=v.WorkingElementCategory.choices)
    target_group = models.CharField(_("doelgroep"), max_length=40, choices=v.TargetGroup.choices, blank=True)
    label = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    need = models.CharField(_("past bij de situatie"), max_length=200, blank=True)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("werkzaam element")
        verbose_name_plural = _("werkzame elementen")

    def __str__(self):
        return self.label


class ApproachQuerySet(models.QuerySet):
    def current(self):
        return self.filter(retired_at__isnull=True)


class Approach(models.Model):
    """An approach, trajectory, instrument or initiative. Shipped entries have no owner; local ones belong to a
    municipality. Every filled fact carries its source in ``sources`` (field → "document:L12-L15")."""

    slug = models.SlugField(_("sleutel"), max_length=120, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=16, choices=v.Kind.choices)
    owner = models.ForeignKey(
        "accounts.Municipality",
        verbose_name=_("eigen aanpak van gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_approaches",
        help_text=_("Leeg voor de meegeleverde landelijke catalogus."),
    )
    municipality = models.CharField(_("gemeente(n)"), max_length=300, blank=True)
    region = models.CharField(_("regio"), max_length=200, blank=True)
    provider = models.CharField(_("uitvoerder"), max_length=300, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    goal = models.CharField(_("doel"), max_length=16, choices=v.Goal.choices, blank=True)
    target_group_description = models.TextField(_("doelgroep (omschrijving)"), blank=True)

    trede_min = models.PositiveSmallIntegerField(_("trede vanaf"), null=True, blank=True)
    trede_max = models.PositiveSmallIntegerField(_("trede tot en met"), null=True, blank=True)
    min_hours_per_week = models.DecimalField(
        _("minimale belastbaarheid (uur per week)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    language_level = models.CharField(_("taalniveau Nederlands"), max_length=100, blank=True)
    age_min = models.PositiveSmallIntegerField(_("leeftijd vanaf"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("leeftijd tot en met"), null=True, blank=True)
    entry_criteria = models.TextField(_("overige toelatingscriteria"), blank=True)

    duration = models.CharField(_("duur"), max_length=300, blank=True)
    duration_weeks = models.DecimalField(_("duur in weken"), max_digits=6, decimal_places=1, null=True, blank=True)
    phases_description = models.TextField(_("fasen"), blank=True)
    group_size = models.CharField(_("groepsgrootte"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capaciteit"), null=True, blank=True)
    intake_moments = models.CharField(_("instroommomenten"), max_length=300, blank=True)
    contact_frequency = models.CharField(_("contactfrequentie"), max_length=300, blank=True)
    caseload = models.CharField(_("caseload"), max_length=300, blank=True)
    costs = models.TextField(_("kosten"), blank=True)
    cost_per_participant_eur = models.DecimalField(
        _("kosten per deelnemer (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    funding = models.TextField(_("financiering"), blank=True)
    benefit_retained = models.BooleanField(_("met behoud van uitkering"), null=True, blank=True)
    job_search_exemption = models.BooleanField(_("vrijstelling sollicitatieplicht"), null=True, blank=True)
    job_guarantee = models.CharField(_("baangarantie"), max_length=300, blank=True)

    effect_level = models.PositiveSmallIntegerField(
        _("niveau effectladder"), choices=v.EffectLevel.choices, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=16, choices=v.Status.choices, blank=True)
    srg_category = models.CharField(_("SRG-voorziening"), max_length=40, choices=v.SrgCategory.choices, blank=True)
    working_elements = models.ManyToManyField(
        WorkingElement, verbose_name=_("werkzame elementen"), blank=True, related_name="approaches"
    )
    local_working_elements = models.JSONField(_("eigen werkzame elementen"), default=list, blank=True)
    pitfalls = models.JSONField(_("valkuilen en aandachtspunten"), default=list, blank=True)
    sources = models.JSONField(_("bronnen per gegeven"), default=dict, blank=True)

    retired_at = models.DateTimeField(_("uit de catalogus gehaald op"), null=True, blank=True)
    retired_reason = models.CharField(_("reden"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Stemmed, accent-free words of the texts above: the one column the full-text indexes cover
    # (FTS5 on SQLite, GIN on PostgreSQL), kept by services.refresh_search_documents.
    search_document = models.TextField(blank=True, editable=False)

    objects = ApproachQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("aanpak")
        verbose_name_plural = _("aanpakken")
        indexes = [
            models.Index(fields=["kind", "name"], name="approach_kind_name"),
            models.Index(fields=["goal"], name="approach_goal"),
            models.Index(fields=["effect_level"], name="approach_effect_level"),
            models.Index(fields=["region"], name="approach_region"),
            models.Index(fields=["retired_at"], name="approach_retired"),
        ]

    def __str__(self):
        return self.name

    def facet_values(self, facet: str) -> list[str]:
        """Values of one multi-valued classification; reads the prefetched facets when present."""
        values = [f.value for f in self.facets.all() if f.facet == facet]
        order = FACET_ORDER.get(facet, ())
        return sorted(values, key=lambda value: (order.index(value) if value in order else len(order), value))

    @property
    def approach_types(self):
        return self.facet_values(Facet.APPROACH_TYPE)

    @property
    def target_groups(self):
        return self.facet_values(Facet.TARGET_GROUP)

    @property
    def phases(self):
        return self.facet_values(Facet.PHASE)

    @property
    def ladder_steps(self):
        return self.facet_values(Facet.LADDER_STEP)

    @property
    def regimes(self):
        return self.facet_values(Facet.REGIME)


def ladder_sort_key(code: str):
    return tuple(int(part) for part in code.split(".") if part.isdigit())


class Facet(models.TextChoices):
    APPROACH_TYPE = "approach_type", _("type aanpak")
    TARGET_GROUP = "target_group", _("doelgroep")
    PHASE = "phase", _("fase")
    LADDER_STEP = "ladder_step", _("trede")
    REGIME = "regime", _("regeling")


FACET_FIELDS = {
    Facet.APPROACH_TYPE: "approach_types",
    Facet.TARGET_GROUP: "target_groups",
    Facet.PHASE: "phases",
    Facet.LADDER_STEP: "ladder_steps",
    Facet.REGIME: "regimes",
}


FACET_ORDER = {
    Facet.APPROACH_TYPE: tuple(v.ApproachType.values),
    Facet.TARGET_GROUP: tuple(v.TargetGroup.values),
    Facet.PHASE: tuple(v.Phase.values),
    Facet.LADDER_STEP: v.LADDER_STEPS,
    Facet.REGIME: tuple(v.Regime.values),
}


class ApproachFacet(models.Model):
    """One value of a multi-valued classification. A table rather than JSON lists so that every filter is an
    indexed lookup on both SQLite and PostgreSQL."""

    approach = models.ForeignKey(Approach, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=16, choices=Facet.choices)
    value = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["approach", "facet", "value"], name="approach_facet_unique"),
        ]
        indexes = [models.Index(fields=["facet", "value", "approach"], name="approach_facet_lookup")]


class ApproachResult(models.Model):
    approach = models.ForeignKey(Approach, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(_("resultaat"))
    value = models.DecimalField(_("waarde"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("eenheid"), max_length=60, blank=True)
    period = models.CharField(_("periode"), max_length=120, blank=True)
    source = models.CharField(_("bron"), max_length=200, blank=True)

    class Meta:
        ordering = ["approach", "position"]
        verbose_name = _("resultaat")
        verbose_name_plural = _("resultaten")


class LocalOffer(models.Model):
    """A municipality's menukaart entry: this approach is offered here, with these local terms."""

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.CASCADE, related_name="local_offers", verbose_name=_("gemeente")
    )
    approach = models.ForeignKey(Approach, on_delete=models.CASCADE, related_name="local_offers")
    active = models.BooleanField(_("wordt aangeboden"), default=True)
    capacity = models.PositiveIntegerField(_("capaciteit (plaatsen)"), null=True, blank=True)
    contact_person = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=40, blank=True)
    provider = models.CharField(_("uitvoerder hier"), max_length=200, blank=True)
    cost_per_participant_eur = models.DecimalField(
        _("kosten per deelnemer (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    costs = models.CharField(_("kosten (toelichting)"), max_length=300, blank=True)
    intake_moments = models.CharField(_("instroommomenten"), max_length=300, blank=True)
    notes = models.TextField(_("toelichting"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "approach"], name="local_offer_unique"),
        ]
        indexes = [models.Index(fields=["approach", "municipality", "active"], name="local_offer_lookup")]
        verbose_name = _("lokaal aanbod")
        verbose_name_plural = _("lokaal aanbod")

    def __str__(self):
        return f"{self.approach} ({self.municipality})"


class Assessment(models.Model):
    """One scoring of an approach with seed 000's assessment framework. Never edited: a new judgement is a new
    record, so the history of scores is kept."""

    approach = models.ForeignKey(Approach, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    effect_level = models.PositiveSmallIntegerField(
        _("niveau effectladder"), choices=v.EffectLevel.choices, null=True, blank=True
    )
    checklist = models.JSONField(_("checklist voorselectie"), default=dict, blank=True)
    conclusion = models.TextField(_("conclusie"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["approach", "-created_at"], name="assessment_history")]
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    dimension = models.CharField(_("dimensie"), max_length=24, choices=v.Dimension.choices)
    score = models.SmallIntegerField(_("score"), choices=v.Score.choices)
    reasoning = models.TextField(_("onderbouwing van de score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="assessment_score_unique"),
        ]
        ordering = ["assessment", "id"]
