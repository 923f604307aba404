from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import vocabulary as v
from ..models import Approach, ApproachResult, Assessment, AssessmentScore, LocalOffer, WorkingElement


class WorkingElementSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkingElement
        fields = ["key", "category", "target_group", "label", "description", "need", "source"]


class ApproachResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApproachResult
        fields = ["description", "value", "unit", "period", "source"]


class LocalOfferSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)

    class Meta:
        model = LocalOffer
        fields = ["municipality", "active", "capacity", "contact_person", "contact_email", "contact_phone",
                  "provider", "cost_per_participant_eur", "costs", "intake_moments", "notes", "updated_at"]
        read_only_fields = ["municipality", "updated_at"]


class AssessmentScoreSerializer(serializers.ModelSerializer):
    score_label = serializers.CharField(source="get_score_display", read_only=True)

    class Meta:
        model = AssessmentScore
        fields = ["dimension", "score", "score_label", "reasoning"]


class AssessmentSerializer(serializers.ModelSerializer):
    assessor = serializers.StringRelatedField()
    scores = AssessmentScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "created_at", "assessor", "effect_level", "conclusion", "checklist", "scores"]


class ScoreInputSerializer(serializers.Serializer):
    score = serializers.ChoiceField(choices=v.Score.choices)
    reasoning = serializers.CharField()


class ChecklistAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["ja", "nee", "onbekend"])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentCreateSerializer(serializers.Serializer):
    scores = serializers.DictField(child=ScoreInputSerializer(), help_text="Per dimensie (alle zes): score en onderbouwing.")
    checklist = serializers.DictField(child=ChecklistAnswerSerializer(), required=False, default=dict)
    effect_level = serializers.ChoiceField(choices=v.EffectLevel.choices, required=False, allow_null=True, default=None)
    conclusion = serializers.CharField(required=False, allow_blank=True, default="")


class ApproachListSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:approach-detail", lookup_field="slug")
    approach_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    target_groups = serializers.ListField(child=serializers.CharField(), read_only=True)
    phases = serializers.ListField(child=serializers.CharField(), read_only=True)
    ladder_steps = serializers.ListField(child=serializers.CharField(), read_only=True)
    regimes = serializers.ListField(child=serializers.CharField(), read_only=True)
    owner = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True, allow_null=True)
    offered_locally = serializers.BooleanField(read_only=True)
    retired = serializers.SerializerMethodField()

    class Meta:
        model = Approach
        fields = ["slug", "url", "name", "kind", "goal", "approach_types", "target_groups", "phases", "ladder_steps",
                  "regimes", "effect_level", "municipality", "region", "provider", "cost_per_participant_eur",
                  "status", "owner", "offered_locally", "retired"]

    def get_retired(self, approach) -> bool:
        return approach.retired_at is not None


class ApproachDetailSerializer(ApproachListSerializer):
    results = ApproachResultSerializer(many=True, read_only=True)
    working_elements = WorkingElementSerializer(many=True, read_only=True)
    local_offers = serializers.SerializerMethodField()

    class Meta(ApproachListSerializer.Meta):
        fields = ApproachListSerializer.Meta.fields + [
            "description", "target_group_description", "trede_min", "trede_max", "min_hours_per_week",
            "language_level", "age_min", "age_max", "entry_criteria", "duration", "duration_weeks",
            "phases_description", "group_size", "capacity", "intake_moments", "contact_frequency", "caseload",
            "costs", "funding", "benefit_retained", "job_search_exemption", "job_guarantee", "srg_category",
            "results", "working_elements", "local_working_elements", "pitfalls", "sources", "retired_at",
            "retired_reason", "version", "local_offers",
        ]

    @extend_schema_field(LocalOfferSerializer(many=True))
    def get_local_offers(self, approach):
        return LocalOfferSerializer(approach.offers_here, many=True).data


class ResultInputSerializer(serializers.Serializer):
    description = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)
    unit = serializers.CharField(required=False, allow_blank=True, default="")
    period = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.CharField(required=False, allow_blank=True, default="")


def _choices(values):
    return serializers.ListField(child=serializers.ChoiceField(choices=values), required=False, default=list)


