from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from kansrijk.accounts import roles
from kansrijk.caseload.selectors import clients_for
from kansrijk.core.api import PROBLEM_TYPE


@login_required
def home(request):
    user = request.user
    context = {}
    if user.has_role(roles.SEES_TEAM_CLIENTS):
        visible = clients_for(user)
        context.update(
            team_clients=visible.count(),
            own_clients=visible.filter(client_manager=user).count(),
            active_clients=visible.filter(active_spell_start__isnull=False).count(),
        )
    if user.has_role(roles.DELIVERS_TRAJECTORIES):
        from kansrijk.trajectories.selectors import provider_counts

        context["provider_work"] = provider_counts(user)
    return render(request, "core/home.html", context)


def _api_problem(request, status: int, title: str):
    return JsonResponse({"type": f"{PROBLEM_TYPE}{status}", "code": str(status), "title": title, "status": status,
                         "detail": title, "instance": request.path}, status=status,
                        content_type="application/problem+json")


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return _api_problem(request, 404, "Niet gevonden.")
    return render(request, "core/error.html", {"status": 404, "title": "Pagina niet gevonden"}, status=404)


def forbidden(request, exception=None):
    return render(request, "core/error.html", {"status": 403, "title": "Geen toegang"}, status=403)


def server_error(request):
    if request.path.startswith("/api/"):
        return _api_problem(request, 500, "Er ging iets mis aan de kant van de server.")
    return render(request, "core/error.html", {"status": 500, "title": "Er ging iets mis"}, status=500)
