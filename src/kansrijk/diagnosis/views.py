"""Web pages of the diagnosis: the overview of a client's ladder steps, ZRMs, intakes and distance to the labour
market, and the forms that record them. Views parse input, call one service or selector and render; every rule
lives in ``services`` and ``selectors``. Every page looks the client up through ``clients_for`` (out of scope is a
404) and records the access."""

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
from kansrijk.core.ids import parse_id

from . import selectors, services
from .forms import (
    INTAKE_FIELDS,
    SPECIAL_FIELDS,
    DistanceForm,
    IntakeForm,
    LadderForm,
    ZrmForm,
    ZrmVersionForm,
    intake_sections_for,
)
from .instruments import LADDER_QUESTIONS, ZRM_DOMAINS, ZRM_LEVELS
from .models import DistanceClass, Intake, IntakeSpecialCategories, LadderMeasurement, ZrmMeasurement, ZrmVersion


def _correction(request, queryset):
    """The record named by ``?corrigeer=<id>``, of this client only; None without the parameter."""
    raw = request.GET.get("corrigeer")
    if not raw:
        return None
    if parse_id(raw) is None:
        raise Http404
    record = queryset.filter(pk=parse_id(raw)).first()
    if record is None:
        raise Http404
    return record


# --- Overview -------------------------------------------------------------------------------------------------------


