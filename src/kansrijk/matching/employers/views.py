"""Pages of the employer team (werkgeversdienstverlener), read by client managers and team leads: employers with
contact persons, vacancies with their candidates, proposals and the weekly matching list. Views parse input, call
a selector or service and render. Candidates appear by anonymous code unless the user may know who they are
(``selectors`` module docstring); named candidates leave an access record, anonymous ones hold no personal data."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.audit.services import log_bulk_access
from kansrijk.catalogue.forms import apply_service_errors
from kansrijk.core.ids import parse_id

from ..models import EmployerContact, MatchProposal, ProposalStatus, VacancyStatus
from . import selectors, services
from .forms import (
    AdvanceForm,
    ContactForm,
    EmployerFilterForm,
    EmployerForm,
    ProposeForm,
    VacancyFilterForm,
    VacancyForm,
    VacancyStatusForm,
)

PAGE_SIZE = 50


def _employer_or_404(request, pk: int):
    employer = selectors.employer_detail(user=request.user, pk=pk)
    if employer is None:
        raise Http404
    return employer


def _vacancy_or_404(request, pk: int):
    vacancy = selectors.vacancy_detail(user=request.user, pk=pk)
    if vacancy is None:
        raise Http404
    return vacancy


# --- Employers ------------------------------------------------------------------------------------------------------


@role_required(roles.SEES_EMPLOYERS)
def employer_list(request):
    form = EmployerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.EmployerFilters(q=data.get("q", ""), sector=data.get("sector", ""),
                                        place=data.get("place", ""))
    page = Paginator(selectors.employer_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "matching/employers/employer_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_manage": request.user.has_role(roles.MANAGES_EMPLOYERS)})


@role_required(roles.SEES_EMPLOYERS)
def employer_detail(request, pk: int):
    employer = _employer_or_404(request, pk)
    return render(request, "matching/employers/employer_detail.html", {
        "employer": employer, "contacts": employer.contacts.all(),
        "vacancies": selectors.vacancy_list(user=request.user, filters=selectors.VacancyFilters(employer=employer.pk)),
        "placement_count": employer.placements.count(),
        "can_manage": request.user.has_role(roles.MANAGES_EMPLOYERS)})


@require_http_methods(["GET", "POST"])
@role_required(roles.MANAGES_EMPLOYERS)
def employer_form(request, pk: int | None = None):
    employer = _employer_or_404(request, pk) if pk else None
    if request.method == "POST":
        form = EmployerForm(request.POST)
        if form.is_valid():
            try:
                employer = services.save_employer(by=request.user, data=form.cleaned_data, employer=employer)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("De werkgever ‘%(name)s’ is opgeslagen.") % {"name": employer.name})
                return redirect("employers:employer-detail", pk=employer.pk)
    else:
        initial = {f: getattr(employer, f) for f in services.EMPLOYER_FIELDS if f != "account_manager"} \
            if employer else None
        form = EmployerForm(initial=initial)
    return render(request, "matching/employers/employer_form.html", {"form": form, "employer": employer},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@role_required(roles.MANAGES_EMPLOYERS)
def contact_new(request, pk: int):
    employer = _employer_or_404(request, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(by=request.user, employer=employer, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("De contactpersoon is toegevoegd."))
            return redirect("employers:employer-detail", pk=employer.pk)
    return render(request, "matching/employers/contact_form.html", {"form": form, "employer": employer},
                  status=400 if form.errors else 200)


@require_POST
@role_required(roles.MANAGES_EMPLOYERS)
def contact_delete(request, pk: int, contact_pk: int):
    employer = _employer_or_404(request, pk)
    contact = EmployerContact.objects.filter(employer=employer, pk=contact_pk).select_related("employer").first()
    if contact is None:
        raise Http404
    services.delete_contact(by=request.user, contact=contact)
    messages.success(request, _("De contactpersoon is verwijderd."))
    return redirect("employers:employer-detail", pk=employer.pk)


# --- Vacancies ------------------------------------------------------------------------------------------------------


@role_required(roles.SEES_EMPLOYERS)
def vacancy_list(request):
    form = VacancyFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.VacancyFilters(q=data.get("q", ""), sector=data.get("sector", ""),
                                       status=data.get("status", ""), place=data.get("place", ""),
                                       employer=parse_id(request.GET.get("werkgever")))
    page = Paginator(selectors.vacancy_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "matching/employers/vacancy_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_manage": request.user.has_role(roles.MANAGES_EMPLOYERS)})


def _proposal_rows(request, vacancy, candidates):
    """The proposals on a vacancy, each named only when the user may know who it is (same rule as candidates)."""
    named = {row.match.seeker.client_id: row.client for row in candidates if row.client is not None}
    rows, newly_named = [], []
    proposals = list(selectors.proposals_of_vacancy(vacancy))
    nameable = selectors.nameable_ids(request.user, [p.client for p in proposals if p.client_id not in named])
    for proposal in proposals:
        client = named.get(proposal.client_id)
        if client is None and proposal.client_id in nameable:
            client = proposal.client
            newly_named.append(client)
        rows.append({"proposal": proposal, "client": client,
                     "code": selectors.anonymous_code(vacancy.pk, proposal.client_id),
                     "next": [s for s in ProposalStatus if s in services.NEXT_STATUS.get(proposal.status, ())]})
    log_bulk_access(user=request.user, clients=newly_named, view="voorstellen_vacature")
    return rows


@role_required(roles.SEES_EMPLOYERS)
def vacancy_detail(request, pk: int):
    vacancy = _vacancy_or_404(request, pk)
    user = request.user
    candidates = None
    if user.has_role(roles.MATCHES_VACANCIES) and vacancy.status == VacancyStatus.OPEN:
        candidates = selectors.candidates_for_vacancy(user, vacancy)
    return render(request, "matching/employers/vacancy_detail.html", {
        "vacancy": vacancy, "candidates": candidates,
        "proposals": _proposal_rows(request, vacancy, candidates or []),
        "can_manage": user.has_role(roles.MANAGES_EMPLOYERS),
        "can_propose": user.has_role(roles.PROPOSES_CANDIDATES),
        "statuses": [s for s in VacancyStatus if s != vacancy.status]})


@require_http_methods(["GET", "POST"])
@role_required(roles.MANAGES_EMPLOYERS)
def vacancy_form(request, pk: int | None = None):
    vacancy = _vacancy_or_404(request, pk) if pk else None
    employers = selectors.employers_visible_to(request.user).filter(active=True) if vacancy is None else \
        selectors.employers_visible_to(request.user).filter(municipality=vacancy.municipality)
    if request.method == "POST":
        form = VacancyForm(request.POST, employers=employers)
        if form.is_valid():
            try:
                vacancy = services.save_vacancy(by=request.user, data=form.service_data(),
                                                instruments=list(form.cleaned_data["instruments"]), vacancy=vacancy)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("De vacature ‘%(title)s’ is opgeslagen.") % {"title": vacancy.title})
                return redirect("employers:vacancy-detail", pk=vacancy.pk)
    else:
        initial = {"employer": parse_id(request.GET.get("werkgever"))}
        if vacancy:
            initial = {f: getattr(vacancy, f) for f in services.VACANCY_FIELDS}
            initial["public_transport"] = {True: "ja", False: "nee"}.get(vacancy.public_transport, "")
            initial["instruments"] = [i.instrument for i in vacancy.instruments.all()]
        form = VacancyForm(initial=initial, employers=employers)
    return render(request, "matching/employers/vacancy_form.html", {"form": form, "vacancy": vacancy},
                  status=400 if form.errors else 200)


@require_POST
@role_required(roles.MANAGES_EMPLOYERS)
def vacancy_status(request, pk: int):
    vacancy = _vacancy_or_404(request, pk)
    form = VacancyStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies open, vervuld of ingetrokken."))
        return redirect("employers:vacancy-detail", pk=vacancy.pk)
    try:
        services.set_vacancy_status(by=request.user, vacancy=vacancy, status=form.cleaned_data["status"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De vacature is nu: %(status)s.") % {"status": vacancy.get_status_display()})
    return redirect("employers:vacancy-detail", pk=vacancy.pk)


@require_POST
@role_required(roles.PROPOSES_CANDIDATES)
def vacancy_propose(request, pk: int):
    """Propose a candidate: by anonymous code (the employer team) or by client id (the client manager)."""
    vacancy = _vacancy_or_404(request, pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Het voorstel is niet vastgelegd: kies een kandidaat."))
        return redirect("employers:vacancy-detail", pk=vacancy.pk)
    client = selectors.proposable_client(request.user, vacancy, client_id=form.cleaned_data["client"],
                                         code=form.cleaned_data["code"])
    if client is None:
        messages.error(request, _("Deze kandidaat staat niet (meer) op de lijst."))
        return redirect("employers:vacancy-detail", pk=vacancy.pk)
    try:
        services.propose(by=request.user, vacancy=vacancy, client=client, status=form.cleaned_data["status"])
    except PermissionDenied:
        messages.error(request, _("U kunt deze kandidaat niet voorstellen."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Het voorstel is vastgelegd."))
    return redirect("employers:vacancy-detail", pk=vacancy.pk)


@require_POST
@role_required(roles.PROPOSES_CANDIDATES)
def proposal_advance(request, pk: int):
    proposal = MatchProposal.objects.filter(pk=pk, vacancy__in=selectors.vacancies_visible_to(request.user)) \
        .select_related("vacancy", "client").first()
    if proposal is None:
        raise Http404
    form = AdvanceForm(request.POST)
    back = request.POST.get("terug") == "client"
    target = redirect("matching:job-seeker", pk=proposal.client_id) if back else redirect(
        "employers:vacancy-detail", pk=proposal.vacancy_id)
    if not form.is_valid():
        messages.error(request, _("Kies een geldige volgende stap."))
        return target
    try:
        services.advance_proposal(by=request.user, proposal=proposal, status=form.cleaned_data["status"],
                                  reason=form.cleaned_data["reason"])
    except PermissionDenied:
        messages.error(request, _("U kunt dit voorstel niet bijwerken."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Het voorstel is bijgewerkt: %(status)s.") % {
            "status": proposal.get_status_display()})
    return target


# --- The weekly matching list ---------------------------------------------------------------------------------------


def _week_list(request):
    week = selectors.parse_week(request.GET.get("week"))
    if week is None:
        return None, _("Kies een week als 2026-W07 (jaar, W, weeknummer).")
    municipalities = selectors.municipality_ids(request.user)
    municipality = parse_id(request.GET.get("gemeente")) or (municipalities[0] if municipalities else None)
    if municipality not in municipalities:
        raise Http404
    return selectors.matching_list(request.user, municipality, *week), ""


@role_required(roles.MATCHES_VACANCIES)
def matching_list(request):
    result, error = _week_list(request)
    return render(request, "matching/employers/matching_list.html", {
        "result": result, "error": error, "week": request.GET.get("week") or (result.label if result else ""),
        "can_propose": request.user.has_role(roles.PROPOSES_CANDIDATES)}, status=400 if error else 200)


def list_csv_rows(result) -> list[list]:
    """The matching list as rows: one per candidate, the name only when the user may know it."""
    rows = []
    for item in result.vacancies:
        v = item.vacancy
        if not item.candidates:
            rows.append([result.label, v.pk, v.title, v.employer.name, _("ja") if item.new else _("nee"), "", "", "",
                         "", "", ""])
        for row in item.candidates:
            rows.append([result.label, v.pk, v.title, v.employer.name, _("ja") if item.new else _("nee"), row.code,
                         row.client.display_name if row.client else "", row.match.score,
                         " | ".join(f.text for f in row.match.reasons), " | ".join(f.text for f in row.match.to_ask),
                         _("ja") if row.consented else _("nee")])
    return rows


LIST_HEADER = [gettext_noop("week"), gettext_noop("vacature"), gettext_noop("functie"), gettext_noop("werkgever"),
               gettext_noop("nieuw deze week"), gettext_noop("kandidaatcode"), gettext_noop("naam"),
               gettext_noop("score"), gettext_noop("factoren"), gettext_noop("na te vragen"),
               gettext_noop("toestemming")]


@role_required(roles.MATCHES_VACANCIES)
def matching_list_export(request):
    result, error = _week_list(request)
    if result is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_(h) for h in LIST_HEADER])
    writer.writerows(list_csv_rows(result))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="matchlijst-{result.label}.csv"'
    return response
