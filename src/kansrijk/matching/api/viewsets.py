"""The matching API, nested under the client (``/api/v1/clients/{client_pk}/…``): the recommended approaches with
their reasons, and the client manager's decisions on them.

The client is looked up through ``client_detail`` (out of scope is a 404) and every read writes an access record.
Reading needs ``roles.SEES_RECOMMENDATIONS``; recording a decision ``roles.RECOMMENDS_APPROACHES``."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.audit.services import log_access
from kansrijk.catalogue.models import Approach
from kansrijk.diagnosis.api.viewsets import CLIENT_PARAMETER, ClientNestedViewSet, call

from .. import selectors, services
from ..models import RecommendationDecision
from .serializers import (
    RecommendationDecisionInputSerializer,
    RecommendationDecisionSerializer,
    RecommendationSerializer,
)

SeesRecommendations = role_permission(roles.SEES_RECOMMENDATIONS, "SeesRecommendations")
RecommendsApproaches = role_permission(roles.RECOMMENDS_APPROACHES, "RecommendsApproaches")


@extend_schema_view(
    list=extend_schema(summary="Aanbevolen aanpakken uit het lokale aanbod: eerst de mogelijke op volgorde, dan de "
                               "aanpakken die nu niet kunnen, elk met de redenen (legt een inzage vast)",
                       parameters=[CLIENT_PARAMETER], responses=RecommendationSerializer(many=True)),
)
class RecommendationViewSet(ClientNestedViewSet):
    """The whole ranking in one response: it is short and its order is the point, so it is not paged."""

    http_method_names = ["get", "head", "options"]
    read_permission = SeesRecommendations
    serializer_class = RecommendationSerializer
    pagination_class = None
    access_view = "api_aanbevelingen"

    def get_queryset(self):
        return RecommendationDecision.objects.none()  # the recommendations are computed, not stored

    def list(self, request, *args, **kwargs):
        client = self.get_client()
        result = selectors.recommendations_for(request.user, client)
        log_access(user=request.user, client=client, view=self.access_view)
        return Response(RecommendationSerializer(result.all, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Besluiten over aanbevolen aanpakken, nieuwste eerst (legt een inzage vast)",
                       parameters=[CLIENT_PARAMETER]),
    create=extend_schema(summary="Een besluit vastleggen: aanpak gekozen of niet gekozen (met reden); de "
                                 "aanbeveling zoals nu getoond wordt bewaard", parameters=[CLIENT_PARAMETER],
                         request=RecommendationDecisionInputSerializer,
                         responses={201: RecommendationDecisionSerializer}),
)
class RecommendationDecisionViewSet(ClientNestedViewSet):
    read_permission = SeesRecommendations
    write_permission = RecommendsApproaches
    serializer_class = RecommendationDecisionSerializer
    input_serializer = RecommendationDecisionInputSerializer
    access_view = "api_besluiten_aanbevelingen"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RecommendationDecision.objects.none()
        return selectors.decisions_of(self.get_client())

    def create(self, request, *args, **kwargs):
        client = self.get_client()
        data = self.parse()
        approach = Approach.objects.filter(Q(slug=data["approach"])).first()
        if approach is None:
            raise ValidationError({"approach": [f"Aanpak '{data['approach']}' bestaat niet."]})
        decision = call(services.record_decision, client=client, approach=approach, by=request.user,
                        decision=data["decision"], reason=data["reason"])
        return self.created(selectors.decisions_of(client).get(pk=decision.pk))
