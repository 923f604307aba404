"""The recommendations page of a client: which approaches of the local offer are possible now and why, which are
not (yet) and why not, and the client manager's decisions. The view parses input, calls the selector or service and
renders; the client is looked up through ``client_detail`` (out of scope is a 404) and every view is logged."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.audit.services import log_access
from kansrijk.caseload.views import client_or_404
from kansrijk.catalogue.forms import apply_service_errors
from kansrijk.catalogue.models import Approach

from . import selectors, services
from .forms import DecisionForm
from .models import Decision


@require_http_methods(["GET", "POST"])
@role_required(roles.SEES_RECOMMENDATIONS)
def recommendations(request, pk: int):
    user = request.user
    client = client_or_404(request, pk)
    can_decide = user.has_role(roles.RECOMMENDS_APPROACHES)
    form = None
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        form = DecisionForm(request.POST)
        if form.is_valid():
            approach = Approach.objects.filter(pk=form.cleaned_data["approach"]).first()
            try:
                if approach is None:
                    raise ValidationError({"approach": _("Deze aanpak bestaat niet.")})
                services.record_decision(client=client, approach=approach, by=user,
                                         decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_service_errors(form, exc, {"approach": None})
            else:
                messages.success(request, _("Het besluit over ‘%(name)s’ is vastgelegd.") % {"name": approach.name})
                return redirect("matching:recommendations", pk=client.pk)
    result = selectors.recommendations_for(user, client)
    posted = form.data.get("approach") if form is not None else None
    log_access(user=user, client=client, view="aanbevelingen")
    context = {
        "client": client, "result": result, "can_decide": can_decide,
        "form": form, "posted": str(posted) if posted else "",
        "decisions": selectors.decisions_of(client), "choices": Decision.choices,
    }
    return render(request, "matching/recommendations.html", context,
                  status=400 if form is not None and form.errors else 200)
