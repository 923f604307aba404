"""Response shapes of the fairness and region endpoints, for the schema. Every count may be null: suppressed."""

from rest_framework import serializers

from ..fairness import DIMENSIONS, OUTCOME_KEYS


def _count(**kwargs):
    return serializers.IntegerField(allow_null=True, **kwargs)


def _float(**kwargs):
    return serializers.FloatField(allow_null=True, **kwargs)


class FairnessParamsSerializer(serializers.Serializer):
    van = serializers.DateField(required=False, help_text="Begin van de periode; standaard een jaar vóór 'tot'.")
    tot = serializers.DateField(required=False, help_text="Einde van de periode (tot en met); standaard vandaag.")
    gemeente = serializers.CharField(required=False, max_length=10, help_text="CBS-code; standaard uw eerste gemeente.")


class OverallRateSerializer(serializers.Serializer):
    uitkomst = serializers.ChoiceField(choices=OUTCOME_KEYS)
    aantal = _count(help_text="Cliënten met minstens één keer deze uitkomst in de periode.")
    pct = _float()


class GroupRateSerializer(serializers.Serializer):
    dimensie = serializers.ChoiceField(choices=list(DIMENSIONS))
    groep = serializers.CharField()
    uitkomst = serializers.ChoiceField(choices=OUTCOME_KEYS)
    n = _count(help_text="Actieve cliënten in de groep.")
    aantal = _count()
    pct = _float()
    verhouding_hoogste = _float(help_text="Percentage gedeeld door dat van de groep met het hoogste percentage.")
    verhouding_gemiddeld = _float(help_text="Percentage gedeeld door het gemiddelde over alle cliënten.")
    verschil_pp = _float(help_text="Verschil met de hoogste groep in procentpunten.")
    verschil_ci = serializers.ListField(child=serializers.FloatField(allow_null=True), min_length=2, max_length=2,
                                        help_text="95%-betrouwbaarheidsinterval van het verschil (Newcombe).")
    referentie = serializers.CharField(allow_null=True, help_text="De groep met het hoogste percentage.")
    vier_vijfde = serializers.BooleanField(allow_null=True, help_text="Verhouding tot de hoogste onder 0,8.")


class TestSerializer(serializers.Serializer):
    dimensie = serializers.ChoiceField(choices=list(DIMENSIONS))
    uitkomst = serializers.ChoiceField(choices=OUTCOME_KEYS)
    p_waarde = _float(help_text="Chi-kwadraattoets over de getoonde groepen.")


class SignalSerializer(serializers.Serializer):
    dimensie = serializers.ChoiceField(choices=list(DIMENSIONS))
    groep = serializers.CharField()
    uitkomst = serializers.ChoiceField(choices=OUTCOME_KEYS)
    verhouding = serializers.FloatField()
    tekst = serializers.CharField(help_text="Uitleg in woorden.")


class FairnessSerializer(serializers.Serializer):
    gemeente = serializers.CharField()
    periode_van = serializers.DateField()
    periode_tot = serializers.DateField()
    onderdrukt_onder = serializers.IntegerField()
    n = _count(help_text="Actieve cliënten in de periode.")
    totaal = OverallRateSerializer(many=True)
    groepen = GroupRateSerializer(many=True)
    toetsen = TestSerializer(many=True)
    signalen = SignalSerializer(many=True)


class RegionParamsSerializer(serializers.Serializer):
    regio = serializers.CharField(required=False, max_length=10, help_text="Regiocode; standaard uw eerste regio.")
    peildatum = serializers.DateField(required=False, help_text="Standaard vandaag; niet in de toekomst.")


class RegionMunicipalitySerializer(serializers.Serializer):
    gemeente = serializers.CharField()
    naam = serializers.CharField()


class _InflowCells(serializers.Serializer):
    n = _count()
    actief = _count()
    pct_actief = _float()


class _OutflowCells(serializers.Serializer):
    n = _count()
    werk = _count()
    pct_werk = _float()
    overig = _count()
    pct_overig = _float()


class _ReturnCells(serializers.Serializer):
    n = _count()
    terug = _count()
    pct_terug = _float()


def _region_row(name, key, cells):
    municipality_cells = type(f"{name}MunicipalitySerializer", (cells,), {"gemeente": serializers.CharField()})
    return type(f"{name}RowSerializer", (serializers.Serializer,), {
        key: serializers.IntegerField(), "gemeenten": municipality_cells(many=True),
        "regio": cells(allow_null=True)})


class RegionSerializer(serializers.Serializer):
    regio = serializers.CharField()
    naam = serializers.CharField()
    peildatum = serializers.DateField()
    onderdrukt_onder = serializers.IntegerField()
    gemeenten = RegionMunicipalitySerializer(many=True)
    instroom = _region_row("RegionInflow", "instroomjaar", _InflowCells)(many=True)
    uitstroom = _region_row("RegionOutflow", "uitstroomjaar", _OutflowCells)(many=True)
    terugkeer = _region_row("RegionReturn", "maanden", _ReturnCells)(many=True)
