"""Response shapes of the monitoring API, for the schema. Every count may be null: suppressed (fewer than 10
persons behind it, or it would give such a count away)."""

from rest_framework import serializers


def _count(**kwargs):
    return serializers.IntegerField(allow_null=True, **kwargs)


def _pct(**kwargs):
    return serializers.FloatField(allow_null=True, **kwargs)


class ParamsSerializer(serializers.Serializer):
    peildatum = serializers.DateField(required=False, help_text="Standaard vandaag; niet in de toekomst.")
    gemeente = serializers.CharField(required=False, max_length=10, help_text="CBS-code; standaard uw eerste gemeente.")


class YearRowSerializer(serializers.Serializer):
    instroomjaar = serializers.IntegerField()
    n = _count(help_text="Aantal uitkeringen met dit instroomjaar (null: onderdrukt).")
    actief = _count(help_text="Waarvan op de peildatum nog lopend (null: onderdrukt).")
    pct_actief = _pct(help_text="Percentage nog actief, twee decimalen (null: onderdrukt).")


class GroupRowSerializer(YearRowSerializer):
    groep = serializers.CharField()


class ActiveCrossSerializer(serializers.Serializer):
    leeftijdsklasse = serializers.CharField()
    leefvorm = serializers.CharField()
    n = _count()


class MetaMixin(serializers.Serializer):
    gemeente = serializers.CharField()
    peildatum = serializers.DateField()
    onderdrukt_onder = serializers.IntegerField(help_text="Aantallen onder dit aantal personen zijn null.")


class CaseloadAnalysisSerializer(MetaMixin):
    totaal = YearRowSerializer(many=True)
    geslacht = GroupRowSerializer(many=True)
    leefvorm = GroupRowSerializer(many=True)
    leeftijdsklasse = GroupRowSerializer(many=True)
    oorzaak = GroupRowSerializer(many=True)
    actief_leeftijd_leefvorm = ActiveCrossSerializer(many=True)


class CurvePointSerializer(serializers.Serializer):
    maand = serializers.IntegerField()
    nog_in_uitkering = serializers.FloatField(help_text="Kaplan–Meier-schatting, 0–1.")


class CurveSerializer(serializers.Serializer):
    groep = serializers.CharField()
    n = _count()
    uitgestroomd = _count()
    mediaan_maanden = _pct(help_text="Mediane duur in maanden; null: niet bereikt of onderdrukt.")
    mediaan_ci = serializers.ListField(child=serializers.FloatField(allow_null=True), min_length=2, max_length=2,
                                       help_text="95%-betrouwbaarheidsinterval van de mediaan.")
    punten = CurvePointSerializer(many=True)


class SurvivalSerializer(serializers.Serializer):
    leeftijdsklasse = CurveSerializer(many=True)
    leefvorm = CurveSerializer(many=True)
    geslacht = CurveSerializer(many=True)
    instroomjaar = CurveSerializer(many=True)
    oorzaak = CurveSerializer(many=True)


class ReasonRowSerializer(serializers.Serializer):
    uitstroomjaar = serializers.IntegerField()
    n = _count()
    werk = _count()
    pct_werk = _pct()
    overig = _count()
    pct_overig = _pct()
    onbekend = _count()
    pct_onbekend = _pct()


class ReturnRowSerializer(serializers.Serializer):
    maanden = serializers.IntegerField()
    uitstroom = serializers.ChoiceField(choices=["werk", "overig", "totaal"])
    n = _count()
    terug = _count()
    pct_terug = _pct()


class OutflowAnalysisSerializer(MetaMixin):
    overleving = SurvivalSerializer()
    uitstroomredenen = ReasonRowSerializer(many=True)
    terugkeer = ReturnRowSerializer(many=True)