class ApproachWriteSerializer(serializers.Serializer):
    """A municipality's own approach, in the shape of the catalogue content (``content/README.md``)."""

    slug = serializers.SlugField(max_length=120, required=False)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=v.Kind.choices)
    gemeente = serializers.CharField(required=False, write_only=True,
                                     help_text="CBS-code van de eigen gemeente (standaard de eerste van de gebruiker).")
    municipality = serializers.CharField(required=False, allow_blank=True, default="")
    region = serializers.CharField(required=False, allow_blank=True, default="")
    provider = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    goal = serializers.ChoiceField(choices=v.Goal.choices, required=False, allow_blank=True, default="")
    approach_types = _choices(v.ApproachType.values)
    target_groups = _choices(v.TargetGroup.values)
    target_group_description = serializers.CharField(required=False, allow_blank=True, default="")
    phases = _choices(v.Phase.values)
    ladder_steps = _choices(list(v.LADDER_STEPS))
    regimes = _choices(v.Regime.values)
    trede_min = serializers.IntegerField(min_value=1, max_value=6, required=False, allow_null=True, default=None)
    trede_max = serializers.IntegerField(min_value=1, max_value=6, required=False, allow_null=True, default=None)
    min_hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True,
                                                  default=None)
    language_level = serializers.CharField(required=False, allow_blank=True, default="")
    age_min = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    age_max = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    entry_criteria = serializers.CharField(required=False, allow_blank=True, default="")
    duration = serializers.CharField(required=False, allow_blank=True, default="")
    duration_weeks = serializers.DecimalField(max_digits=6, decimal_places=1, required=False, allow_null=True,
                                              default=None)
    phases_description = serializers.CharField(required=False, allow_blank=True, default="")
    group_size = serializers.CharField(required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    intake_moments = serializers.CharField(required=False, allow_blank=True, default="")
    contact_frequency = serializers.CharField(required=False, allow_blank=True, default="")
    caseload = serializers.CharField(required=False, allow_blank=True, default="")
    costs = serializers.CharField(required=False, allow_blank=True, default="")
    cost_per_participant_eur = serializers.DecimalField(max_digits=10, decimal_places=2, required=False,
                                                        allow_null=True, default=None)
    funding = serializers.CharField(required=False, allow_blank=True, default="")
    benefit_retained = serializers.BooleanField(required=False, allow_null=True, default=None)
    job_search_exemption = serializers.BooleanField(required=False, allow_null=True, default=None)
    job_guarantee = serializers.CharField(required=False, allow_blank=True, default="")
    effect_level = serializers.ChoiceField(choices=v.EffectLevel.choices, required=False, allow_null=True,
                                           default=None)
    status = serializers.ChoiceField(choices=v.Status.choices, required=False, allow_blank=True, default="")
    srg_category = serializers.ChoiceField(choices=v.SrgCategory.choices, required=False, allow_blank=True,
                                           default="")
    working_elements = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    local_working_elements = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    pitfalls = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    results = ResultInputSerializer(many=True, required=False, default=list)
    sources = serializers.DictField(child=serializers.CharField(), required=False, default=dict)


class RetireSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class LocalOfferInputSerializer(serializers.ModelSerializer):
    gemeente = serializers.CharField(required=False, write_only=True)

    class Meta:
        model = LocalOffer
        fields = ["gemeente", "active", "capacity", "contact_person", "contact_email", "contact_phone", "provider",
                  "cost_per_participant_eur", "costs", "intake_moments", "notes"]


class CatalogueImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Een catalogusbestand van Kansrijk (.json of .xlsx).")
    gemeente = serializers.CharField(required=False)
    dry_run = serializers.BooleanField(required=False, default=False)


class LoadSummarySerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    retired = serializers.IntegerField()
    local_offers = serializers.IntegerField()
    skipped = serializers.ListField(child=serializers.CharField())
    problems = serializers.ListField(child=serializers.CharField())
    dry_run = serializers.BooleanField()


class WhatWorksGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField(required=False)
    approaches = ApproachListSerializer(many=True)
    working_elements = WorkingElementSerializer(many=True, required=False)


class WhatWorksSerializer(serializers.Serializer):
    target_groups = WhatWorksGroupSerializer(many=True)
    approach_types = WhatWorksGroupSerializer(many=True)
    ladder_steps = WhatWorksGroupSerializer(many=True)
    general_elements = WorkingElementSerializer(many=True)
