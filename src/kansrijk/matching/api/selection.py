"""The candidate selection API (issue 5): a preview of the stepped selection (counts and the ranked shortlist with
reasons), recording a selection with the decisions per client, the selections and invitations, and the status of an
invitation. Every response that names clients writes an access record per client; errors are problem details."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.audit.services import log_bulk_access_by_ids
from kansrijk.caseload.selectors import clients_for
from kansrijk.catalogue.models import Approach
from kansrijk.core.api import IdField
from kansrijk.diagnosis.api.viewsets import call

from .. import selection, selection_services
from ..models import CandidateInvitation, CandidateSelection, InvitationStatus
from ..selection import DEFAULT_LIMIT, MAX_LIMIT, SelectionCriteria
from .serializers import RecommendationReasonSerializer

SelectsCandidates = role_permission(roles.SELECTS_CANDIDATES, "SelectsCandidates")


class SelectionInputSerializer(serializers.Serializer):
    approach = serializers.SlugField(help_text="Sleutel van de aanpak (uit het lokale aanbod van de gemeente).")
    gemeente = serializers.RegexField(r"^\d{4}$", required=False,
                                      help_text="CBS-gemeentecode; standaard de eerste gemeente van de gebruiker.")
    team = IdField(required=False, allow_null=True, help_text="Alleen voor een teamleider: één van de eigen teams.")
    min_benefit_years = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=50)
    segment = IdField(required=False, allow_null=True, help_text="Id van een klantgroep van de gemeente.")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT,
                                     help_text="Lengte van de getoonde shortlist.")


class ExcludeSerializer(serializers.Serializer):
    client = IdField()
    reason = serializers.CharField(allow_blank=True, max_length=1000)


class SelectionCreateSerializer(SelectionInputSerializer):
    invite = serializers.ListField(child=IdField(), required=False, default=list,
                                   help_text="Ids van cliënten op de shortlist die worden uitgenodigd.")
    exclude = ExcludeSerializer(many=True, required=False, default=list,
                                help_text="Cliënten op de shortlist die niet worden uitgenodigd, met de reden.")


class ShortlistedSerializer(serializers.Serializer):
    client = serializers.IntegerField(source="client_id")
    client_number = serializers.CharField(source="client.client_number")
    name = serializers.CharField(source="client.display_name")
    rank = serializers.IntegerField()
    score = serializers.IntegerField()
    reasons = RecommendationReasonSerializer(source="recommendation.reasons", many=True)
    to_ask = RecommendationReasonSerializer(source="recommendation.to_ask", many=True,
                                            help_text="Onbekende gegevens die in het gesprek nagevraagd worden.")


class CountsSerializer(serializers.Serializer):
    caseload = serializers.IntegerField(help_text="Cliënten met een lopende uitkering in de caseload.")
    filtered = serializers.IntegerField(help_text="Na de filters.")
    meets_criteria = serializers.IntegerField(help_text="Voldoen aan de toelatingscriteria (of nog onbekend).")
    shortlist = serializers.IntegerField(help_text="Getoond op de shortlist.")


class PreviewSerializer(serializers.Serializer):
    approach = serializers.CharField(source="candidate.slug")
    counts = CountsSerializer()
    offer_unmet = RecommendationReasonSerializer(many=True, help_text="Wat het aanbod zelf nu niet toelaat.")
    shortlist = ShortlistedSerializer(many=True)


class InvitationSerializer(serializers.ModelSerializer):
    client_number = serializers.CharField(source="client.client_number", read_only=True)
    name = serializers.CharField(source="client.display_name", read_only=True)
    approach = serializers.SlugRelatedField(source="selection.approach", slug_field="slug", read_only=True)
    client_manager = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField(allow_null=True)
    invited_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = CandidateInvitation
        fields = ["id", "selection", "approach", "client", "client_number", "name", "client_manager", "status",
                  "reason", "rank", "score", "explanation", "invited_by", "invited_at", "decided_by", "decided_at"]


class SelectionSerializer(serializers.ModelSerializer):
    approach = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    gemeente = serializers.CharField(source="municipality.cbs_code", read_only=True)
    created_by = serializers.StringRelatedField()

    class Meta:
        model = CandidateSelection
        fields = ["id", "approach", "gemeente", "created_by", "created_at", "criteria", "counts"]


class SelectionDetailSerializer(SelectionSerializer):
    invitations = InvitationSerializer(many=True, read_only=True, source="visible_invitations")

    class Meta(SelectionSerializer.Meta):
        fields = [*SelectionSerializer.Meta.fields, "invitations"]


class InvitationStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=InvitationStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000,
                                   help_text="Verplicht bij afgezien.")


def _criteria(request, data) -> SelectionCriteria:
    municipalities = request.user.municipalities.order_by("cbs_code")
    code = data.get("gemeente")
    municipality = municipalities.filter(cbs_code=code).first() if code else municipalities.first()
    if municipality is None:
        raise ValidationError({"gemeente": [f"U werkt niet voor gemeente {code}." if code else
                                            "U bent aan geen gemeente gekoppeld."]})
    approach = Approach.objects.filter(slug=data["approach"]).first()
    if approach is None:
        raise ValidationError({"approach": [f"Aanpak '{data['approach']}' bestaat niet."]})
    return SelectionCriteria(municipality_id=municipality.pk, approach_id=approach.pk, team_id=data.get("team"),
                             min_benefit_years=data.get("min_benefit_years"), segment_id=data.get("segment"),
                             limit=data.get("limit") or DEFAULT_LIMIT)


@extend_schema_view(
    list=extend_schema(summary="Kandidatenselecties die u maakte of waarin uw cliënten staan, nieuwste eerst"),
    retrieve=extend_schema(summary="Een selectie met de aantallen per stap en de uitnodigingen van uw cliënten "
                                   "(legt een inzage vast)", responses=SelectionDetailSerializer),
    create=extend_schema(summary="Een selectie vastleggen: uitnodigen, niet uitnodigen (met reden) of later beslissen; "
                                 "de shortlist wordt opnieuw berekend", request=SelectionCreateSerializer,
                         responses={201: SelectionDetailSerializer}),
)
class CandidateSelectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                                viewsets.GenericViewSet):
    permission_classes = [SelectsCandidates]
    serializer_class = SelectionSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CandidateSelection.objects.none()
        return selection.selections_for(self.request.user)

    def _detail(self, chosen, status_code=status.HTTP_200_OK):
        chosen.visible_invitations = list(selection.invitations_of(chosen, self.request.user))
        log_bulk_access_by_ids(user=self.request.user, client_ids=[i.client_id for i in chosen.visible_invitations],
                               view="api_kandidatenselectie")
        return Response(SelectionDetailSerializer(chosen).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def create(self, request, *args, **kwargs):
        payload = SelectionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        exclude = {row["client"]: row["reason"] for row in data["exclude"]}
        created = call(selection_services.create_selection, by=request.user, criteria=_criteria(request, data),
                       invite=data["invite"], exclude=exclude)
        return self._detail(self.get_queryset().get(pk=created.pk), status.HTTP_201_CREATED)

    @extend_schema(summary="Voorvertoning: de aantallen per stap en de shortlist op volgorde met de redenen en wat "
                           "nog na te vragen is (legt per getoonde cliënt een inzage vast)",
                   request=SelectionInputSerializer, responses=PreviewSerializer)
    @action(detail=False, methods=["post"])
    def preview(self, request):
        payload = SelectionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = call(selection.select_candidates, request.user, _criteria(request, payload.validated_data))
        log_bulk_access_by_ids(user=request.user, client_ids=result.shown_ids, view="api_kandidatenselectie")
        return Response(PreviewSerializer(result).data)


@extend_schema_view(
    list=extend_schema(summary="Uitnodigingen voor aanpakken van uw cliënten (teamleider: van uw teams), nieuwste "
                               "selectie eerst (legt een inzage vast)"),
)
class CandidateInvitationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [SelectsCandidates]
    serializer_class = InvitationSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CandidateInvitation.objects.none()
        wanted = self.request.query_params.get("status", "")
        return selection.invitations_for(self.request.user, status=wanted if wanted in InvitationStatus.values
                                         else "")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        log_bulk_access_by_ids(user=request.user, client_ids=[i.client_id for i in page], view="api_uitnodigingen")
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)

    @extend_schema(summary="De status van een uitnodiging wijzigen: uitgenodigd, aangemeld of afgezien (met reden)",
                   request=InvitationStatusSerializer, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        invitation = get_object_or_404(CandidateInvitation.objects.filter(
            client__in=clients_for(request.user)).select_related("client", "selection"), pk=pk)
        if not selection_services.may_update_in_scope(request.user, invitation):
            raise PermissionDenied
        payload = InvitationStatusSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call(selection_services.update_invitation, invitation=invitation, by=request.user,
             status=payload.validated_data["status"], reason=payload.validated_data["reason"])
        return Response(InvitationSerializer(selection.invitations_for(request.user).get(pk=invitation.pk)).data)
