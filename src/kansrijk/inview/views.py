"""Web pages of keeping every client in view (*klant in beeld*): a client's contacts and client groups, the worklist
with the caseload balance, and caseload review campaigns (*doorlichting*).

Views parse input, call one service or selector and render; every rule lives in ``services`` and ``selectors``.
Every client is looked up through ``clients_for`` (out of scope is a 404) and every page that shows a client's
personal data records the access."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.accounts.models import Team, User
from kansrijk.audit.services import log_access, log_bulk_access, log_bulk_access_by_ids
from kansrijk.caseload.views import client_or_404
from kansrijk.catalogue.forms import apply_service_errors
from kansrijk.core.ids import parse_id

from . import selectors, services
from .forms import REASON_CHOICES, CampaignForm, ContactForm, SegmentForm, WorklistFilterForm
from .models import Campaign, ClientSegment, Contact, Segment, Segmentation

PAGE_SIZE = 50
EXPORT_LIMIT = 20000
PROGRESS_KEYS = ("invited", "reached", "seen", "diagnosed")


# --- Contacts -------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(roles.SEES_TEAM_CLIENTS)
def contacts(request, pk: int):
    """The client's contacts that this role may read, newest first, and the form to record one."""
    client = client_or_404(request, pk)
    user = request.user
    can_record = user.has_role(roles.RECORDS_CONTACTS)
    form = None
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        form = ContactForm(request.POST, user=user)
        if form.is_valid():
            try:
                services.record_contact(client=client, by=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Het contact is vastgelegd."))
                return redirect("inview:contacts", pk=client.pk)
    elif can_record:
        form = ContactForm(user=user)
    visible = selectors.contacts_visible_to(user, Contact.objects.filter(client=client)).select_related("author")
    page = Paginator(visible.order_by("-contacted_on", "-id"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    log_access(user=user, client=client, view="contacten")
    context = {
        "client": client, "form": form, "page": page,
        "sees_work_income": user.has_role(roles.SEES_WORK_INCOME_CONTACTS),
        "groups": ClientSegment.objects.filter(client=client).select_related("segment__segmentation").order_by(
            "segment__segmentation__name"),
        "can_place": (user.has_role(roles.RECORDS_DIAGNOSIS | roles.ASSIGNS_CLIENTS)
                      and Segmentation.objects.filter(municipality_id=client.municipality_id).exists()),
    }
    return render(request, "inview/contacts.html", context, status=400 if form is not None and form.errors else 200)


# --- Client groups --------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(roles.RECORDS_DIAGNOSIS | roles.ASSIGNS_CLIENTS)
def client_segment(request, pk: int):
    """Place the client in a group of each of the municipality's segmentations."""
    client = client_or_404(request, pk)
    segmentations = list(Segmentation.objects.filter(municipality_id=client.municipality_id)
                         .prefetch_related("segments"))
    current = dict(ClientSegment.objects.filter(client=client).values_list("segmentation_id", "segment_id"))
    form = SegmentForm(request.POST or None, segmentations=segmentations, current=current)
    if request.method == "POST" and form.is_valid():
        changed = [segment for segment in form.chosen() if current.get(segment.segmentation_id) != segment.pk]
        try:
            with transaction.atomic():
                for segment in changed:
                    services.place_in_segment(client=client, segment=segment, by=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc, {"segment": None})
        else:
            if changed:
                messages.success(request, _("De klantgroep is opgeslagen."))
            else:
                messages.info(request, _("Er is niets gewijzigd."))
            return redirect("inview:contacts", pk=client.pk)
    log_access(user=request.user, client=client, view="klantgroep")
    return render(request, "inview/client_segment.html", {"client": client, "form": form},
                  status=400 if form.errors else 200)


# --- Worklist -------------------------------------------------------------------------------------------------------


def _worklist(request):
    """The filter form and the worklist it asks for; an invalid choice (another team's id) is ignored."""
    user = request.user
    form = WorklistFilterForm(request.GET or None, user=user)
    data = {}
    if form.is_bound:
        form.is_valid()  # the valid fields are kept; an invalid one is left out of the filter
        data = form.cleaned_data
    team = data.get("team")
    client_manager = data.get("client_manager")
    items = selectors.worklist(user, client_manager=client_manager, team_id=team.pk if team else None)
    return form, items, data


def _with_reason(items, reason: str | None):
    if not reason:
        return items
    return [item for item in items if any(r["code"] == reason for r in item.reasons)]


@role_required(roles.HAS_WORKLIST)
def worklist(request):
    """Every client that needs attention, most urgent first, with every reason in words; for a team lead also the
    team's worklists and the caseload balance."""
    user = request.user
    form, items, data = _worklist(request)
    team_id = data["team"].pk if data.get("team") else None
    balance = None
    if user.has_role(roles.SEES_TEAM_WORKLISTS):
        balance = (selectors.caseload_balance_from(user, items, team_id=team_id) if data.get("client_manager") is None
                   else selectors.caseload_balance(user, team_id=team_id))
    reason_counts = {code: 0 for code, _label in REASON_CHOICES}
    for item in items:
        for code in {r["code"] for r in item.reasons}:
            reason_counts[code] += 1
    all_count = len(items)
    items = _with_reason(items, data.get("reason"))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("pagina"))
    ids = [item.client_id for item in page.object_list]
    rows = []
    if ids:
        log_bulk_access_by_ids(user=user, client_ids=ids, view="werklijst")
        invitable = selectors.invitable_for(user, ids)
        managers = ({u.pk: u for u in User.objects.filter(pk__in={i.client_manager_id for i in page.object_list})}
                    if user.has_role(roles.SEES_TEAM_WORKLISTS) else {})
        rows = [{"item": item, "manager": managers.get(item.client_manager_id),
                 "invitations": invitable.get(item.client_id, [])} for item in page.object_list]
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form, "page": page, "rows": rows, "balance": balance, "all_count": all_count,
        "reasons": [{"code": code, "label": label, "count": reason_counts[code]} for code, label in REASON_CHOICES],
        "reason": data.get("reason") or "", "query": query.urlencode(),
        "team_view": user.has_role(roles.SEES_TEAM_WORKLISTS),
    }
    template = "inview/_worklist_results.html" if request.headers.get("HX-Request") else "inview/worklist.html"
    return render(request, template, context)


@role_required(roles.HAS_WORKLIST)
def worklist_export(request):
    """The (filtered) worklist as CSV, one line per client with the reasons; every exported client gets an access
    record."""
    user = request.user
    _form, items, data = _worklist(request)
    items = _with_reason(items, data.get("reason"))[:EXPORT_LIMIT]
    ids = [item.client_id for item in items]
    log_bulk_access_by_ids(user=user, client_ids=ids, view="export")
    managers = {u.pk: u for u in User.objects.filter(pk__in={item.client_manager_id for item in items})}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Cliëntnummer"), _("Naam"), _("Klantmanager"), _("Redenen")])
    for item in items:
        manager = managers.get(item.client_manager_id)
        writer.writerow([item.client_number, item.name, manager or "", " | ".join(r["text"] for r in item.reasons)])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="werklijst.csv"'
    return response


# --- Review campaigns -----------------------------------------------------------------------------------------------


def _percentages(row: dict) -> list[dict]:
    total = row["total"]
    return [{"key": key, "n": row[key], "percent": round(100 * row[key] / total) if total else 0}
            for key in PROGRESS_KEYS]


def _criteria_in_words(criteria: dict, names: dict[str, dict]) -> list[str]:
    teams, segments = names["teams"], names["segments"]
    words = []
    if criteria.get("min_benefit_years"):
        words.append(ngettext("minstens %(n)d jaar in de bijstand", "minstens %(n)d jaar in de bijstand",
                              criteria["min_benefit_years"]) % {"n": criteria["min_benefit_years"]})
    if criteria.get("no_contact_months"):
        words.append(ngettext("geen contact in de laatste maand", "geen contact in de laatste %(n)d maanden",
                              criteria["no_contact_months"]) % {"n": criteria["no_contact_months"]})
    if criteria.get("trede_max"):
        words.append(_("trede hooguit %(n)s (of nog geen trede)") % {"n": criteria["trede_max"]})
    if criteria.get("team_id"):
        team = teams.get(criteria["team_id"])
        words.append(_("team %(name)s") % {"name": team.name if team else "?"})
    if criteria.get("segment_id"):
        words.append(_("klantgroep %(name)s") % {"name": segments.get(criteria["segment_id"], "?")})
    if criteria.get("without_diagnosis"):
        words.append(_("nog nooit gediagnosticeerd"))
    return words or [_("alle cliënten met een lopende uitkering")]


def _names_of(campaigns) -> dict[str, dict]:
    """The teams and client groups the campaigns' criteria refer to, in one query each (not one per campaign)."""
    team_ids = {c.criteria.get("team_id") for c in campaigns if c.criteria.get("team_id")}
    segment_ids = {c.criteria.get("segment_id") for c in campaigns if c.criteria.get("segment_id")}
    return {
        "teams": {team.pk: team for team in Team.objects.filter(pk__in=team_ids)} if team_ids else {},
        "segments": ({segment.pk: str(segment) for segment in
                      Segment.objects.filter(pk__in=segment_ids).select_related("segmentation")}
                     if segment_ids else {}),
    }


@role_required(roles.RUNS_CAMPAIGNS)
def campaign_list(request):
    campaigns = selectors.campaigns_with_progress(request.user)
    names = _names_of(campaigns)
    rows = [{"campaign": c, "criteria": _criteria_in_words(c.criteria, names), "cells": _percentages(c.progress)}
            for c in campaigns]
    return render(request, "inview/campaign_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@role_required(roles.RUNS_CAMPAIGNS)
def campaign_new(request):
    """Choose the criteria, see how many clients match, then start the campaign."""
    user = request.user
    form = CampaignForm(request.POST or None, user=user)
    preview = None
    if request.method == "POST" and form.is_valid():
        criteria = form.criteria()
        if request.POST.get("actie") == "starten":
            try:
                campaign = services.create_campaign(by=user, name=form.cleaned_data["name"], criteria=criteria)
            except ValidationError as exc:
                apply_service_errors(form, exc, {"criteria": None})
            else:
                size = campaign.invitations.count()
                messages.success(request, ngettext(
                    "De doorlichting is gestart met %(n)d cliënt.", "De doorlichting is gestart met %(n)d cliënten.",
                    size) % {"n": size})
                return redirect("inview:campaign-detail", pk=campaign.pk)
        else:
            preview = selectors.campaign_preview(user, criteria, today=timezone.localdate())
    return render(request, "inview/campaign_form.html", {"form": form, "preview": preview},
                  status=400 if form.errors else 200)


@role_required(roles.RUNS_CAMPAIGNS)
def campaign_detail(request, pk: int):
    """The campaign's dashboard: invited, reached, seen and diagnosed in total and per client manager, and the
    invitations still to send."""
    user = request.user
    campaign = get_object_or_404(selectors.campaigns_for(user), pk=pk)
    progress = selectors.campaign_progress(campaign, user)
    page = Paginator(selectors.pending_invitations(campaign, user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    log_bulk_access(user=user, clients=[invitation.client for invitation in page.object_list], view="doorlichting")
    context = {
        "campaign": campaign,
        "criteria": _criteria_in_words(campaign.criteria, _names_of([campaign])),
        "totals": progress["totals"], "total_cells": _percentages(progress["totals"]),
        "per_manager": [{"client_manager": row["client_manager"], "total": row["total"], "cells": _percentages(row)}
                        for row in progress["per_manager"]],
        "page": page,
    }
    return render(request, "inview/campaign_detail.html", context)


@require_POST
@role_required(roles.RUNS_CAMPAIGNS)
def campaign_close(request, pk: int):
    """End the review: its invitations leave the worklists; the dashboard stays."""
    campaign = get_object_or_404(selectors.campaigns_for(request.user), pk=pk)
    try:
        services.close_campaign(campaign=campaign, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De doorlichting is afgesloten."))
    return redirect("inview:campaign-detail", pk=campaign.pk)


@require_POST
@role_required(roles.HAS_WORKLIST | roles.RUNS_CAMPAIGNS)
def campaign_invite(request, pk: int):
    """Mark invitations as sent: a team lead any in the campaign, a client manager their own (from the worklist)."""
    user = request.user
    campaign = get_object_or_404(Campaign.objects.filter(municipality__in=user.municipalities.all()), pk=pk)
    client_ids = [parse_id(value) for value in request.POST.getlist("client") if parse_id(value) is not None]
    if campaign.closed_on is not None:
        messages.error(request, _("Deze doorlichting is afgesloten; er kan niets meer worden gemarkeerd."))
    elif not client_ids:
        messages.error(request, _("Kies minstens één cliënt om als uitgenodigd te markeren."))
    else:
        marked = services.mark_invited(campaign=campaign, client_ids=client_ids, by=user)
        if marked:
            messages.success(request, ngettext("%(n)d uitnodiging is gemarkeerd als verstuurd.",
                                               "%(n)d uitnodigingen zijn gemarkeerd als verstuurd.", marked)
                             % {"n": marked})
        else:
            messages.info(request, _("Er is niets gemarkeerd: deze uitnodigingen waren al verstuurd of horen niet "
                                     "bij u."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return redirect(target)
    if user.has_role(roles.RUNS_CAMPAIGNS):
        return redirect("inview:campaign-detail", pk=campaign.pk)
    return redirect("inview:worklist")
