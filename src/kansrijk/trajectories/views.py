"""Web pages of the plan van aanpak: the current plan with its versions, a new version, the client's agreement and
the printable PDF. Every page looks the client up through ``clients_for`` (out of scope is a 404) and records the
access."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.audit.services import log_access
from kansrijk.caseload.views import client_or_404
from kansrijk.catalogue.forms import apply_service_errors
from kansrijk.core.ids import parse_id

from . import selectors, services
from .forms import AgreementForm, PlanForms
from .pdf import render_plan


def _version_or_404(client, plan_pk: int):
    plan = selectors.plan_versions(client).filter(pk=plan_pk).first()
    if plan is None:
        raise Http404
    return plan


def _overview(request, client, *, shown=None, agreement_form=None, status=200):
    versions = list(selectors.plan_versions(client))
    if shown is None:
        number = parse_id(request.GET.get("versie", ""))
        shown = next((v for v in versions if v.version == number), None) if number else None
        shown = shown or (versions[0] if versions else None)
    latest = versions[0] if versions else None
    can_write = request.user.has_role(roles.MAKES_PLANS)
    if can_write and shown is not None and shown == latest and not shown.agreed_on and agreement_form is None:
        agreement_form = AgreementForm()
    log_access(user=request.user, client=client, view="plan")
    return render(request, "trajectories/plan.html", {
        "client": client, "plan": shown, "versions": versions, "latest": latest, "can_write": can_write,
        "agreement_form": agreement_form if shown == latest else None,
        "goals": list(shown.goals.all()) if shown else [],
    }, status=status)


@role_required(roles.SEES_PLANS)
def plan(request, pk: int):
    return _overview(request, client_or_404(request, pk))


@require_http_methods(["GET", "POST"])
@role_required(roles.MAKES_PLANS)
def plan_edit(request, pk: int):
    """A new version, filled in from the latest (or empty for the first plan)."""
    client = client_or_404(request, pk)
    latest = selectors.latest_plan(client)
    if request.method == "POST":
        forms = PlanForms(request.POST)
        if forms.is_valid():
            previous = None
            previous_pk = forms.text.cleaned_data.get("previous")
            if previous_pk:
                previous = selectors.plan_versions(client).filter(pk=previous_pk).first()
            try:
                saved = services.save_plan(client=client, by=request.user, plan=forms.plan_input(),
                                           previous=previous)
            except ValidationError as exc:
                forms.apply_errors(exc)
            else:
                messages.success(request,
                                 _("Versie %(n)d van het plan van aanpak is opgeslagen.") % {"n": saved.version})
                return redirect("trajectories:plan", pk=client.pk)
    else:
        forms = PlanForms(initial=selectors.as_input(latest) if latest else None,
                          previous_pk=latest.pk if latest else None)
    log_access(user=request.user, client=client, view="plan_bewerken")
    return render(request, "trajectories/plan_form.html", {"client": client, "forms": forms, "latest": latest},
                  status=400 if request.method == "POST" else 200)


@require_POST
@role_required(roles.MAKES_PLANS)
def plan_agree(request, pk: int, plan_pk: int):
    client = client_or_404(request, pk)
    version = _version_or_404(client, plan_pk)
    form = AgreementForm(request.POST)
    if form.is_valid():
        try:
            services.record_agreement(plan=version, by=request.user, agreed_on=form.cleaned_data["agreed_on"],
                                      how=form.cleaned_data["how"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Het akkoord van de cliënt is vastgelegd."))
            return redirect("trajectories:plan", pk=client.pk)
    return _overview(request, client, shown=version, agreement_form=form, status=400)


@role_required(roles.SEES_PLANS)
def plan_pdf(request, pk: int, plan_pk: int):
    client = client_or_404(request, pk)
    version = _version_or_404(client, plan_pk)
    log_access(user=request.user, client=client, view="plan_pdf")
    response = HttpResponse(render_plan(version), content_type="application/pdf")
    response["Content-Disposition"] = (f'inline; filename="plan-van-aanpak-{client.client_number}-'
                                       f'v{version.version}.pdf"')
    return response
