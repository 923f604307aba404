"""Web pages of the catalogue: search and filter, compare, what works for whom, one approach with the source of
every fact, assessment, the local offer (menukaart), own approaches, and exchange files.

Views parse a form, call one selector or service and render; the rules live in ``selectors`` and ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.accounts.scoping import visible_municipality_ids

from . import exchange, selectors, services
from . import vocabulary as v
from .forms import (
    ApproachForm,
    AssessmentForm,
    CatalogueFilterForm,
    ImportForm,
    LocalOfferForm,
    RetireForm,
    apply_service_errors,
)
from .models import Approach, LocalOffer
from .presentation import (
    COMPARE_FACTS,
    DETAIL_SECTIONS,
    assessment_view,
    fact,
    list_row,
    offered_text,
    result_lines,
    source_refs,
)

PAGE_SIZE = 50
MAX_COMPARED = 4


def _municipality_ids(request) -> list[int]:
    return visible_municipality_ids(request.user)


def _approach_or_404(slug: str) -> Approach:
    return get_object_or_404(Approach.objects.select_related("owner"), slug=slug)


def _owned_by_user(request, approach: Approach, municipality_ids=None) -> bool:
    ids = municipality_ids if municipality_ids is not None else _municipality_ids(request)
    return approach.owner_id is not None and approach.owner_id in ids


# --- Reading -------------------------------------------------------------------------------------------------------



@role_required(roles.SEES_CATALOGUE)
def approach_list(request):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.filters()
    approaches = selectors.approach_list(filters, _municipality_ids(request))
    page = Paginator(approaches, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    user = request.user
    context = {
        "form": form, "page": page, "rows": [list_row(a) for a in page.object_list], "query": query.urlencode(),
        "filters": filters, "can_export": user.has_role(roles.EXPORTS_CATALOGUE),
        "can_manage": user.has_role(roles.MANAGES_CATALOGUE), "max_compared": MAX_COMPARED,
    }
    template = "catalogue/_approach_table.html" if request.headers.get("HX-Request") else "catalogue/approach_list.html"
    return render(request, template, context)


@role_required(roles.SEES_CATALOGUE)
def compare(request):
    slugs = list(dict.fromkeys(request.GET.getlist("a")))
    approaches = selectors.compare(slugs, _municipality_ids(request))
    rows = []
    if approaches:
        latest = {a.pk: selectors.latest_assessment(a) for a in approaches}
        for key in COMPARE_FACTS:
            if key == "results":
                cells = [{"value": [" — ".join(p for p in (r["description"], r["amount"], r["period"]) if p)
                                    for r in result_lines(a)],
                          "is_list": True, "sources": source_refs(*(r.source for r in a.results.all()))}
                         for a in approaches]
                rows.append({"label": _("Resultaten"), "cells": cells})
            elif key == "assessment":
                cells = []
                for a in approaches:
                    shown = assessment_view(latest[a.pk]) if latest[a.pk] else None
                    cells.append({"value": [f"{s['dimension']}: {s['symbol']} ({s['words']})"
                                            for s in shown["scores"]] if shown else [_("Nog niet beoordeeld")],
                                  "is_list": True, "sources": []})
                rows.append({"label": _("Laatste beoordeling"), "cells": cells})
            elif key == "offered_locally":
                rows.append({"label": _("Lokaal aangeboden"),
                             "cells": [{"value": offered_text(a), "sources": []} for a in approaches]})
            else:
                cells = [fact(a, key) for a in approaches]
                rows.append({"label": cells[0]["label"], "cells": cells})
    context = {"approaches": approaches, "rows": rows, "too_many": len(slugs) > MAX_COMPARED,
               "missing": len(slugs[:MAX_COMPARED]) - len(approaches), "max_compared": MAX_COMPARED}
    return render(request, "catalogue/compare.html", context)


@role_required(roles.SEES_CATALOGUE)
def what_works(request):
    overview = selectors.what_works()
    sections = overview["target_groups"] + overview["approach_types"]
    for element in [e for section in sections for e in section["working_elements"]] + overview["general_elements"]:
        element.source_refs = source_refs(element.source)
    for step in overview["ladder_steps"]:
        step["label"] = _("Trede %(step)s") % {"step": step["key"]}
    return render(request, "catalogue/what_works.html", {"overview": overview})


def _detail_context(request, approach: Approach) -> dict:
    user = request.user
    municipality_ids = _municipality_ids(request)
    history = [assessment_view(a) for a in selectors.assessment_history(approach)]
    is_owner_admin = user.has_role(roles.MANAGES_CATALOGUE) and _owned_by_user(request, approach, municipality_ids)
    return {
        "approach": approach,
        "sections": [{"id": key, "title": title, "facts": [fact(approach, name) for name in names]}
                     for key, title, names in DETAIL_SECTIONS],
        "results": result_lines(approach),
        "effect_level": fact(approach, "effect_level"),
        "working_elements": fact(approach, "working_elements"),
        "local_working_elements": fact(approach, "local_working_elements"),
        "pitfalls": fact(approach, "pitfalls"),
        "latest": history[0] if history else None,
        "history": history,
        "dimensions": v.Dimension.labels,
        "offers": approach.offers_here,
        "can_assess": user.has_role(roles.ASSESSES_APPROACHES),
        "can_offer": user.has_role(roles.MANAGES_CATALOGUE) and approach.retired_at is None,
        "can_manage": user.has_role(roles.MANAGES_CATALOGUE),
        "is_owner_admin": is_owner_admin,
        "retire_form": RetireForm() if is_owner_admin and approach.retired_at is None else None,
    }


@role_required(roles.SEES_CATALOGUE)
def approach_detail(request, slug: str):
    try:
        approach = selectors.approach_detail(slug, _municipality_ids(request))
    except Approach.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "catalogue/approach_detail.html", _detail_context(request, approach))


# --- Assessment and local offer --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(roles.ASSESSES_APPROACHES)
def assess(request, slug: str):
    approach = _approach_or_404(slug)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_assessment(approach=approach, by=request.user, scores=form.scores(),
                                       checklist=form.checklist(), effect_level=form.cleaned_data["effect_level"],
                                       conclusion=form.cleaned_data["conclusion"])
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("De beoordeling is opgeslagen."))
            return redirect("catalogue:detail", slug=approach.slug)
    return render(request, "catalogue/assess.html", {"approach": approach, "form": form})


@require_http_methods(["GET", "POST"])
@role_required(roles.MANAGES_CATALOGUE)
def local_offer(request, slug: str):
    approach = _approach_or_404(slug)
    own = list(request.user.municipalities.order_by("name"))
    chosen = next((m for m in own if str(m.pk) == request.GET.get("gemeente")), own[0] if own else None)
    offers = {offer.municipality_id: offer for offer in LocalOffer.objects.filter(approach=approach,
                                                                                   municipality__in=own)}
    current = offers.get(chosen.pk) if chosen else None
    initial = {"municipality": chosen.pk if chosen else None}
    if current is not None:
        initial |= {name: getattr(current, name) for name in services.LOCAL_OFFER_FIELDS if name != "active"}
    # Bound on every POST, even an empty one: an unbound form has no cleaned_data to read the municipality from.
    form = LocalOfferForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
    if request.method == "POST":
        withdraw = request.POST.get("actie") == "intrekken"
        valid = form.is_valid()
        municipality = form.cleaned_data.get("municipality")
        try:
            if withdraw and municipality is not None:
                # Withdrawing needs only the municipality; half-filled terms do not stand in its way.
                services.withdraw_local_offer(approach=approach, municipality=municipality, by=request.user)
                messages.success(request, _("%(name)s wordt niet meer aangeboden in %(municipality)s.")
                                 % {"name": approach.name, "municipality": municipality.name})
                return redirect("catalogue:detail", slug=approach.slug)
            if not withdraw and valid:
                services.set_local_offer(approach=approach, municipality=municipality, values=form.values(),
                                         by=request.user)
                messages.success(request, _("Het lokale aanbod is opgeslagen."))
                return redirect("catalogue:detail", slug=approach.slug)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    context = {"approach": approach, "form": form, "current": current, "own": own, "offers": offers,
               "chosen": chosen, "several": len(own) > 1}
    return render(request, "catalogue/local_offer.html", context)


# --- Own approaches ------------------------------------------------------------------------------------------------


def _save_approach(request, form: ApproachForm, *, municipality, approach=None):
    try:
        return services.save_local_approach(entry=form.entry(), municipality=municipality, by=request.user,
                                            approach=approach)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None


@require_http_methods(["GET", "POST"])
@role_required(roles.MANAGES_CATALOGUE)
def approach_create(request):
    form = ApproachForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save_approach(request, form, municipality=form.cleaned_data["owner"])
        if saved is not None:
            messages.success(request, _("De aanpak is toegevoegd aan de catalogus."))
            return redirect("catalogue:detail", slug=saved.slug)
    return render(request, "catalogue/approach_form.html", {"form": form, "approach": None})


@require_http_methods(["GET", "POST"])
@role_required(roles.MANAGES_CATALOGUE)
def approach_edit(request, slug: str):
    approach = get_object_or_404(
        Approach.objects.select_related("owner").prefetch_related("facets", "results", "working_elements"), slug=slug)
    if not _owned_by_user(request, approach):
        # The national catalogue changes through its content files; another municipality's approach not at all.
        raise PermissionDenied
    form = ApproachForm(request.POST or None, user=request.user, approach=approach)
    if request.method == "POST" and form.is_valid():
        saved = _save_approach(request, form, municipality=approach.owner, approach=approach)
        if saved is not None:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("catalogue:detail", slug=saved.slug)
    return render(request, "catalogue/approach_form.html", {"form": form, "approach": approach})


@require_POST
@role_required(roles.MANAGES_CATALOGUE)
def retire(request, slug: str):
    """Post/redirect/get like the other actions on the detail page: a refusal comes back as a message there."""
    approach = _approach_or_404(slug)
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            services.retire_approach(approach=approach, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("De aanpak is uit de catalogus gehaald."))
            return redirect("catalogue:detail", slug=approach.slug)
    for item in form.error_links():
        messages.error(request, _("Niet uit de catalogus gehaald: %(reason)s") % {"reason": item["message"]})
    return redirect(reverse("catalogue:detail", args=[approach.slug]) + "#uit-de-catalogus-halen")


# --- Exchange files ------------------------------------------------------------------------------------------------


@role_required(roles.EXPORTS_CATALOGUE)
def export(request):
    file_format = request.GET.get("format", "json")
    if file_format not in ("json", "xlsx"):
        return HttpResponseBadRequest(_("Kies het formaat json of xlsx."))
    # The first municipality's local offer travels with the file, so a neighbour sees what is offered here.
    municipality = request.user.municipalities.order_by("pk").first()
    if file_format == "xlsx":
        response = HttpResponse(exchange.export_xlsx(municipality=municipality),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(exchange.export_json(municipality=municipality),
                                content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="kansrijk-catalogus-{stamp}.{file_format}"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(roles.MANAGES_CATALOGUE)
def import_file(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    summary = None
    dry_run = True
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            parsed = exchange.parse_catalogue_file(upload.read(), upload.name)
        except exchange.CatalogueFileError as exc:
            form.add_error("file", str(exc))
        else:
            summary = exchange.import_catalogue(parsed, municipality=form.cleaned_data["municipality"],
                                                by=request.user, dry_run=dry_run)
            if summary.ok and not dry_run:
                messages.success(request, _("Het catalogusbestand is geïmporteerd."))
    context = {"form": form, "summary": summary, "dry_run": dry_run, "filename": request.FILES.get("file")}
    return render(request, "catalogue/import.html", context)
