from rest_framework import serializers

from ..models import AccessLog


class AccessLogSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username")

    class Meta:
        model = AccessLog
        fields = ["id", "timestamp", "user", "client_number", "view", "outside_caseload"]


class UnusualAccessSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    clients_outside = serializers.IntegerField()
    views_outside = serializers.IntegerField()
    peer_median = serializers.FloatField()
    reason = serializers.CharField()
