"""The fairness report (SEES_AGGREGATES; origin only for SEES_ORIGIN_AGGREGATES) and the region view (SEES_REGIONS,
own regions only) as aggregates. Bad input is a 400 problem with the field named; a region that is not the user's
is a 404."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission

from .. import fairness_selectors, region, selectors
from ..analysis import SUPPRESS_BELOW
from ..forms import check_peildatum
from ..forms_fairness import check_period, default_period
from .serializers_fairness import (
    FairnessParamsSerializer,
    FairnessSerializer,
    RegionParamsSerializer,
    RegionSerializer,
)

SeesAggregates = role_permission(roles.SEES_AGGREGATES, "SeesAggregates")
SeesRegions = role_permission(roles.SEES_REGIONS, "SeesRegions")


class FairnessView(APIView):
    """Recommendation, invitation, proposal, referral, work-result and placement rates by sex, age class and (for
    policy analysts) origin, with the four-fifths ratio, the difference with its 95% interval and the words."""

    permission_classes = [SeesAggregates]

    @extend_schema(summary="Eerlijkheid: uitkomsten per groep met verschilmaten (alleen totalen)", parameters=[
        OpenApiParameter("van", OpenApiTypes.DATE, description="Begin van de periode (jjjj-mm-dd)."),
        OpenApiParameter("tot", OpenApiTypes.DATE, description="Einde van de periode, tot en met (jjjj-mm-dd)."),
        OpenApiParameter("gemeente", OpenApiTypes.STR, description="CBS-code van een van uw gemeenten."),
    ], responses=FairnessSerializer)
    def get(self, request):
        params = FairnessParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, end = default_period(params.validated_data.get("van"), params.validated_data.get("tot"))
        problems = check_period(start, end)
        if problems:
            raise ValidationError({name: [problem] for name, problem in problems.items()})
        code = params.validated_data.get("gemeente")
        municipality = selectors.municipality_for(request.user, code)
        if municipality is None:
            raise ValidationError({"gemeente": [f"U werkt niet voor gemeente {code}." if code else
                                                "U bent aan geen gemeente gekoppeld."]})
        result = fairness_selectors.fairness_for(municipality.pk, start, end,
                                                 with_origin=request.user.has_role(roles.SEES_ORIGIN_AGGREGATES))
        return Response({"gemeente": municipality.cbs_code, "onderdrukt_onder": SUPPRESS_BELOW, **result})


class RegionView(APIView):
    """A labour-market region: per municipality and for the region, inflow and still active, outflow to work and
    return to benefit."""

    permission_classes = [SeesRegions]

    @extend_schema(summary="Arbeidsmarktregio: cijfers per gemeente en voor de regio (alleen totalen)", parameters=[
        OpenApiParameter("regio", OpenApiTypes.STR, description="Code van een van uw regio's."),
        OpenApiParameter("peildatum", OpenApiTypes.DATE, description="Peildatum (jjjj-mm-dd); standaard vandaag."),
    ], responses=RegionSerializer)
    def get(self, request):
        params = RegionParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        peildatum = params.validated_data.get("peildatum") or timezone.localdate()
        problem = check_peildatum(peildatum)
        if problem:
            raise ValidationError({"peildatum": [problem]})
        code = params.validated_data.get("regio")
        chosen = region.region_for(request.user, code)
        if chosen is None:
            if code:
                raise Http404
            raise ValidationError({"regio": ["U bent aan geen arbeidsmarktregio gekoppeld."]})
        result = region.region_analysis(chosen, peildatum)
        return Response({"peildatum": peildatum.isoformat(), "onderdrukt_onder": SUPPRESS_BELOW, **result})
