"""Web pages of the stepped candidate selection (issue 5): choose an approach and filters, see the funnel and the
ranked shortlist with every client's reasons and open questions, decide whom to invite, and follow the invitations.

Views parse input, call one selector or service and render. Every page that shows clients' names records the access
of each client shown (``log_bulk_access_by_ids``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.audit.services import log_bulk_access_by_ids
from kansrijk.caseload.selectors import clients_for
from kansrijk.catalogue.forms import apply_service_errors

from . import selection, selection_services
from .models import CandidateInvitation, InvitationStatus
from .selection_forms import DECISION_CHOICES, EXCLUDE, InvitationStatusForm, SelectionForm, decisions_from

PAGE_SIZE = 50
# The steps of the funnel, in words.
STEP_LABELS = {
    "caseload": gettext_lazy("Cliënten met een lopende uitkering"),
    "filtered": gettext_lazy("Na uw filters"),
    "meets_criteria": gettext_lazy("Voldoen aan de toelatingscriteria (of nog onbekend)"),
    "shortlist": gettext_lazy("Op de shortlist"),
    "open": gettext_lazy("Nog niet besloten"),
    "not_invited": gettext_lazy("Niet uitgenodigd"),
    "invited": gettext_lazy("Uitgenodigd"),
    "dropped": gettext_lazy("Afgezien na de uitnodiging"),
    "registered": gettext_lazy("Aangemeld"),
}


def _steps(counts: dict) -> list[dict]:
    return [{"key": key, "label": STEP_LABELS[key], "n": counts[key]}
            for key in ("caseload", "filtered", "meets_criteria", "shortlist") if key in counts]


def _safe_next(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return redirect(target)
    return fallback


@require_http_methods(["GET", "POST"])
@role_required(roles.SELECTS_CANDIDATES)
def selection_new(request):
    """Step by step: the approach and filters (a GET, so a preview is a link and works without JavaScript), the
    funnel and the ranked shortlist, then the decision per client (a POST that records the selection)."""
    user = request.user
    data = request.POST if request.method == "POST" else request.GET
    form = SelectionForm(data if data.get("aanpak") else None, user=user)
    result, decision_errors, posted = None, [], {}
    status = 200
    if form.is_bound and form.is_valid():
        criteria = form.criteria()
        if request.method == "POST":
            shown = [int(pk) for pk in request.POST.getlist("getoond") if pk.isdigit() and len(pk) < 19]
            invite, exclude = decisions_from(request.POST, shown)
            try:
                created = selection_services.create_selection(by=user, criteria=criteria, invite=invite,
                                                              exclude=exclude)
            except ValidationError as exc:
                decision_errors = exc.messages
                posted = {pk: {"decision": request.POST.get(f"besluit-{pk}", ""),
                               "reason": request.POST.get(f"reden-{pk}", "")} for pk in shown}
                status = 400
            else:
                invited = created.invitations.filter(status=InvitationStatus.UITGENODIGD).count()
                messages.success(request, _("De selectie is vastgelegd; %(n)s cliënt(en) uitgenodigd.")
                                 % {"n": invited})
                return redirect("selection:detail", pk=created.pk)
        try:
            result = selection.select_candidates(user, criteria)
        except ValidationError as exc:
            apply_service_errors(form, exc, {"municipality": "gemeente", "approach": "aanpak", "team": "team",
                                             "segment": "klantgroep", "min_benefit_years": "jaren",
                                             "limit": "aantal"})
            result = None
    if form.is_bound and form.errors:
        status = 400
    rows = []
    if result is not None and result.shortlist:
        log_bulk_access_by_ids(user=user, client_ids=result.shown_ids, view="kandidatenselectie")
        rows = [{"item": item, "decision": posted.get(item.client_id, {}).get("decision", ""),
                 "reason": posted.get(item.client_id, {}).get("reason", ""),
                 "needs_reason": (posted.get(item.client_id, {}).get("decision") == EXCLUDE
                                  and not posted.get(item.client_id, {}).get("reason", "").strip())}
                for item in result.shortlist]
    context = {"form": form, "result": result, "rows": rows, "steps": _steps(result.counts) if result else [],
               "decision_choices": DECISION_CHOICES, "decision_errors": decision_errors,
               "team_view": user.has_role(roles.SELECTS_FOR_TEAMS)}
    template = ("matching/_selection_results.html" if request.headers.get("HX-Request") and request.method == "GET"
                else "matching/selection_new.html")
    return render(request, template, context, status=status)


@role_required(roles.SELECTS_CANDIDATES)
def selection_list(request):
    page = Paginator(selection.selections_for(request.user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "matching/selection_list.html", {"page": page})


def _rows(user, invitations) -> list[dict]:
    return [{"invitation": invitation, "form": InvitationStatusForm(auto_id=f"id_{invitation.pk}_%s"),
             "may_update": selection_services.may_update_in_scope(user, invitation),
             "choices": selection_services.next_statuses(invitation)}
            for invitation in invitations]


@role_required(roles.SELECTS_CANDIDATES)
def selection_detail(request, pk: int):
    """A recorded selection: its criteria and the funnel from caseload to registration, and every invitation of the
    user's (teams') clients with its status and the reasons shown when it was made."""
    user = request.user
    chosen = get_object_or_404(selection.selections_for(user), pk=pk)
    page = Paginator(selection.invitations_of(chosen, user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    log_bulk_access_by_ids(user=user, client_ids=[i.client_id for i in page.object_list], view="kandidatenselectie")
    funnel = [{**step, "label": STEP_LABELS[step["key"]]} for step in selection.funnel(chosen, user)]
    context = {"selection": chosen, "funnel": funnel, "page": page, "rows": _rows(user, page.object_list),
               "criteria": selection.criteria_in_words(chosen)}
    return render(request, "matching/selection_detail.html", context)


@role_required(roles.SELECTS_CANDIDATES)
def invitation_list(request):
    """The invitations of the user's own clients (a team lead: of their teams), newest first, to record what came of
    them."""
    user = request.user
    status = request.GET.get("status", "")
    if status not in InvitationStatus.values:
        status = ""
    page = Paginator(selection.invitations_for(user, status=status), PAGE_SIZE).get_page(request.GET.get("pagina"))
    log_bulk_access_by_ids(user=user, client_ids=[i.client_id for i in page.object_list], view="uitnodigingen")
    context = {"page": page, "rows": _rows(user, page.object_list), "status": status,
               "statuses": InvitationStatus.choices}
    return render(request, "matching/invitation_list.html", context)


@require_POST
@role_required(roles.SELECTS_CANDIDATES)
def invitation_update(request, pk: int):
    """Record what came of an invitation (or, for a proposal, whether to invite); back to the page it came from."""
    user = request.user
    invitation = get_object_or_404(CandidateInvitation.objects.filter(client__in=clients_for(user)).select_related(
        "client", "selection"), pk=pk)
    if not selection_services.may_update_in_scope(user, invitation):
        raise PermissionDenied
    form = InvitationStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            selection_services.update_invitation(invitation=invitation, by=user, status=form.cleaned_data["status"],
                                                 reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De status van %(name)s is nu: %(status)s.")
                             % {"name": invitation.client.display_name,
                                "status": invitation.get_status_display().lower()})
    return _safe_next(request, redirect("selection:detail", pk=invitation.selection_id))
