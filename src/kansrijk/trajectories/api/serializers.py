"""Serializers of the plan van aanpak API."""

from rest_framework import serializers

from ..models import AgreedHow, GoalKind, Owner, Plan, PlanAction, PlanGoal


class PlanGoalSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="position")
    parent = serializers.IntegerField(source="parent.position", allow_null=True, default=None,
                                      help_text="Nummer van het doel waar dit subdoel bij hoort.")

    class Meta:
        model = PlanGoal
        fields = ["number", "kind", "description", "target", "due_on", "parent"]


class PlanActionSerializer(serializers.ModelSerializer):
    goal = serializers.IntegerField(source="goal.position", allow_null=True, default=None,
                                    help_text="Nummer van het doel waar deze actie voor is.")

    class Meta:
        model = PlanAction
        fields = ["description", "owner", "owner_name", "due_on", "goal", "done"]


class PlanSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()
    goals = PlanGoalSerializer(many=True)
    actions = PlanActionSerializer(many=True)
    agreements = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = ["id", "version", "situation", "ambition", "created_by", "created_at", "agreed_on", "agreed_how",
                  "agreement_note", "goals", "actions", "agreements"]

    def get_agreements(self, plan) -> list[str]:
        return [agreement.text for agreement in plan.agreements.all()]


class GoalInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=GoalKind.choices, default=GoalKind.DOEL)
    description = serializers.CharField(allow_blank=True)
    target = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    parent = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=30,
                                      help_text="Voor een subdoel: het nummer (1, 2, …) van het doel in deze lijst.")


class ActionInputSerializer(serializers.Serializer):
    description = serializers.CharField(allow_blank=True)
    owner = serializers.ChoiceField(choices=Owner.choices)
    owner_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    due_on = serializers.DateField(allow_null=True)
    goal = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=30)
    done = serializers.BooleanField(required=False, default=False)


class PlanInputSerializer(serializers.Serializer):
    situation = serializers.CharField(required=False, allow_blank=True, default="")
    ambition = serializers.CharField(required=False, allow_blank=True, default="")
    goals = GoalInputSerializer(many=True, max_length=30)
    actions = ActionInputSerializer(many=True, required=False, default=list, max_length=60)
    agreements = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, default=list,
                                       max_length=30)
    based_on_version = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=32767,
        help_text="Optimistische vergrendeling: het versienummer (``version``) waarop deze wijziging is gebaseerd, "
                  "null voor het allereerste plan. Verplicht. Is er intussen een nieuwere versie opgeslagen, dan "
                  "wordt niets opgeslagen en is het antwoord 409 Conflict (problem details met currentVersion).")


class AgreementInputSerializer(serializers.Serializer):
    agreed_on = serializers.DateField()
    how = serializers.ChoiceField(choices=AgreedHow.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class PlanConflictSerializer(serializers.Serializer):
    """The 409 problem details of a stale plan edit or agreement (RFC 9457 with extension members)."""

    type = serializers.CharField()
    code = serializers.CharField(help_text="``plan_conflict``")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    basedOnVersion = serializers.IntegerField(allow_null=True,
                                              help_text="De versie waarop het verzoek was gebaseerd.")
    currentVersion = serializers.IntegerField(help_text="De nieuwste versie nu: haal die op, neem de wijzigingen "
                                                        "over en stuur opnieuw met based_on_version gelijk hieraan.")
    currentId = serializers.IntegerField(help_text="Id van de nieuwste versie.")
    changedBy = serializers.CharField(help_text="Wie de nieuwste versie opsloeg.")
    changedAt = serializers.DateTimeField(help_text="Wanneer de nieuwste versie is opgeslagen.")
