"""The monitoring API: the caseload analysis and outflow/duration as aggregates (SEES_AGGREGATES). A wrong
peildatum or municipality is a 400 problem with the field named."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission

from .. import selectors
from ..analysis import SUPPRESS_BELOW
from ..forms import check_peildatum
from .serializers import CaseloadAnalysisSerializer, OutflowAnalysisSerializer, ParamsSerializer

SeesAggregates = role_permission(roles.SEES_AGGREGATES, "SeesAggregates")

PARAMETERS = [
    OpenApiParameter("peildatum", OpenApiTypes.DATE, description="Peildatum (jjjj-mm-dd); standaard vandaag."),
    OpenApiParameter("gemeente", OpenApiTypes.STR, description="CBS-code van een van uw gemeenten."),
]


class _AnalysisView(APIView):
    permission_classes = [SeesAggregates]
    compute = None

    def get(self, request):
        params = ParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        peildatum = params.validated_data.get("peildatum") or timezone.localdate()
        problem = check_peildatum(peildatum)
        if problem:
            raise ValidationError({"peildatum": [problem]})
        code = params.validated_data.get("gemeente")
        municipality = selectors.municipality_for(request.user, code)
        if municipality is None:
            raise ValidationError({"gemeente": [f"U werkt niet voor gemeente {code}." if code else
                                                "U bent aan geen gemeente gekoppeld."]})
        result = type(self).compute(municipality.pk, peildatum)
        return Response({"gemeente": municipality.cbs_code, "peildatum": peildatum.isoformat(),
                         "onderdrukt_onder": SUPPRESS_BELOW, **result})


class CaseloadAnalysisView(_AnalysisView):
    """"Sturen op bijstand": per inflow year and group, spells, still active and the percentage."""

    compute = staticmethod(selectors.caseload_analysis)

    @extend_schema(summary="Analyse bijstandsbestand: instroom en nog actief per jaar en groep (alleen totalen)",
                   parameters=PARAMETERS, responses=CaseloadAnalysisSerializer)
    def get(self, request):
        return super().get(request)


class OutflowAnalysisView(_AnalysisView):
    """Kaplan–Meier time to outflow per segment, outflow to work, return to benefit at 6/12/18 months."""

    compute = staticmethod(selectors.outflow_analysis)

    @extend_schema(summary="Uitstroom en duur: Kaplan–Meier per groep, uitstroom naar werk, terugkeer (alleen "
                           "totalen)", parameters=PARAMETERS, responses=OutflowAnalysisSerializer)
    def get(self, request):
        return super().get(request)
