"""The diagnosis API: a client's ladder, ZRM, intakes and distance to the labour market, nested under the client
(``/api/v1/clients/{client_pk}/…``), and the steps a professional chooses from.

Every client is looked up through ``caseload.selectors.client_detail`` (the scoping of ``clients_for``): a client
outside the user's scope is a 404. Reading the diagnosis is reading personal data, so every response that shows it
writes an access record. The services check role and scope themselves; their Django errors become problem details.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.audit.services import log_access
from kansrijk.caseload.selectors import client_detail
from kansrijk.core.api import SingleObjectSchema

from .. import selectors, services
from ..instruments import ZRM_DOMAINS
from ..models import DistanceJudgement, Intake, LadderMeasurement, LadderStep, ZrmMeasurement
from .serializers import (
    INTAKE_VALUE_FIELDS,
    DistanceInputSerializer,
    DistanceJudgementSerializer,
    DistanceSerializer,
    IntakeInputSerializer,
    IntakeSerializer,
    LadderInputSerializer,
    LadderMeasurementSerializer,
    LadderStepSerializer,
    ZrmInputSerializer,
    ZrmMeasurementSerializer,
)

SeesTeamClients = role_permission(roles.SEES_TEAM_CLIENTS, "SeesTeamClients")
RecordsDiagnosis = role_permission(roles.RECORDS_DIAGNOSIS, "RecordsDiagnosis")
JudgesDistance = role_permission(roles.JUDGES_DISTANCE, "JudgesDistance")
ChoosesSteps = role_permission(roles.SEES_TEAM_CLIENTS | roles.ADMINISTERS, "ChoosesSteps")

CLIENT_PARAMETER = OpenApiParameter("client_pk", OpenApiTypes.INT, OpenApiParameter.PATH,
                                    description="Id van de cliënt (zoals in /api/v1/clients/{id}/).")


def call(service, *args, **kwargs):
    """Run a service; its Django PermissionDenied / ValidationError become DRF's (problem details)."""
    try:
        return service(*args, **kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied from exc
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}) from exc


class ClientNestedViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """A list and a create under one client in the user's scope. ``access_view`` names the access record."""

    read_permission = SeesTeamClients
    write_permission = RecordsDiagnosis
    access_view = ""
    input_serializer = None

    def get_permissions(self):
        return [self.write_permission() if self.request.method == "POST" else self.read_permission()]

    def get_client(self):
        if not hasattr(self, "_client"):
            client = client_detail(user=self.request.user, pk=self.kwargs["client_pk"])
            if client is None:
                raise NotFound("Deze cliënt bestaat niet of valt buiten uw caseload.")
            self._client = client
        return self._client

    def list(self, request, *args, **kwargs):
        client = self.get_client()
        response = super().list(request, *args, **kwargs)
        log_access(user=request.user, client=client, view=self.access_view)
        return response

    def parse(self):
        payload = self.input_serializer(data=self.request.data)
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    def correction(self, model, pk):
        """The record a new one corrects, of this client; unknown ids are an input error, not a 404."""
        if pk is None:
            return None
        record = model.objects.filter(client=self.get_client(), pk=pk).first()
        if record is None:
            raise ValidationError({"corrects": ["U kunt alleen een meting van deze cliënt corrigeren."]})
        return record

    def created(self, instance):
        log_access(user=self.request.user, client=self.get_client(), view=self.access_view)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Tredemetingen van een cliënt (alle versies, nieuwste eerst; legt een inzage vast)",
                       parameters=[CLIENT_PARAMETER]),
    create=extend_schema(summary="Trede of substappen vastleggen (de hoogste telt; afwijken van het voorstel met "
                                 "reden)", parameters=[CLIENT_PARAMETER], request=LadderInputSerializer,
                         responses={201: LadderMeasurementSerializer}),
)
class LadderViewSet(ClientNestedViewSet):
    serializer_class = LadderMeasurementSerializer
    input_serializer = LadderInputSerializer
    access_view = "api_trede"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LadderMeasurement.objects.none()
        return selectors.ladder_versions(self.get_client())

    def create(self, request, *args, **kwargs):
        client = self.get_client()
        data = self.parse()
        steps = services.steps_for(client.municipality_id)
        by_code = {step.code: step.pk for step in steps}
        unknown = [code for code in data["steps"] if code not in by_code]
        if unknown:
            raise ValidationError({"steps": [f"Onbekende trede of substap '{code}' voor deze gemeente."
                                             for code in unknown]})
        step_ids = [by_code[code] for code in data["steps"]] + list(data["step_ids"])
        measurement = call(services.record_ladder, client=client, by=request.user,
                           measured_on=data.get("measured_on") or timezone.localdate(), step_ids=step_ids,
                           answers=data["answers"], override_reason=data["override_reason"], note=data["note"],
                           corrects=self.correction(LadderMeasurement, data["corrects"]))
        return self.created(selectors.ladder_versions(client).get(pk=measurement.pk))


