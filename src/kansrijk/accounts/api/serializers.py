from rest_framework import serializers

from ..models import Municipality, Team, User


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["cbs_code", "name"]


class TeamSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "municipality"]


class MeSerializer(serializers.ModelSerializer):
    municipalities = MunicipalitySerializer(many=True)
    teams = TeamSerializer(many=True)

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "role", "organisation", "municipalities", "teams"]
