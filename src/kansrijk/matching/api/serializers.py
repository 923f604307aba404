"""Serializers of the matching API: recommendations (computed, read-only) and decisions."""

from rest_framework import serializers

from ..models import Decision, RecommendationDecision


class RecommendationReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Soort reden, bijvoorbeeld type, ouderen, element:schulden, wens, effect, "
                                           "trede, regeling.")
    text = serializers.CharField(help_text="De reden in een zin die de klantmanager aan de cliënt kan vertellen.")
    points = serializers.IntegerField(help_text="Bijdrage aan de score (0 voor een toelichting).")


class RecommendationSerializer(serializers.Serializer):
    approach = serializers.CharField(source="candidate.slug", help_text="Sleutel van de aanpak in de catalogus.")
    name = serializers.CharField(source="candidate.name")
    status = serializers.ChoiceField(choices=[("mogelijk", "mogelijk"), ("nu_niet", "nu niet")])
    rank = serializers.IntegerField(allow_null=True, help_text="Plaats onder de mogelijke aanpakken; leeg bij nu niet.")
    score = serializers.IntegerField()
    effect_level = serializers.IntegerField(source="candidate.effect_level", allow_null=True,
                                            help_text="Niveau op de effectladder (1–4), leeg als onbekend.")
    reasons = RecommendationReasonSerializer(many=True, help_text="Waarom de aanpak past.")
    unmet = RecommendationReasonSerializer(many=True, help_text="Waarom de aanpak nu niet mogelijk is.")
    to_ask = RecommendationReasonSerializer(many=True, help_text="Onbekende gegevens die nog nagevraagd moeten worden.")


class RecommendationDecisionSerializer(serializers.ModelSerializer):
    approach = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    decided_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = RecommendationDecision
        fields = ["id", "approach", "decision", "reason", "decided_by", "decided_at", "rank", "explanation"]


class RecommendationDecisionInputSerializer(serializers.Serializer):
    approach = serializers.SlugField(help_text="Sleutel van de aanpak (uit het lokale aanbod van de gemeente).")
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Verplicht bij niet_gekozen.")
