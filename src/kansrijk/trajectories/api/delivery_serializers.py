"""Serializers of the referral, trajectory and aftercare API. A provider gets the referral's ``shared`` snapshot and
its own trajectory records; nothing here reads the client file."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kansrijk.core.api import IdField

from .. import codes
from ..models import AftercareTask, Referral, ReportGoalProgress, Trajectory, TrajectoryPause, TrajectoryReport
from ..selectors import readable_goal_lines


class ReferralSerializer(serializers.ModelSerializer):
    approach_name = serializers.CharField(source="approach.name", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    referred_by = serializers.StringRelatedField()
    answered_by = serializers.StringRelatedField(allow_null=True)
    shared = serializers.DictField(help_text="Precies wat met de aanbieder is gedeeld, zoals het toen was.")
    trajectory = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = ["id", "client", "approach", "approach_name", "local_offer", "provider", "provider_name",
                  "referred_by", "referred_on", "question", "shared", "status", "answered_by", "answered_on",
                  "decline_reason", "answer_note", "trajectory"]

    def get_trajectory(self, referral) -> int | None:
        if referral.status != codes.ReferralStatus.GEACCEPTEERD:
            return None
        return referral.trajectory.pk


class ReferralInputSerializer(serializers.Serializer):
    client = IdField()
    approach = IdField()
    local_offer = IdField(required=False, allow_null=True, default=None)
    provider = IdField()
    question = serializers.CharField(allow_blank=True)
    shared_items = serializers.ListField(child=serializers.ChoiceField(choices=codes.SharedItem.choices),
                                        required=False, default=list, max_length=20,
                                        help_text="Wat de aanbieder mag zien; gezondheid, verslaving en "
                                                  "migratieachtergrond kunnen niet worden gedeeld.")
    goals = serializers.ListField(child=IdField(), required=False, default=list, max_length=30,
                                  help_text="Ids van doelen uit het nieuwste plan van aanpak die u deelt.")
    referred_on = serializers.DateField(required=False, allow_null=True, default=None)


class AcceptInputSerializer(serializers.Serializer):
    accepted_on = serializers.DateField(required=False, allow_null=True, default=None)
    srg_provision = serializers.ChoiceField(choices=codes.SrgProvision.choices, required=False, default="",
                                            allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DeclineInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=codes.DeclineReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                 help_text="Toelichting en advies aan de klantmanager.")
    declined_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReferralWithdrawInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class GoalProgressSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="goal.position", read_only=True)
    description = serializers.CharField(source="goal.description", read_only=True)

    class Meta:
        model = ReportGoalProgress
        fields = ["goal", "number", "description", "status", "note"]


# ``context["goal_ids"]`` (``selectors.readable_goal_ids``) limits the goal lines: a provider reads only the goals
# shared with it.
class ReportSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()
    goals = serializers.SerializerMethodField()

    class Meta:
        model = TrajectoryReport
        fields = ["id", "kind", "reported_on", "period_from", "period_until", "sessions_planned",
                  "sessions_attended", "goals", "advised_trede", "advice_reason", "text", "author", "created_at"]

    @extend_schema_field(GoalProgressSerializer(many=True))
    def get_goals(self, report) -> list:
        lines = readable_goal_lines(report, self.context.get("goal_ids"))
        return GoalProgressSerializer(lines, many=True).data


class PauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrajectoryPause
        fields = ["id", "starts_on", "until", "reason", "note"]


class TrajectorySerializer(serializers.ModelSerializer):
    approach_name = serializers.CharField(source="referral.approach.name", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = Trajectory
        fields = ["id", "referral", "client", "provider", "provider_name", "approach_name", "srg_provision",
                  "status", "accepted_on", "intake_on", "start_on", "end_on", "end_reason", "dropout_reason",
                  "result", "satisfaction"]


class TrajectoryDetailSerializer(TrajectorySerializer):
    reports = ReportSerializer(many=True, read_only=True)
    pauses = PauseSerializer(many=True, read_only=True)

    class Meta(TrajectorySerializer.Meta):
        fields = [*TrajectorySerializer.Meta.fields, "reports", "pauses"]


class GoalProgressInputSerializer(serializers.Serializer):
    goal = IdField(help_text="Id van een gedeeld doel uit het plan van aanpak.")
    status = serializers.ChoiceField(choices=codes.GoalProgress.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ReportInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=codes.FORM_REPORT_KINDS)
    reported_on = serializers.DateField()
    text = serializers.CharField(required=False, allow_blank=True, default="")
    period_from = serializers.DateField(required=False, allow_null=True, default=None)
    period_until = serializers.DateField(required=False, allow_null=True, default=None)
    sessions_planned = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                                max_value=500)
    sessions_attended = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                                 max_value=500)
    goals = GoalProgressInputSerializer(many=True, required=False, default=list, max_length=30)
    advised_trede = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=6,
                                             help_text="Een advies; de klantmanager beslist over de trede.")
    advice_reason = serializers.CharField(required=False, allow_blank=True, default="")


class PauseInputSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.ChoiceField(choices=codes.PauseReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ResumeInputSerializer(serializers.Serializer):
    until = serializers.DateField(help_text="Laatste dag van de pauze.")


class EndInputSerializer(serializers.Serializer):
    end_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=codes.EndReason.choices)
    result = serializers.ChoiceField(choices=codes.Result.choices)
    dropout_reason = serializers.ChoiceField(choices=codes.DropoutReason.choices, required=False, default="",
                                             allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    satisfaction = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=10,
                                            help_text="Rapportcijfer van de cliënt voor het traject (1–10), als de "
                                                      "cliënt dat wil geven.")


class AftercareTaskSerializer(serializers.ModelSerializer):
    done_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = AftercareTask
        fields = ["id", "client", "trajectory", "outflow_on", "due_on", "months_after", "done_on", "done_by",
                  "outcome", "note"]


class AftercareDoneInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=codes.AftercareOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    done_on = serializers.DateField(required=False, allow_null=True, default=None)
