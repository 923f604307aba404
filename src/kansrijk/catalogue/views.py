"""Web pages of the catalogue: search and filter, compare, what works for whom, one approach with the source of
every fact, assessment, the local offer (menukaart), own approaches, and exchange files.

Views parse a form, call one selector or service and render; the rules live in ``selectors`` and ``services``.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.accounts.scoping import visible_municipality_ids

from . import content, exchange, selectors, services
from . import vocabulary as v
from .forms import (
    ANSWERS,
    SCORE_WORDS,
    ApproachForm,
    AssessmentForm,
    CatalogueFilterForm,
    ImportForm,
    LocalOfferForm,
    RetireForm,
    apply_service_errors,
)
from .models import Approach, LocalOffer

PAGE_SIZE = 50
MAX_COMPARED = 4

# --- Presenting facts with their sources -------------------------------------------------------------------------


def source_refs(*texts: str) -> list[dict]:
    """``"seed-000:L12-L15; seed-001:L3"`` → per document its title and line ranges, to show as "Bron: …".
    A reference that cannot be read (a local approach may carry free text) is shown as it is."""
    by_document: dict[str, list] = {}
    unreadable = []
    for text in texts:
        if not text:
            continue
        try:
            references = content.parse_references(text)
        except ValueError:
            unreadable.append({"title": text, "lines": ""})
            continue
        for reference in references:
            ranges = by_document.setdefault(reference.document, [])
            if (reference.start, reference.end) not in ranges:
                ranges.append((reference.start, reference.end))
    documents = content.source_documents()
    refs = []
    for key, ranges in by_document.items():
        spans = ", ".join(str(start) if start == end else f"{start}–{end}" for start, end in ranges)
        if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
            lines = _("regel %(lines)s") % {"lines": spans}
        else:
            lines = _("regels %(lines)s") % {"lines": spans}
        document = documents.get(key)
        refs.append({"title": document["title"] if document else key, "lines": lines})
    return refs + unreadable


def _number(value) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    places = 0 if value == value.to_integral() else 2 if value.as_tuple().exponent <= -2 else 1
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _yes_no(value) -> str:
    return {True: _("Ja"), False: _("Nee")}.get(value, "")


def _labels(values, choices) -> str:
    names = dict(choices)
    return ", ".join(str(names.get(value, value)) for value in values)


def _range(low, high, unit="") -> str:
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        text = _("%(low)s t/m %(high)s") % {"low": low, "high": high}
    elif low is not None:
        text = _("vanaf %(low)s") % {"low": low}
    else:
        text = _("t/m %(high)s") % {"high": high}
    return f"{text} {unit}".strip()


def _duration(a: Approach) -> str:
    weeks = _("%(n)s weken") % {"n": _number(a.duration_weeks)} if a.duration_weeks is not None else ""
    if a.duration and weeks:
        return f"{a.duration} ({weeks})"
    return a.duration or weeks


def _ladder(a: Approach) -> str:
    return ", ".join(_("trede %(step)s") % {"step": step} for step in a.ladder_steps)


# key → (label, fields whose sources apply, value, shown full width)
FACTS = {
    "municipality": (gettext_lazy("Gemeente(n)"), ("municipality",), lambda a: a.municipality, False),
    "region": (gettext_lazy("Regio"), ("region",), lambda a: a.region, False),
    "provider": (gettext_lazy("Uitvoerder"), ("provider",), lambda a: a.provider, False),
    "description": (gettext_lazy("Omschrijving"), ("description",), lambda a: a.description, True),
    "target_group_description": (gettext_lazy("Doelgroep in de woorden van de bron"),
                                 ("target_group_description",), lambda a: a.target_group_description, True),
    "goal": (gettext_lazy("Doel"), ("goal",), lambda a: a.get_goal_display() if a.goal else "", False),
    "approach_types": (gettext_lazy("Type aanpak"), ("approach_types",),
                       lambda a: _labels(a.approach_types, v.ApproachType.choices), False),
    "target_groups": (gettext_lazy("Doelgroepen"), ("target_groups",),
                      lambda a: _labels(a.target_groups, v.TargetGroup.choices), False),
    "phases": (gettext_lazy("Fasen"), ("phases",), lambda a: _labels(a.phases, v.Phase.choices), False),
    "ladder_steps": (gettext_lazy("Treden van de Participatieladder"), ("ladder_steps",), _ladder, False),
    "regimes": (gettext_lazy("Regelingen"), ("regimes",), lambda a: _labels(a.regimes, v.Regime.choices), False),
    "trede_range": (gettext_lazy("Toelating: trede"), ("trede_min", "trede_max"),
                    lambda a: _range(a.trede_min, a.trede_max), False),
    "min_hours_per_week": (gettext_lazy("Minimale belastbaarheid"), ("min_hours_per_week",),
                           lambda a: _("%(n)s uur per week") % {"n": _number(a.min_hours_per_week)}
                           if a.min_hours_per_week is not None else "", False),
    "language_level": (gettext_lazy("Taalniveau Nederlands"), ("language_level",), lambda a: a.language_level,
                       False),
    "age_range": (gettext_lazy("Leeftijd"), ("age_min", "age_max"),
                  lambda a: _range(a.age_min, a.age_max, _("jaar")), False),
    "entry_criteria": (gettext_lazy("Overige toelatingscriteria"), ("entry_criteria",), lambda a: a.entry_criteria,
                       True),
    "duration": (gettext_lazy("Duur"), ("duration", "duration_weeks"), _duration, False),
    "phases_description": (gettext_lazy("Fasen of stappen"), ("phases_description",),
                           lambda a: a.phases_description, True),
    "group_size": (gettext_lazy("Groepsgrootte"), ("group_size",), lambda a: a.group_size, False),
    "capacity": (gettext_lazy("Capaciteit"), ("capacity",),
                 lambda a: _("%(n)s plaatsen") % {"n": a.capacity} if a.capacity is not None else "", False),
    "intake_moments": (gettext_lazy("Instroommomenten"), ("intake_moments",), lambda a: a.intake_moments, False),
    "contact_frequency": (gettext_lazy("Contactfrequentie"), ("contact_frequency",), lambda a: a.contact_frequency,
                          False),
    "caseload": (gettext_lazy("Caseload"), ("caseload",), lambda a: a.caseload, False),
    "costs": (gettext_lazy("Kosten"), ("costs",), lambda a: a.costs, True),
    "cost_per_participant_eur": (gettext_lazy("Kosten per deelnemer"), ("cost_per_participant_eur",),
                                 lambda a: f"€ {_number(a.cost_per_participant_eur)}"
                                 if a.cost_per_participant_eur is not None else "", False),
    "funding": (gettext_lazy("Financiering"), ("funding",), lambda a: a.funding, True),
    "benefit_retained": (gettext_lazy("Met behoud van uitkering"), ("benefit_retained",),
                         lambda a: _yes_no(a.benefit_retained), False),
    "job_search_exemption": (gettext_lazy("Vrijstelling sollicitatieplicht"), ("job_search_exemption",),
                             lambda a: _yes_no(a.job_search_exemption), False),
    "job_guarantee": (gettext_lazy("Baangarantie"), ("job_guarantee",), lambda a: a.job_guarantee, False),
    "effect_level": (gettext_lazy("Niveau effectladder"), ("effect_level",),
                     lambda a: a.get_effect_level_display() if a.effect_level else "", False),
    "status": (gettext_lazy("Status"), ("status",), lambda a: a.get_status_display() if a.status else "", False),
    "srg_category": (gettext_lazy("SRG-voorziening (CBS)"), ("srg_category",),
                     lambda a: a.get_srg_category_display() if a.srg_category else "", False),
    "working_elements": (gettext_lazy("Werkzame elementen"), ("working_elements",),
                         lambda a: [element.label for element in a.working_elements.all()], False),
    "local_working_elements": (gettext_lazy("Eigen werkzame elementen en succesfactoren"),
                               ("local_working_elements",), lambda a: list(a.local_working_elements or []), True),
    "pitfalls": (gettext_lazy("Valkuilen en aandachtspunten"), ("pitfalls",), lambda a: list(a.pitfalls or []), True),
}

DETAIL_SECTIONS = [
    ("waar", gettext_lazy("Waar en door wie"), ["municipality", "region", "provider"]),
    ("wat", gettext_lazy("Wat de aanpak is"), ["description", "target_group_description", "goal", "approach_types",
                                               "target_groups", "phases", "ladder_steps", "regimes"]),
    ("toelating", gettext_lazy("Toelatingscriteria"), ["trede_range", "min_hours_per_week", "language_level",
                                                       "age_range", "entry_criteria"]),
    ("uitvoering", gettext_lazy("Duur en uitvoering"), ["duration", "phases_description", "group_size", "capacity",
                                                        "intake_moments", "contact_frequency", "caseload"]),
    ("kosten", gettext_lazy("Kosten en voorwaarden"), ["costs", "cost_per_participant_eur", "funding",
                                                       "benefit_retained", "job_search_exemption", "job_guarantee"]),
    ("status", gettext_lazy("Status en indeling"), ["status", "srg_category"]),
]
COMPARE_FACTS = [
    "municipality", "provider", "goal", "approach_types", "target_groups", "ladder_steps", "regimes", "trede_range",
    "min_hours_per_week", "language_level", "age_range", "entry_criteria", "duration", "group_size", "capacity",
    "intake_moments", "contact_frequency", "caseload", "costs", "cost_per_participant_eur", "benefit_retained",
    "job_search_exemption", "job_guarantee", "results", "effect_level", "assessment", "working_elements", "status",
    "offered_locally",
]  # fmt: skip


def fact(approach: Approach, key: str) -> dict:
    label, fields, value_of, wide = FACTS[key]
    refs = source_refs(*(approach.sources.get(name, "") for name in fields))
    value = value_of(approach)
    return {"key": key, "label": label, "value": value, "is_list": isinstance(value, list), "wide": wide,
            "sources": refs}


def _result_lines(approach: Approach) -> list[dict]:
    rows = []
    for result in approach.results.all():
        amount = " ".join(part for part in (_number(result.value), result.unit) if part)
        rows.append({"description": result.description, "amount": amount, "period": result.period,
                     "sources": source_refs(result.source)})
    return rows


def _assessment(assessment) -> dict:
    """One assessment with its scores in the framework's order, each score in symbol and words."""
    by_dimension = {score.dimension: score for score in assessment.scores.all()}
    answers = dict(ANSWERS)
    return {
        "assessment": assessment,
        "scores": [
            {"dimension": dimension.label, "symbol": by_dimension[dimension.value].get_score_display(),
             "words": SCORE_WORDS[by_dimension[dimension.value].score],
             "reasoning": by_dimension[dimension.value].reasoning}
            for dimension in v.Dimension if dimension.value in by_dimension
        ],
        "checklist": [
            {"question": v.Checklist(key).label if key in v.Checklist.values else key,
             "answer": answers.get(item.get("answer"), item.get("answer")), "note": item.get("note", "")}
            for key, item in (assessment.checklist or {}).items()
        ],
    }


