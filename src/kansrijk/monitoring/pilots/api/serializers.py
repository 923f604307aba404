"""Pilot API shapes. Results are aggregates: every count may be null (suppressed, fewer than 10 persons)."""

from rest_framework import serializers

from kansrijk.core.api import IdField

from ..models import Pilot, PilotEvaluation


class PilotSerializer(serializers.ModelSerializer):
    gemeente = serializers.CharField(source="municipality.cbs_code", read_only=True)
    aanpak = serializers.SlugRelatedField(source="approach", slug_field="slug", read_only=True)
    aanpak_naam = serializers.CharField(source="approach.name", read_only=True)

    class Meta:
        model = Pilot
        fields = ["id", "gemeente", "aanpak", "aanpak_naam", "name", "starts_on", "ends_on", "description", "status",
                  "created_at"]


class PilotInputSerializer(serializers.Serializer):
    aanpak = serializers.SlugField(help_text="Sleutel (slug) van de aanpak in de catalogus.")
    name = serializers.CharField(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(help_text="Laatste dag waarop een geaccepteerd traject meetelt.")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    gemeente = serializers.CharField(required=False, max_length=10, help_text="CBS-code; standaard uw eerste.")


class CaveatSerializer(serializers.Serializer):
    code = serializers.CharField()
    tekst = serializers.CharField()


class EffectSerializer(serializers.Serializer):
    n_deelnemers = serializers.IntegerField(allow_null=True)
    n_vergelijking = serializers.IntegerField(allow_null=True)
    verschil = serializers.FloatField(allow_null=True, help_text="Deelnemers min vergelijkingsgroep.")
    ci_laag = serializers.FloatField(allow_null=True)
    ci_hoog = serializers.FloatField(allow_null=True)
    methode = serializers.CharField()


class LadderSuggestionSerializer(serializers.Serializer):
    niveau = serializers.IntegerField(allow_null=True)
    code = serializers.CharField()
    tekst = serializers.CharField()


class PilotResultsSerializer(serializers.Serializer):
    groepen = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    balans = serializers.ListField(child=serializers.DictField())
    effecten = serializers.DictField(child=EffectSerializer())
    max_smd_voor = serializers.FloatField(allow_null=True)
    max_smd_na = serializers.FloatField(allow_null=True)
    meetdekking_pct = serializers.FloatField()
    kanttekeningen = CaveatSerializer(many=True)
    effectladder = LadderSuggestionSerializer()


class EvaluationSerializer(serializers.ModelSerializer):
    pilot = IdField(source="pilot_id", read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = PilotEvaluation
        fields = ["id", "pilot", "run_at", "method", "parameters", "results"]

    def get_results(self, evaluation) -> PilotResultsSerializer:
        from ..presentation import as_api

        return as_api(evaluation.results)
