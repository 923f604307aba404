"""The referral, trajectory and aftercare API. Records are looked up in the user's own scope
(``selectors.referrals_visible_to`` and friends): a provider's user reaches only the referrals to its own provider,
anything else is a 404. Every response that shows a client's referral or trajectory records the access."""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.audit.services import log_access, log_bulk_access
from kansrijk.caseload.selectors import client_detail, clients_for
from kansrijk.catalogue.models import Approach, LocalOffer
from kansrijk.core.ids import parse_id
from kansrijk.diagnosis.api.viewsets import call

from .. import selectors, services
from ..models import AftercareTask, Provider, Referral, Trajectory
from .delivery_serializers import (
    AcceptInputSerializer,
    AftercareDoneInputSerializer,
    AftercareTaskSerializer,
    DeclineInputSerializer,
    EndInputSerializer,
    PauseInputSerializer,
    PauseSerializer,
    ReferralInputSerializer,
    ReferralSerializer,
    ReferralWithdrawInputSerializer,
    ReportInputSerializer,
    ReportSerializer,
    ResumeInputSerializer,
    TrajectoryDetailSerializer,
    TrajectorySerializer,
)

SeesReferrals = role_permission(roles.SEES_REFERRALS, "SeesReferrals")
RefersClients = role_permission(roles.REFERS_CLIENTS, "RefersClients")
DeliversTrajectories = role_permission(roles.DELIVERS_TRAJECTORIES, "DeliversTrajectories")
RecordsProgress = role_permission(roles.RECORDS_TRAJECTORY_PROGRESS, "RecordsTrajectoryProgress")
FollowsAftercare = role_permission(roles.FOLLOWS_AFTERCARE, "FollowsAftercare")

CLIENT_FILTER = OpenApiParameter("client", OpenApiTypes.INT, description="Alleen die van deze cliënt (id).")


def _by_client(request, queryset: QuerySet) -> QuerySet:
    raw = request.query_params.get("client")
    if raw is None:
        return queryset
    client_id = parse_id(raw)
    if client_id is None:
        raise ValidationError({"client": ["Geef het id van een cliënt (een getal)."]})
    return queryset.filter(client_id=client_id)


def _log(request, clients, view: str) -> None:
    provider = request.user.has_role(roles.DELIVERS_TRAJECTORIES)
    log_bulk_access(user=request.user, clients={c.pk: c for c in clients}.values(), view=view,
                    outside=False if provider else None)


def _one(model, pk, field: str, message: str, queryset=None):
    found = (queryset if queryset is not None else model.objects).filter(pk=pk).first() if pk else None
    if pk and found is None:
        raise ValidationError({field: [message]})
    return found


