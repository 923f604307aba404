from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.accounts.scoping import visible_municipality_ids
from kansrijk.core.ids import parse_id

from .. import selectors
from ..models import AccessLog
from .serializers import AccessLogSerializer, UnusualAccessSerializer

Administers = role_permission(roles.ADMINISTERS, "Administers")


@extend_schema_view(list=extend_schema(
    summary="Inzagelog: wie heeft welke cliënt bekeken",
    parameters=[OpenApiParameter("client_number", OpenApiTypes.STR), OpenApiParameter("user", OpenApiTypes.STR)]))
class AccessLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [Administers]
    serializer_class = AccessLogSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AccessLog.objects.none()
        qs = selectors.access_log(municipality_ids=visible_municipality_ids(self.request.user))
        if number := self.request.query_params.get("client_number"):
            qs = qs.filter(client_number=number)
        if username := self.request.query_params.get("user"):
            qs = qs.filter(user__username=username)
        return qs

    @extend_schema(summary="Gebruikers die opvallend veel cliënten buiten hun caseload bekijken",
                   parameters=[OpenApiParameter("days", OpenApiTypes.INT)],
                   responses=UnusualAccessSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def unusual(self, request):
        days = parse_id(request.query_params.get("days", "30")) or 30
        if days > selectors.MAX_REPORT_DAYS:  # a larger number of days once overflowed the date arithmetic (500)
            raise ValidationError({"days": [f"Kies hoogstens {selectors.MAX_REPORT_DAYS} dagen."]})
        rows = selectors.unusual_access(municipality_ids=visible_municipality_ids(request.user), days=days)
        return Response(UnusualAccessSerializer(rows, many=True).data)