def _offered_text(approach: Approach) -> str:
    if approach.retired_at is not None:
        return _("Nee: uit de catalogus gehaald")
    return _("Ja, in uw gemeente") if approach.offered_locally else _("Nee")


def _municipality_ids(request) -> list[int]:
    return visible_municipality_ids(request.user)


def _approach_or_404(slug: str) -> Approach:
    return get_object_or_404(Approach.objects.select_related("owner"), slug=slug)


def _owned_by_user(request, approach: Approach, municipality_ids=None) -> bool:
    ids = municipality_ids if municipality_ids is not None else _municipality_ids(request)
    return approach.owner_id is not None and approach.owner_id in ids


# --- Reading -------------------------------------------------------------------------------------------------------


def _list_row(approach: Approach) -> dict:
    return {
        "approach": approach,
        "types": _labels(approach.approach_types, v.ApproachType.choices),
        "groups": _labels(approach.target_groups, v.TargetGroup.choices),
    }


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
        "form": form, "page": page, "rows": [_list_row(a) for a in page.object_list], "query": query.urlencode(),
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
                                    for r in _result_lines(a)],
                          "is_list": True, "sources": source_refs(*(r.source for r in a.results.all()))}
                         for a in approaches]
                rows.append({"label": _("Resultaten"), "cells": cells})
            elif key == "assessment":
                cells = []
                for a in approaches:
                    shown = _assessment(latest[a.pk]) if latest[a.pk] else None
                    cells.append({"value": [f"{s['dimension']}: {s['symbol']} ({s['words']})"
                                            for s in shown["scores"]] if shown else [_("Nog niet beoordeeld")],
                                  "is_list": True, "sources": []})
                rows.append({"label": _("Laatste beoordeling"), "cells": cells})
            elif key == "offered_locally":
                rows.append({"label": _("Lokaal aangeboden"),
                             "cells": [{"value": _offered_text(a), "sources": []} for a in approaches]})
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
    history = [_assessment(a) for a in selectors.assessment_history(approach)]
    is_owner_admin = user.has_role(roles.MANAGES_CATALOGUE) and _owned_by_user(request, approach, municipality_ids)
    return {
        "approach": approach,
        "sections": [{"id": key, "title": title, "facts": [fact(approach, name) for name in names]}
                     for key, title, names in DETAIL_SECTIONS],
        "results": _result_lines(approach),
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
    form = LocalOfferForm(request.POST or None, user=request.user, initial=initial)
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
