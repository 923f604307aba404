"""Response shapes of the dashboard API. Every count, percentage and mean may be null: suppressed (fewer than 10
persons behind it, or it would give such a count away), or not measured."""

from rest_framework import serializers


def _count(**kwargs):
    return serializers.IntegerField(allow_null=True, **kwargs)


def _number(**kwargs):
    return serializers.FloatField(allow_null=True, **kwargs)


class PeriodParamsSerializer(serializers.Serializer):
    van = serializers.DateField(required=False, help_text="Eerste dag; standaard twaalf maanden vóór 'tot_en_met'.")
    tot_en_met = serializers.DateField(required=False, help_text="Laatste dag; standaard vandaag.")
    gemeente = serializers.CharField(required=False, max_length=10, help_text="CBS-code; standaard uw eerste gemeente.")


class PeriodSerializer(serializers.Serializer):
    van = serializers.DateField()
    tot_en_met = serializers.DateField()


class ResultRowSerializer(serializers.Serializer):
    groep = serializers.CharField()
    trajecten = _count(help_text="Trajecten die in de periode liepen.")
    beeindigd = _count(help_text="Waarvan in de periode beëindigd.")
    afgerond = _count(help_text="Beëindigd met doel bereikt, werk gevonden, opleiding of afgesproken duur verstreken.")
    pct_afgerond = _number()
    uitval = _count()
    pct_uitval = _number()
    naar_werk = _count(help_text="Beëindigd met uitstroom naar werk als resultaat.")
    pct_naar_werk = _number()
    gemeten_trede = _count(help_text="Trajecten met een tredemeting bij de start en een latere bij het einde.")
    trede_verschil = _number(help_text="Gemiddelde verandering van de trede.")
    pct_trede_omhoog = _number()
    gemeten_zrm = _count()
    zrm_verschil = _number(help_text="Gemiddelde verandering van de ZRM-score, zonder de bijzondere domeinen.")
    kosten_per_werk = _number(help_text="Som van de kosten per deelnemer van de beëindigde trajecten / aantal naar "
                                        "werk (euro).")


class ResultsSerializer(serializers.Serializer):
    gemeente = serializers.CharField()
    onderdrukt_onder = serializers.IntegerField()
    periode = PeriodSerializer()
    totaal = ResultRowSerializer()
    aanpak = ResultRowSerializer(many=True)
    aanbieder = ResultRowSerializer(many=True)
    team = ResultRowSerializer(many=True)


class TrendMixin(serializers.Serializer):
    vorige = _number(help_text="De waarde in de vorige periode van dezelfde lengte.")
    verschil = _number(help_text="Deze periode min de vorige.")


class OutflowKpiSerializer(TrendMixin):
    waarde = _count(help_text="Uitkeringen beëindigd met werk als reden.")
    teller = _count()
    noemer = _count(help_text="Alle in de periode beëindigde uitkeringen.")
    pct = _number()


class SuccessKpiSerializer(TrendMixin):
    waarde = _number(help_text="Percentage geslaagde trajecten van de beëindigde.")
    teller = _count()
    noemer = _count()


class InViewKpiSerializer(TrendMixin):
    waarde = _number(help_text="Percentage in beeld van de cliënten met een contactritme.")
    teller = _count()
    noemer = _count()
    zonder_ritme = _count()
    peildatum = serializers.DateField()


class CaseloadKpiSerializer(TrendMixin):
    waarde = _number(help_text="Gemiddeld aantal cliënten per klantmanager.")
    klantmanagers = serializers.IntegerField()
    mediaan = _number()
    minimum = _count()
    maximum = _count()
    zonder_klantmanager = serializers.IntegerField()
    peildatum = serializers.DateField()


class SatisfactionKpiSerializer(TrendMixin):
    waarde = _number(help_text="Gemiddeld rapportcijfer (1–10); null onder de 10 personen.")
    noemer = _count()


class KpiSerializer(serializers.Serializer):
    gemeente = serializers.CharField()
    onderdrukt_onder = serializers.IntegerField()
    periode = PeriodSerializer()
    vorige_periode = PeriodSerializer()
    uitstroom_werk = OutflowKpiSerializer()
    slagingspercentage = SuccessKpiSerializer()
    in_beeld = InViewKpiSerializer()
    caseload = CaseloadKpiSerializer()
    tevredenheid = SatisfactionKpiSerializer()