@extend_schema_view(
    list=extend_schema(summary="Zelfredzaamheidsmatrices van een cliënt (gezondheid en middelengebruik alleen voor "
                               "rollen die die mogen zien; legt een inzage vast)", parameters=[CLIENT_PARAMETER]),
    create=extend_schema(summary="Een ZRM vastleggen (alle domeinen, hele niveaus 1–5, versie verplicht)",
                         parameters=[CLIENT_PARAMETER], request=ZrmInputSerializer,
                         responses={201: ZrmMeasurementSerializer}),
)
class ZrmViewSet(ClientNestedViewSet):
    serializer_class = ZrmMeasurementSerializer
    input_serializer = ZrmInputSerializer
    access_view = "api_zrm"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ZrmMeasurement.objects.none()
        return selectors.zrm_versions(self.get_client())

    def create(self, request, *args, **kwargs):
        client = self.get_client()
        data = self.parse()
        # A ZRM is complete only with every domain; a role that may not see some domains cannot record one.
        if len(selectors.visible_zrm_domains(request.user, data["version"])) < len(ZRM_DOMAINS[data["version"]]):
            raise PermissionDenied("Uw rol ziet niet alle domeinen van de ZRM en kan er daarom geen vastleggen.")
        try:
            measurement = call(services.record_zrm, client=client, by=request.user,
                               measured_on=data.get("measured_on") or timezone.localdate(), version=data["version"],
                               levels=data["levels"], note=data["note"],
                               corrects=self.correction(ZrmMeasurement, data["corrects"]))
        except ValidationError as exc:
            # The service names the domains; the API names them as fields of ``levels``.
            own = {"version", "measured_on", "corrects", "detail"}
            raise ValidationError({(key if key in own else f"levels.{key}"): value
                                   for key, value in exc.detail.items()}) from exc
        return self.created(selectors.zrm_versions(client).get(pk=measurement.pk))


@extend_schema_view(
    list=extend_schema(summary="Keukentafelgesprekken van een cliënt (bijzondere categorieën alleen voor rollen die "
                               "die mogen zien; legt een inzage vast)", parameters=[CLIENT_PARAMETER]),
    create=extend_schema(summary="Een keukentafelgesprek vastleggen", parameters=[CLIENT_PARAMETER],
                         request=IntakeInputSerializer, responses={201: IntakeSerializer}),
)
class IntakeViewSet(ClientNestedViewSet):
    serializer_class = IntakeSerializer
    input_serializer = IntakeInputSerializer
    access_view = "api_keukentafelgesprek"

    def sees_special(self) -> bool:
        return self.request.user.has_role(roles.SEES_HEALTH | roles.SEES_ADDICTION)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Intake.objects.none()
        return selectors.intake_versions(self.get_client(), special=self.sees_special())

    def create(self, request, *args, **kwargs):
        client = self.get_client()
        data = self.parse()
        values = {name: data[name] for name in INTAKE_VALUE_FIELDS if name in data}
        intake = call(services.record_intake, client=client, by=request.user,
                      measured_on=data.get("measured_on") or timezone.localdate(), values=values,
                      special=dict(data.get("special_categories") or {}),
                      corrects=self.correction(Intake, data["corrects"]))
        return self.created(selectors.intake_versions(client, special=self.sees_special()).get(pk=intake.pk))


@extend_schema_view(
    list=extend_schema(summary="Afstand tot de arbeidsmarkt: afgeleide indicatie met redenen en het oordeel van de "
                               "professional (een hulpmiddel bij de diagnose, geen risicoscore)",
                       parameters=[CLIENT_PARAMETER], responses=DistanceSerializer,
                       operation_id="clients_distance_list"),
    create=extend_schema(summary="De afstand tot de arbeidsmarkt zelf beoordelen, met reden (klantmanager)",
                         parameters=[CLIENT_PARAMETER], request=DistanceInputSerializer,
                         responses={201: DistanceJudgementSerializer}),
)
class DistanceViewSet(ClientNestedViewSet):
    schema = SingleObjectSchema()
    write_permission = JudgesDistance
    serializer_class = DistanceSerializer
    input_serializer = DistanceInputSerializer
    access_view = "api_afstand"
    pagination_class = None

    def get_queryset(self):
        return DistanceJudgement.objects.none()

    def list(self, request, *args, **kwargs):
        client = self.get_client()
        indicator = selectors.distance_indicator(client)
        log_access(user=request.user, client=client, view=self.access_view)
        return Response(DistanceSerializer(indicator).data)

    def create(self, request, *args, **kwargs):
        client = self.get_client()
        data = self.parse()
        derived = selectors.distance_indicator(client).derived
        judgement = call(services.judge_distance, client=client, by=request.user, distance=data["distance"],
                         reason=data["reason"], derived=derived or "")
        log_access(user=request.user, client=client, view=self.access_view)
        return Response(DistanceJudgementSerializer(judgement).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(
    summary="De treden en substappen waaruit een professional van de gemeente kiest",
    parameters=[OpenApiParameter("gemeente", OpenApiTypes.STR, description="CBS-code; standaard de eigen gemeente.")]))
class LadderStepViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """VNG's six steps, with the municipality's own sub-steps in place of a step where it has them."""

    permission_classes = [ChoosesSteps]
    serializer_class = LadderStepSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LadderStep.objects.none()
        code = self.request.query_params.get("gemeente")
        municipalities = self.request.user.municipalities.order_by("cbs_code")
        municipality = municipalities.filter(cbs_code=code).first() if code else municipalities.first()
        if municipality is None:
            raise ValidationError({"gemeente": [f"U werkt niet voor gemeente {code}." if code else
                                                "U bent aan geen gemeente gekoppeld."]})
        return services.steps_for(municipality.pk)