def _display(instance, name: str) -> str:
    """An intake value in words: choices by their label, yes/no in Dutch, dates in Dutch order."""
    value = getattr(instance, name)
    if value is None or value == "":
        return ""
    field = instance._meta.get_field(name)
    if field.choices:
        return getattr(instance, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("Ja") if value else _("Nee")
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _intake_sections(intake: Intake, user) -> list[dict]:
    special = getattr(intake, "special_categories", None) if user.has_role(
        roles.SEES_HEALTH | roles.SEES_ADDICTION) else None
    sections = []
    for key, legend, names in intake_sections_for(user):
        rows = []
        for name in names:
            if name in SPECIAL_FIELDS:
                label = IntakeSpecialCategories._meta.get_field(name).verbose_name
                rows.append({"label": label, "value": getattr(special, name, "") if special else ""})
            else:
                rows.append({"label": Intake._meta.get_field(name).verbose_name, "value": _display(intake, name)})
        sections.append({"key": key, "legend": legend, "rows": rows,
                         "special": any(name in SPECIAL_FIELDS for name in names)})
    return sections


def _overview_context(request, client, distance_form=None) -> dict:
    user = request.user
    sees_special = user.has_role(roles.SEES_HEALTH | roles.SEES_ADDICTION)
    ladders = list(selectors.ladder_versions(client))
    zrms = list(selectors.zrm_versions(client))
    intakes = list(selectors.intake_versions(client, special=sees_special))
    judgement = client.distance_judgements.select_related("judged_by").first()

    for measurement in [*ladders, *zrms, *intakes]:
        measurement.correction = selectors.correction_of(measurement)
    for measurement in zrms:
        visible = dict(selectors.visible_zrm_domains(user, measurement.version))
        measurement.visible_scores = [
            {"label": visible[score.domain], "level": score.level, "name": ZRM_LEVELS[score.level]}
            for score in measurement.scores.all() if score.domain in visible]
        measurement.hidden_domains = len(ZRM_DOMAINS[measurement.version]) - len(visible)
    for intake in intakes:
        intake.sections = _intake_sections(intake, user)

    ladder = selectors.latest_current(ladders)
    zrm = selectors.latest_current(zrms)
    intake = selectors.latest_current(intakes)
    for latest in (ladder, zrm, intake):
        if latest is not None:
            latest.is_latest = True
    indicator = selectors.derive_distance(ladder, zrm, intake, judgement)
    progress = selectors.visible_progress(user, ladders, zrms)
    chart = {
        "labels": [row["date"].strftime("%d-%m-%Y") for row in progress],
        "trede": [row.get("trede") for row in progress],
        "zrm": [row.get("zrm") for row in progress],
        "tredeLabel": _("Trede Participatieladder (1–6)"),
        "zrmLabel": _("ZRM-gemiddelde (1–5)"),
    }
    can_judge = user.has_role(roles.JUDGES_DISTANCE)
    if can_judge and distance_form is None:
        distance_form = DistanceForm(initial={"distance": indicator.value})
    return {
        "client": client,
        "ladders": ladders, "zrms": zrms, "intakes": intakes,
        "ladder": ladder, "zrm": zrm, "intake": intake,
        "indicator": indicator,
        "derived_label": DistanceClass(indicator.derived).label if indicator.derived else None,
        "progress": progress, "chart": chart,
        "zrm_partial": any(m.hidden_domains for m in zrms),
        "can_record": user.has_role(roles.RECORDS_DIAGNOSIS),
        "can_judge": can_judge,
        "distance_form": distance_form,
        "levels": ZRM_LEVELS,
    }


@role_required(roles.SEES_TEAM_CLIENTS)
def overview(request, pk: int):
    client = client_or_404(request, pk)
    log_access(user=request.user, client=client, view="diagnose")
    return render(request, "diagnosis/overview.html", _overview_context(request, client))


@require_POST
@role_required(roles.JUDGES_DISTANCE)
def distance(request, pk: int):
    client = client_or_404(request, pk)
    form = DistanceForm(request.POST)
    if form.is_valid():
        try:
            services.judge_distance(client=client, by=request.user, distance=form.cleaned_data["distance"],
                                    reason=form.cleaned_data["reason"],
                                    derived=selectors.distance_indicator(client).derived or "")
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Uw oordeel over de afstand tot de arbeidsmarkt is vastgelegd."))
            return redirect("diagnosis:overview", pk=client.pk)
    # Show the overview again with the errors next to the fields, keeping what was typed.
    log_access(user=request.user, client=client, view="diagnose")
    return render(request, "diagnosis/overview.html", _overview_context(request, client, distance_form=form),
                  status=400)


# --- Participatieladder ---------------------------------------------------------------------------------------------


def _ladder_initial(measurement: LadderMeasurement | None) -> dict:
    if measurement is None:
        return {}
    steps = dict.fromkeys([measurement.step_id, *[step.pk for step in measurement.substeps.all()]])
    initial = {"steps": list(steps),
               "measured_on": measurement.measured_on, "override_reason": measurement.override_reason,
               "note": measurement.note}
    for key, _trede, _text in LADDER_QUESTIONS:
        if key in measurement.answers:
            initial[f"vraag_{key}"] = "ja" if measurement.answers[key] else "nee"
    return initial


@require_http_methods(["GET", "POST"])
@role_required(roles.RECORDS_DIAGNOSIS)
def ladder_new(request, pk: int):
    client = client_or_404(request, pk)
    corrects = _correction(request, LadderMeasurement.objects.filter(client=client))
    steps = services.steps_for(client.municipality_id)
    if request.method == "POST":
        form = LadderForm(request.POST, steps=steps)
        valid = form.is_valid()
        if request.headers.get("HX-Request"):
            # Live proposal while the questions are answered: nothing is saved.
            return render(request, "diagnosis/_ladder_proposal.html", {"proposal": form.proposal(), "live": True})
        if valid and request.POST.get("actie") != "voorstel":
            data = form.cleaned_data
            try:
                services.record_ladder(client=client, by=request.user, measured_on=data["measured_on"],
                                       step_ids=data["steps"], answers=form.answers(),
                                       override_reason=data["override_reason"], note=data["note"],
                                       corrects=corrects)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("De trede is vastgelegd."))
                return redirect("diagnosis:overview", pk=client.pk)
        # Otherwise ("Voorstel bekijken" without JavaScript, or an error): the page again, with the proposal, for
        # the professional to confirm or to give the reason for deviating.
    else:
        form = LadderForm(initial=_ladder_initial(corrects), steps=steps)
    log_access(user=request.user, client=client, view="tredemeting")
    return render(request, "diagnosis/ladder_form.html",
                  {"client": client, "form": form, "corrects": corrects, "proposal": form.proposal(),
                   "show_proposal": request.method == "POST" or corrects is not None},
                  status=400 if form.errors else 200)


