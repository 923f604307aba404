"""The pilot API (RUNS_PILOTS): list and define pilots, read one, run its evaluation, list its evaluations. Aggregates
only; a pilot of another municipality is a 404; bad input a 400 problem with the field named."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.catalogue.models import Approach
from kansrijk.monitoring.selectors import municipality_for

from .. import analysis, selectors, services
from .serializers import EvaluationSerializer, PilotInputSerializer, PilotSerializer

RunsPilots = role_permission(roles.RUNS_PILOTS, "RunsPilots")


def _pilot(request, pk):
    pilot = selectors.pilot_for(request.user, pk)
    if pilot is None:
        from django.http import Http404

        raise Http404
    return pilot


class PilotListView(APIView):
    permission_classes = [RunsPilots]

    @extend_schema(summary="Pilots van uw gemeenten", responses=PilotSerializer(many=True))
    def get(self, request):
        return Response(PilotSerializer(selectors.pilots_for(request.user), many=True).data)

    @extend_schema(summary="Een pilot vastleggen (aanpak en periode; deelnemers volgen uit de regel)",
                   request=PilotInputSerializer, responses={201: PilotSerializer})
    def post(self, request):
        data = PilotInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        municipality = municipality_for(request.user, values.get("gemeente"))
        if municipality is None:
            raise ValidationError({"gemeente": ["U werkt niet voor deze gemeente."]})
        approach = Approach.objects.current().filter(slug=values["aanpak"]).first()
        if approach is None:
            raise ValidationError({"aanpak": ["Deze aanpak staat niet in de catalogus."]})
        try:
            pilot = services.create_pilot(municipality=municipality, by=request.user, approach=approach,
                                          name=values["name"], starts_on=values["starts_on"],
                                          ends_on=values["ends_on"], description=values["description"])
        except DjangoValidationError as error:
            raise ValidationError({("aanpak" if k == "approach" else k): v
                                   for k, v in error.message_dict.items()}) from error
        return Response(PilotSerializer(selectors.pilot_for(request.user, pilot.pk)).data,
                        status=status.HTTP_201_CREATED)


class PilotDetailView(APIView):
    permission_classes = [RunsPilots]

    @extend_schema(summary="Eén pilot", responses=PilotSerializer)
    def get(self, request, pk):
        return Response(PilotSerializer(_pilot(request, pk)).data)


class PilotEvaluateView(APIView):
    permission_classes = [RunsPilots]

    @extend_schema(summary="De pilot evalueren: gematchte vergelijkingsgroep, effecten met 95%-interval",
                   request=None, responses={201: EvaluationSerializer})
    def post(self, request, pk):
        pilot = _pilot(request, pk)
        try:
            evaluation = services.evaluate_pilot(pilot=pilot, by=request.user)
        except analysis.EvaluationError as error:
            raise ValidationError({"pilot": [str(error)]}) from error
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


class PilotEvaluationListView(APIView):
    permission_classes = [RunsPilots]

    @extend_schema(summary="Evaluaties van een pilot, nieuwste eerst", responses=EvaluationSerializer(many=True))
    def get(self, request, pk):
        pilot = _pilot(request, pk)
        return Response(EvaluationSerializer(pilot.evaluations.all(), many=True).data)
