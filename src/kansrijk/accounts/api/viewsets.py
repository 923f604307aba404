from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Team
from .serializers import MeSerializer, TeamSerializer


class MeView(APIView):
    @extend_schema(summary="De ingelogde gebruiker: rol, gemeenten en teams", responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


@extend_schema_view(list=extend_schema(summary="Teams in de eigen gemeenten"),
                    retrieve=extend_schema(summary="Eén team"))
class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Team.objects.none()
        return Team.objects.filter(municipality__in=self.request.user.municipalities.all()).select_related(
            "municipality")
