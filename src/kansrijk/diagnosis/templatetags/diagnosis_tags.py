"""The diagnosis in brief on the client page: latest trede, latest ZRM date and the distance indicator."""

from django import template

from kansrijk.accounts import roles
from kansrijk.diagnosis import selectors

register = template.Library()


@register.inclusion_tag("diagnosis/_client_summary.html", takes_context=True)
def diagnosis_summary(context, client):
    user = context["request"].user
    ladder = selectors.ladder_history(client).first()
    zrm = selectors.zrm_history(client).first()
    # The indicator needs the hours per week only; the special categories are not read here.
    intake = selectors.current(client.intakes.all()).first()
    judgement = client.distance_judgements.select_related("judged_by").first()
    return {
        "client": client,
        "ladder": ladder,
        "zrm": zrm,
        "indicator": selectors.derive_distance(ladder, zrm, intake, judgement),
        "can_record": user.has_role(roles.RECORDS_DIAGNOSIS),
        "can_place": user.has_role(roles.RECORDS_DIAGNOSIS | roles.ASSIGNS_CLIENTS),
        "can_see_plan": user.has_role(roles.SEES_PLANS),
        "can_see_recommendations": user.has_role(roles.SEES_RECOMMENDATIONS),
        "can_see_work": user.has_role(roles.SEES_EMPLOYERS & roles.SEES_TEAM_CLIENTS),
        "can_see_trajectories": user.has_role(roles.SEES_TRAJECTORIES),
    }
