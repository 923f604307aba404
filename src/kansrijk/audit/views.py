from django.core.paginator import Paginator
from django.shortcuts import render

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.accounts.scoping import visible_municipality_ids
from kansrijk.core.ids import parse_id

from . import selectors


@role_required(roles.ADMINISTERS)
def access_log(request):
    """Who viewed which client: filter by client number or user."""
    qs = selectors.access_log(municipality_ids=visible_municipality_ids(request.user))
    client_number = request.GET.get("clientnummer", "").strip()
    username = request.GET.get("gebruiker", "").strip()
    if client_number:
        qs = qs.filter(client_number=client_number)
    if username:
        qs = qs.filter(user__username=username)
    page = Paginator(qs, 100).get_page(request.GET.get("pagina"))
    return render(request, "audit/access_log.html",
                  {"page": page, "client_number": client_number, "username": username})


@role_required(roles.ADMINISTERS)
def unusual_access(request):
    days = request.GET.get("dagen", "30")
    days = parse_id(days) or 0
    days = days if 0 < days <= selectors.MAX_REPORT_DAYS else 30
    rows = selectors.unusual_access(municipality_ids=visible_municipality_ids(request.user), days=days)
    return render(request, "audit/unusual_access.html", {"rows": rows, "days": days})