# --- Zelfredzaamheidsmatrix -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(roles.RECORDS_DIAGNOSIS)
def zrm_new(request, pk: int):
    client = client_or_404(request, pk)
    corrects = _correction(request, ZrmMeasurement.objects.filter(client=client).prefetch_related("scores"))
    version = (request.POST.get("version") or request.GET.get("versie")
               or (corrects.version if corrects else ZrmVersion.ZRM_2017))
    if version not in ZRM_DOMAINS:
        version = ZrmVersion.ZRM_2017
    domains = selectors.visible_zrm_domains(request.user, version)
    # A ZRM is only complete with every domain; a role that may not see some domains cannot record one.
    incomplete = len(domains) < len(ZRM_DOMAINS[version])
    context = {"client": client, "corrects": corrects, "version": version, "incomplete": incomplete,
               "version_form": ZrmVersionForm(initial={"versie": version}), "levels": ZRM_LEVELS}
    if incomplete:
        if request.method == "POST":
            raise PermissionDenied
        log_access(user=request.user, client=client, view="zrm")
        return render(request, "diagnosis/zrm_form.html", context)
    if request.method == "POST":
        form = ZrmForm(request.POST, version=version, domains=domains)
        if form.is_valid():
            try:
                services.record_zrm(client=client, by=request.user, measured_on=form.cleaned_data["measured_on"],
                                    version=version, levels=form.levels(), note=form.cleaned_data["note"],
                                    corrects=corrects)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("De zelfredzaamheidsmatrix is vastgelegd."))
                return redirect("diagnosis:overview", pk=client.pk)
    else:
        initial = {}
        if corrects is not None and corrects.version == version:
            initial = {score.domain: score.level for score in corrects.scores.all()}
            initial.update(measured_on=corrects.measured_on, note=corrects.note)
        form = ZrmForm(initial=initial, version=version, domains=domains)
    log_access(user=request.user, client=client, view="zrm")
    context["form"] = form
    return render(request, "diagnosis/zrm_form.html", context, status=400 if form.errors else 200)


# --- Keukentafelgesprek ---------------------------------------------------------------------------------------------


def _intake_initial(intake: Intake | None, form_fields) -> dict:
    if intake is None:
        return {}
    initial = {name: getattr(intake, name) for name in INTAKE_FIELDS}
    initial["measured_on"] = intake.measured_on
    allowed = [name for name in SPECIAL_FIELDS if name in form_fields]
    special = getattr(intake, "special_categories", None) if allowed else None
    if special is not None:
        initial.update({name: getattr(special, name) for name in allowed})
    return initial


@require_http_methods(["GET", "POST"])
@role_required(roles.RECORDS_DIAGNOSIS)
def intake_new(request, pk: int):
    client = client_or_404(request, pk)
    queryset = Intake.objects.filter(client=client)
    if request.user.has_role(roles.SEES_HEALTH | roles.SEES_ADDICTION):
        queryset = queryset.select_related("special_categories")
    corrects = _correction(request, queryset)
    if request.method == "POST":
        form = IntakeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.record_intake(client=client, by=request.user, measured_on=form.cleaned_data["measured_on"],
                                       values=form.values(), special=form.special(), corrects=corrects)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Het keukentafelgesprek is vastgelegd."))
                return redirect("diagnosis:overview", pk=client.pk)
    else:
        form = IntakeForm(user=request.user)
        form.initial = _intake_initial(corrects, form.fields)
    log_access(user=request.user, client=client, view="keukentafelgesprek")
    return render(request, "diagnosis/intake_form.html", {"client": client, "form": form, "corrects": corrects},
                  status=400 if form.errors else 200)
