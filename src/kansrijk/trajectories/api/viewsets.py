"""The plan van aanpak API, nested under the client: every version with its contents, a new version, the client's
agreement, and the PDF. Reading a plan is reading personal data: every response that shows one records the access."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.audit.services import log_access
from kansrijk.diagnosis.api.viewsets import CLIENT_PARAMETER, ClientNestedViewSet, call

from .. import selectors, services
from ..models import Plan
from ..pdf import render_plan
from .serializers import AgreementInputSerializer, PlanConflictSerializer, PlanInputSerializer, PlanSerializer


class PlanConflictError(APIException):
    """A stale edit or agreement: 409 problem details naming the current version, so the client can fetch it,
    merge and send again with ``based_on_version`` set to it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "plan_conflict"
    default_detail = "Het plan van aanpak is intussen gewijzigd."

    def __init__(self, conflict: services.PlanConflict):
        latest = conflict.latest
        super().__init__(f"Het plan van aanpak is intussen gewijzigd door {latest.created_by} (versie "
                         f"{latest.version}). Er is niets opgeslagen. Haal versie {latest.version} op, neem de "
                         f"wijzigingen over en stuur opnieuw met based_on_version={latest.version}.")
        self.problem_members = {"basedOnVersion": conflict.based_on_version, "currentVersion": latest.version,
                                "currentId": latest.pk, "changedBy": str(latest.created_by),
                                "changedAt": latest.created_at.isoformat()}


SeesPlans = role_permission(roles.SEES_PLANS, "SeesPlans")
MakesPlans = role_permission(roles.MAKES_PLANS, "MakesPlans")


@extend_schema_view(
    list=extend_schema(summary="Alle versies van het plan van aanpak, nieuwste eerst (legt een inzage vast)",
                       parameters=[CLIENT_PARAMETER]),
    retrieve=extend_schema(summary="Eén versie van het plan van aanpak", parameters=[CLIENT_PARAMETER]),
    create=extend_schema(
        summary="Een nieuwe versie van het plan opslaan (doelen, acties, afspraken)",
        description="Optimistische vergrendeling: ``based_on_version`` is verplicht en noemt de versie waarop de "
                    "wijziging is gebaseerd (null voor het eerste plan). Is dat niet meer de nieuwste versie, dan "
                    "wordt niets opgeslagen: 409 Conflict met de nieuwste versie in ``currentVersion``. Haal die op, "
                    "neem de wijzigingen over en stuur opnieuw. Ontbreekt ``based_on_version``, of noemt het een "
                    "versie die niet bestaat: 400 met een fout bij dat veld.",
        parameters=[CLIENT_PARAMETER], request=PlanInputSerializer,
        responses={201: PlanSerializer, 409: OpenApiResponse(PlanConflictSerializer,
                                                             description="Er is intussen een nieuwere versie.")}),
)
class PlanViewSet(ClientNestedViewSet):
    """The client's plan van aanpak: every version with its goals, actions and agreements. Only the client manager
    writes; saving is always a new version."""

    read_permission = SeesPlans
    write_permission = MakesPlans
    serializer_class = PlanSerializer
    input_serializer = PlanInputSerializer
    access_view = "api_plan"
    lookup_value_regex = "[0-9]{1,18}"

    def get_permissions(self):
        if self.action in ("agreement",):
            return [MakesPlans()]
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Plan.objects.none()
        return selectors.plan_versions(self.get_client())

    def retrieve(self, request, *args, **kwargs):
        plan = self.get_object()
        log_access(user=request.user, client=self.get_client(), view=self.access_view)
        return Response(self.get_serializer(plan).data)

    def create(self, request, *args, **kwargs):
        client = self.get_client()
        data = self.parse()
        plan_input = services.PlanInput(
            situation=data["situation"], ambition=data["ambition"],
            goals=[services.GoalInput(**goal) for goal in data["goals"]],
            actions=[services.ActionInput(**item) for item in data["actions"]],
            agreements=data["agreements"])
        try:
            saved = call(services.save_plan, client=client, by=request.user, plan=plan_input,
                         based_on_version=data["based_on_version"])
        except services.PlanConflict as conflict:
            raise PlanConflictError(conflict) from conflict
        return self.created(selectors.plan_versions(client).get(pk=saved.pk))

    @extend_schema(summary="Het akkoord van de cliënt vastleggen (datum en hoe)", parameters=[CLIENT_PARAMETER],
                   description="Alleen op de nieuwste versie: is er intussen een nieuwere opgeslagen, dan 409 "
                               "Conflict (de cliënt zou akkoord gaan met een verouderd plan).",
                   request=AgreementInputSerializer,
                   responses={200: PlanSerializer, 409: OpenApiResponse(PlanConflictSerializer,
                                                                        description="Er is een nieuwere versie.")})
    @action(detail=True, methods=["post"])
    def agreement(self, request, *args, **kwargs):
        plan = self.get_object()
        payload = AgreementInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            call(services.record_agreement, plan=plan, by=request.user, **payload.validated_data)
        except services.PlanConflict as conflict:
            raise PlanConflictError(conflict) from conflict
        log_access(user=request.user, client=self.get_client(), view=self.access_view)
        return Response(self.get_serializer(self.get_queryset().get(pk=plan.pk)).data)

    @extend_schema(summary="De versie als PDF voor de cliënt", parameters=[CLIENT_PARAMETER],
                   responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def pdf(self, request, *args, **kwargs):
        plan = self.get_object()
        log_access(user=request.user, client=self.get_client(), view="api_plan_pdf")
        response = HttpResponse(render_plan(plan), content_type="application/pdf", status=status.HTTP_200_OK)
        response["Content-Disposition"] = f'inline; filename="plan-van-aanpak-v{plan.version}.pdf"'
        return response