@extend_schema_view(
    list=extend_schema(summary="Verwijzingen (een aanbieder ziet alleen die naar de eigen organisatie; legt inzage "
                               "vast)", parameters=[CLIENT_FILTER]),
    retrieve=extend_schema(summary="Eén verwijzing met de gedeelde gegevens"),
    create=extend_schema(summary="Een cliënt verwijzen naar een aanbieder (alleen de aangevinkte gegevens gaan mee)",
                         request=ReferralInputSerializer, responses={201: ReferralSerializer}),
)
class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    serializer_class = ReferralSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_permissions(self):
        if self.action in ("create", "withdraw"):
            return [RefersClients()]
        if self.action in ("accept", "decline"):
            return [DeliversTrajectories()]
        return [SeesReferrals()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        queryset = selectors.referral_list(selectors.referrals_visible_to(self.request.user))
        return _by_client(self.request, queryset) if self.action == "list" else queryset

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        _log(request, [referral.client for referral in page], "api_verwijzingen")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        referral = self.get_object()
        _log(request, [referral.client], "api_verwijzing")
        return Response(self.get_serializer(referral).data)

    def create(self, request, *args, **kwargs):
        payload = ReferralInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        client = client_detail(user=request.user, pk=data["client"])
        if client is None:
            raise ValidationError({"client": ["Deze cliënt bestaat niet of valt buiten uw caseload."]})
        approach = _one(Approach, data["approach"], "approach", "Deze aanpak bestaat niet.")
        provider = _one(Provider, data["provider"], "provider", "Deze aanbieder bestaat niet.")
        offer = _one(LocalOffer, data["local_offer"], "local_offer", "Dit lokale aanbod bestaat niet.")
        referral = call(services.refer, client=client, by=request.user, approach=approach, provider=provider,
                        local_offer=offer, question=data["question"], shared_items=data["shared_items"],
                        goal_ids=data["goals"], referred_on=data["referred_on"])
        log_access(user=request.user, client=client, view="api_verwijzing")
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data,
                        status=status.HTTP_201_CREATED)

    def _answered(self, referral):
        _log(self.request, [referral.client], "api_verwijzing")
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data)

    @extend_schema(summary="Accepteren: de verwijzing wordt een traject (aanbieder)", request=AcceptInputSerializer,
                   responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        referral = self.get_object()
        payload = AcceptInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call(services.accept_referral, referral=referral, by=request.user, **payload.validated_data)
        return self._answered(referral)

    @extend_schema(summary="Afwijzen met reden en advies: de terugmelding (aanbieder)",
                   request=DeclineInputSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        referral = self.get_object()
        payload = DeclineInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call(services.decline_referral, referral=referral, by=request.user, **payload.validated_data)
        return self._answered(referral)

    @extend_schema(summary="Een verwijzing zonder terugmelding intrekken (klantmanager)",
                   request=ReferralWithdrawInputSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        referral = self.get_object()
        payload = ReferralWithdrawInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call(services.withdraw_referral, referral=referral, by=request.user, **payload.validated_data)
        return self._answered(referral)


@extend_schema_view(
    list=extend_schema(summary="Trajecten (een aanbieder ziet alleen de eigen; legt inzage vast)",
                       parameters=[CLIENT_FILTER]),
    retrieve=extend_schema(summary="Eén traject met rapportages en pauzes"),
)
class TrajectoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = "[0-9]{1,18}"

    def get_permissions(self):
        if self.action in ("pause", "resume", "end") or (self.action == "reports" and self.request.method == "POST"):
            return [RecordsProgress()]
        return [SeesReferrals()]

    def get_serializer_class(self):
        return TrajectorySerializer if self.action == "list" else TrajectoryDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Trajectory.objects.none()
        visible = selectors.trajectories_visible_to(self.request.user)
        if self.action == "list":
            return _by_client(self.request, selectors.trajectory_list(visible))
        return selectors.trajectory_detail(visible)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        _log(request, [trajectory.client for trajectory in page], "api_trajecten")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _detail(self, trajectory, code=status.HTTP_200_OK):
        _log(self.request, [trajectory.client], "api_traject")
        fresh = selectors.trajectory_detail(Trajectory.objects.all()).get(pk=trajectory.pk)
        context = {"goal_ids": selectors.readable_goal_ids(self.request.user, fresh)}
        return Response(TrajectoryDetailSerializer(fresh, context=context).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(methods=["GET"], summary="Rapportages van het traject, nieuwste eerst",
                   responses=ReportSerializer(many=True))
    @extend_schema(methods=["POST"], summary="Een rapportage in het standaardformulier (intake, start, aanwezigheid, "
                                             "voortgang)", request=ReportInputSerializer,
                   responses={201: TrajectoryDetailSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def reports(self, request, *args, **kwargs):
        trajectory = self.get_object()
        if request.method == "GET":
            _log(request, [trajectory.client], "api_traject")
            return Response(ReportSerializer(trajectory.reports.all(), many=True, context={
                "goal_ids": selectors.readable_goal_ids(request.user, trajectory)}).data)
        payload = ReportInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data["goals"] = [services.GoalProgressInput(**goal) for goal in data["goals"]]
        call(services.record_report, trajectory=trajectory, by=request.user, report=services.ReportInput(**data))
        return self._detail(trajectory, status.HTTP_201_CREATED)

    @extend_schema(summary="Pauzeren (bijvoorbeeld een ziekenhuisopname)", request=PauseInputSerializer,
                   responses={201: PauseSerializer})
    @action(detail=True, methods=["post"])
    def pause(self, request, *args, **kwargs):
        trajectory = self.get_object()
        payload = PauseInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        pause = call(services.pause_trajectory, trajectory=trajectory, by=request.user, **payload.validated_data)
        _log(request, [trajectory.client], "api_traject")
        return Response(PauseSerializer(pause).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="De lopende pauze beëindigen", request=ResumeInputSerializer,
                   responses=TrajectoryDetailSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, *args, **kwargs):
        trajectory = self.get_object()
        payload = ResumeInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call(services.resume_trajectory, trajectory=trajectory, by=request.user, **payload.validated_data)
        return self._detail(trajectory)

    @extend_schema(summary="Beëindigen met reden en resultaat (uitval met een eigen reden)",
                   request=EndInputSerializer, responses=TrajectoryDetailSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, *args, **kwargs):
        trajectory = self.get_object()
        payload = EndInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call(services.end_trajectory, trajectory=trajectory, by=request.user, **payload.validated_data)
        return self._detail(trajectory)


@extend_schema_view(list=extend_schema(
    summary="Nazorgtaken van cliënten in de eigen caseload",
    parameters=[CLIENT_FILTER, OpenApiParameter("open", OpenApiTypes.BOOL, description="Alleen nog niet gedane.")]))
class AftercareTaskViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AftercareTaskSerializer
    permission_classes = [FollowsAftercare]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AftercareTask.objects.none()
        queryset = (AftercareTask.objects.filter(client__in=clients_for(self.request.user))
                    .select_related("client", "done_by").order_by("due_on", "id"))
        if self.action == "list":
            queryset = _by_client(self.request, queryset)
            if self.request.query_params.get("open") in ("true", "1"):
                queryset = queryset.filter(done_on__isnull=True)
        return queryset

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        _log(request, [task.client for task in page], "api_nazorg")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="Het nazorgcontact vastleggen", request=AftercareDoneInputSerializer,
                   responses=AftercareTaskSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, *args, **kwargs):
        task = self.get_object()
        payload = AftercareDoneInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call(services.complete_aftercare, task=task, by=request.user, **payload.validated_data)
        _log(request, [task.client], "api_nazorg")
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)
