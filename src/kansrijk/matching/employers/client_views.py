"""The client's side of work matching, on the client's pages (/klanten/<pk>/…): the job-seeker profile, the consent
to share it with employers, proposals, placements and the matching vacancies. The client is looked up through
``client_or_404`` (scope) and every page that shows the client's data leaves an access record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.audit.services import log_access
from kansrijk.caseload.views import client_or_404
from kansrijk.catalogue.forms import apply_service_errors

from ..models import Placement, ProposalStatus, Vacancy
from . import selectors, services
from .forms import ConsentForm, EndPlacementForm, PlacementForm, ProfileForm, WithdrawConsentForm

SEES_JOB_SEEKER = roles.SEES_EMPLOYERS & roles.SEES_TEAM_CLIENTS


def _page(request, client, *, profile_form=None, consent_form=None, status=200):
    user = request.user
    profile = selectors.job_seeker_profile(client)
    if profile_form is None and user.has_role(roles.MAKES_JOB_PROFILES):
        profile_form = ProfileForm(initial={f: getattr(profile, f) for f in services.PROFILE_FIELDS}
                                   if profile else None)
    consent = selectors.active_consent(client)
    if consent_form is None and consent is None and user.has_role(roles.RECORDS_CONSENT):
        consent_form = ConsentForm()
    proposals = [{"proposal": p, "next": [s for s in ProposalStatus if s in services.NEXT_STATUS.get(p.status, ())]}
                 for p in selectors.proposals_of_client(client)]
    log_access(user=user, client=client, view="werkzoekende")
    return render(request, "matching/employers/job_seeker.html", {
        "client": client, "profile": profile, "profile_form": profile_form, "consent": consent,
        "consent_form": consent_form, "consents": selectors.consent_history(client),
        "withdraw_form": WithdrawConsentForm(), "proposals": proposals,
        "placements": selectors.placements_of_client(client), "end_form": EndPlacementForm(),
        "can_edit": user.has_role(roles.MAKES_JOB_PROFILES), "can_consent": user.has_role(roles.RECORDS_CONSENT),
        "can_place": user.has_role(roles.PLACES_CLIENTS), "can_propose": user.has_role(roles.PROPOSES_CANDIDATES),
    }, status=status)


@require_http_methods(["GET", "POST"])
@role_required(SEES_JOB_SEEKER)
def job_seeker(request, pk: int):
    """The job-seeker page; POST saves the profile."""
    client = client_or_404(request, pk)
    if request.method == "GET":
        return _page(request, client)
    if not request.user.has_role(roles.MAKES_JOB_PROFILES):
        raise PermissionDenied
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.save_profile(by=request.user, client=client, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Het werkzoekendenprofiel is opgeslagen."))
            return redirect("matching:job-seeker", pk=client.pk)
    return _page(request, client, profile_form=form, status=400)


@require_POST
@role_required(roles.RECORDS_CONSENT)
def consent(request, pk: int):
    client = client_or_404(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.record_consent(by=request.user, client=client,
                                    consented_on=form.cleaned_data["client_consented_on"],
                                    how=form.cleaned_data["client_consent_how"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("De toestemming van de cliënt en uw akkoord zijn vastgelegd."))
            return redirect("matching:job-seeker", pk=client.pk)
    return _page(request, client, consent_form=form, status=400)


@require_POST
@role_required(roles.RECORDS_CONSENT)
def consent_withdraw(request, pk: int):
    client = client_or_404(request, pk)
    form = WithdrawConsentForm(request.POST)
    note = form.cleaned_data["withdrawal_note"] if form.is_valid() else ""
    try:
        services.withdraw_consent(by=request.user, client=client, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De toestemming is ingetrokken. Werkgevers zien de cliënt weer alleen anoniem."))
    return redirect("matching:job-seeker", pk=client.pk)


@require_http_methods(["GET", "POST"])
@role_required(roles.PLACES_CLIENTS)
def placement_new(request, pk: int):
    client = client_or_404(request, pk)
    employers = selectors.employers_visible_to(request.user).filter(municipality_id=client.municipality_id)
    form = PlacementForm(request.POST or None, employers=employers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        vacancy = None
        if data["vacancy"]:
            vacancy = Vacancy.objects.filter(pk=data["vacancy"], municipality_id=client.municipality_id).first()
        try:
            if data["vacancy"] and vacancy is None:
                raise ValidationError({"vacancy": _("Deze vacature bestaat niet in de gemeente van de cliënt.")})
            services.record_placement(
                by=request.user, client=client, employer=data["employer"], vacancy=vacancy, kind=data["kind"],
                started_on=data["started_on"], hours_per_week=data["hours_per_week"],
                instruments=list(data["instruments"]), loonwaarde_pct=data["loonwaarde_pct"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("De plaatsing is vastgelegd."))
            return redirect("matching:job-seeker", pk=client.pk)
    log_access(user=request.user, client=client, view="plaatsing_nieuw")
    return render(request, "matching/employers/placement_form.html", {"client": client, "form": form},
                  status=400 if form.errors else 200)


@require_POST
@role_required(roles.PLACES_CLIENTS)
def placement_end(request, pk: int, placement_pk: int):
    client = client_or_404(request, pk)
    placement = Placement.objects.filter(pk=placement_pk, client=client).select_related("client").first()
    if placement is None:
        raise Http404
    form = EndPlacementForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        services.end_placement(by=request.user, placement=placement, ended_on=form.cleaned_data["ended_on"],
                               reason=form.cleaned_data["end_reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De plaatsing is beëindigd."))
    return redirect("matching:job-seeker", pk=client.pk)


@role_required(roles.MATCHES_VACANCIES & roles.SEES_TEAM_CLIENTS)
def client_vacancies(request, pk: int):
    """Direction 1: the open vacancies for this client, with the factors."""
    client = client_or_404(request, pk)
    matches = selectors.vacancies_for_client(request.user, client)
    log_access(user=request.user, client=client, view="vacatures_client")
    return render(request, "matching/employers/client_vacancies.html", {
        "client": client, "possible": [m for m in matches if m.possible],
        "not_now": [m for m in matches if not m.possible], "consent": selectors.active_consent(client),
        "proposed": set(client.match_proposals.values_list("vacancy_id", flat=True)),
        "can_propose": request.user.has_role(roles.PROPOSES_CANDIDATES)})
