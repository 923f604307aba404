"""The plan van aanpak API, nested under the client: every version with its contents, a new version, the client's
agreement, and the PDF. Reading a plan is reading personal data: every response that shows one records the access."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.audit.services import log_access
from kansrijk.diagnosis.api.viewsets import CLIENT_PARAMETER, ClientNestedViewSet, call

from .. import selectors, services
from ..models import Plan
from ..pdf import render_plan
from .serializers import AgreementInputSerializer, PlanInputSerializer, PlanSerializer

SeesPlans = role_permission(roles.SEES_PLANS, "SeesPlans")
MakesPlans = role_permission(roles.MAKES_PLANS, "MakesPlans")


@extend_schema_view(
    list=extend_schema(summary="Alle versies van het plan van aanpak, nieuwste eerst (legt een inzage vast)",
                       parameters=[CLIENT_PARAMETER]),
    retrieve=extend_schema(summary="Eén versie van het plan van aanpak", parameters=[CLIENT_PARAMETER]),
    create=extend_schema(summary="Een nieuwe versie van het plan opslaan (doelen, acties, afspraken)",
                         parameters=[CLIENT_PARAMETER], request=PlanInputSerializer,
                         responses={201: PlanSerializer}),
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
        previous = None
        if data["previous"] is not None:
            previous = selectors.plan_versions(client).filter(pk=data["previous"]).first()
            if previous is None:
                raise ValidationError({"previous": ["Deze versie hoort niet bij deze cliënt."]})
        plan_input = services.PlanInput(
            situation=data["situation"], ambition=data["ambition"],
            goals=[services.GoalInput(**goal) for goal in data["goals"]],
            actions=[services.ActionInput(**item) for item in data["actions"]],
            agreements=data["agreements"])
        saved = call(services.save_plan, client=client, by=request.user, plan=plan_input, previous=previous)
        return self.created(selectors.plan_versions(client).get(pk=saved.pk))

    @extend_schema(summary="Het akkoord van de cliënt vastleggen (datum en hoe)", parameters=[CLIENT_PARAMETER],
                   request=AgreementInputSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def agreement(self, request, *args, **kwargs):
        plan = self.get_object()
        payload = AgreementInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call(services.record_agreement, plan=plan, by=request.user, **payload.validated_data)
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
