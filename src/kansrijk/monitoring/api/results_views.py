"""The dashboard API: results per approach, provider and team, and the KPIs, as aggregates (SEES_AGGREGATES). A
wrong period or municipality is a 400 problem with the field named."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import results_selectors, selectors
from ..analysis import SUPPRESS_BELOW
from ..views_results import check_period
from .results_serializers import KpiSerializer, PeriodParamsSerializer, ResultsSerializer
from .views import SeesAggregates

PARAMETERS = [
    OpenApiParameter("van", OpenApiTypes.DATE, description="Eerste dag (jjjj-mm-dd); standaard twaalf maanden terug."),
    OpenApiParameter("tot_en_met", OpenApiTypes.DATE, description="Laatste dag (jjjj-mm-dd); standaard vandaag."),
    OpenApiParameter("gemeente", OpenApiTypes.STR, description="CBS-code van een van uw gemeenten."),
]


class _DashboardView(APIView):
    permission_classes = [SeesAggregates]
    part = ""

    def get(self, request):
        params = PeriodParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        period, errors = check_period(params.validated_data.get("van"), params.validated_data.get("tot_en_met"))
        if errors:
            raise ValidationError({field: [message] for field, message in errors.items()})
        code = params.validated_data.get("gemeente")
        municipality = selectors.municipality_for(request.user, code)
        if municipality is None:
            raise ValidationError({"gemeente": [f"U werkt niet voor gemeente {code}." if code else
                                                "U bent aan geen gemeente gekoppeld."]})
        data = results_selectors.cached_dashboard(municipality.pk, period)[self.part]
        return Response({"gemeente": municipality.cbs_code, "onderdrukt_onder": SUPPRESS_BELOW, **data})


class ResultsView(_DashboardView):
    """Trajectory results, ladder and ZRM change and cost per outflow to work, per approach, provider and team."""

    part = "resultaten"

    @extend_schema(summary="Resultaten van trajecten per aanpak, aanbieder en team (alleen totalen)",
                   parameters=PARAMETERS, responses=ResultsSerializer)
    def get(self, request):
        return super().get(request)


class KpiView(_DashboardView):
    """The management KPIs of seed 002 §6.2 with the trend against the previous period."""

    part = "kpi"

    @extend_schema(summary="Kerncijfers: uitstroom naar werk, slagingspercentage, in beeld, caseload, tevredenheid",
                   parameters=PARAMETERS, responses=KpiSerializer)
    def get(self, request):
        return super().get(request)
