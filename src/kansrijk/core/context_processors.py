from kansrijk.accounts import roles


def capabilities(request):
    """What the current user's role allows, for menus; the views check the same sets themselves."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can": {}}
    return {"can": {
        "see_clients": user.has_role(roles.SEES_TEAM_CLIENTS),
        "administer": user.has_role(roles.ADMINISTERS),
        "assign": user.has_role(roles.ASSIGNS_CLIENTS),
        "worklist": user.has_role(roles.HAS_WORKLIST),
        "campaigns": user.has_role(roles.RUNS_CAMPAIGNS),
        "vum": user.has_role(roles.EXCHANGES_VUM),
        "analyse": user.has_role(roles.SEES_AGGREGATES),
        "regions": user.has_role(roles.SEES_REGIONS),
        "employers": user.has_role(roles.SEES_EMPLOYERS),
        "matching_list": user.has_role(roles.MATCHES_VACANCIES),
        "select_candidates": user.has_role(roles.SELECTS_CANDIDATES),
        "deliver": user.has_role(roles.DELIVERS_TRAJECTORIES),
        "access_requests": user.has_role(roles.HANDLES_ACCESS_REQUESTS),
        "pseudonymised_export": user.has_role(roles.EXPORTS_PSEUDONYMISED),
    }}
