"""Web pages of the plan van aanpak: the current plan with its versions, a new version, the client's agreement and
the printable PDF. Every page looks the client up through ``clients_for`` (out of scope is a 404) and records the
access."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.audit.services import log_access, log_bulk_access
from kansrijk.caseload.models import ReturnToBenefit
from kansrijk.caseload.selectors import clients_for
from kansrijk.caseload.views import client_or_404
from kansrijk.catalogue.forms import apply_service_errors
from kansrijk.core.ids import parse_id

from . import selectors, services
from .codes import ReferralStatus
from .forms import (
    AcceptForm,
    AftercareForm,
    AgreementForm,
    DeclineForm,
    EndForm,
    PauseForm,
    PlanForms,
    ReferralForm,
    ReportForm,
    ResumeForm,
    WithdrawForm,
)
from .models import AftercareTask
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
    """A new version, filled in from the latest (or empty for the first plan). The form carries the version it
    started from; if someone saved another version meanwhile, nothing is saved and the form comes back (409) with
    the user's input and what the other version changed."""
    client = client_or_404(request, pk)
    latest = selectors.latest_plan(client)
    if request.method == "POST":
        forms = PlanForms(request.POST)
        if forms.is_valid():
            try:
                saved = services.save_plan(client=client, by=request.user, plan=forms.plan_input(),
                                           based_on_version=forms.text.cleaned_data["based_on_version"])
            except services.PlanConflict as conflict:
                return _plan_conflict(request, client, conflict)
            except ValidationError as exc:
                forms.apply_errors(exc)
            else:
                messages.success(request,
                                 _("Versie %(n)d van het plan van aanpak is opgeslagen.") % {"n": saved.version})
                return redirect("trajectories:plan", pk=client.pk)
    else:
        forms = PlanForms(initial=selectors.as_input(latest) if latest else None,
                          based_on_version=latest.version if latest else None)
    log_access(user=request.user, client=client, view="plan_bewerken")
    return render(request, "trajectories/plan_form.html", {"client": client, "forms": forms, "latest": latest},
                  status=400 if request.method == "POST" else 200)


def _conflict_message(user, conflict: services.PlanConflict) -> str:
    latest = conflict.latest
    saved_at = timezone.localtime(latest.created_at)
    when = (_("om %(time)s") % {"time": f"{saved_at:%H:%M}"} if saved_at.date() == timezone.localdate()
            else _("op %(date)s om %(time)s") % {"date": f"{saved_at:%d-%m-%Y}", "time": f"{saved_at:%H:%M}"})
    who = (_("uzelf (in een ander venster of tabblad)") if latest.created_by_id == user.pk
           else str(latest.created_by))
    return _("Dit plan van aanpak is intussen gewijzigd door %(who)s %(when)s (versie %(version)d).") % {
        "who": who, "when": when, "version": latest.version}


def _plan_conflict(request, client, conflict: services.PlanConflict):
    """The form again with exactly what the user typed, now based on the newest version, beside what that version
    changed: they carry over what they want to keep and save again. Nothing of either person's work is lost."""
    data = request.POST.copy()
    data["based_on_version"] = str(conflict.latest.version)
    forms = PlanForms(data)
    forms.is_valid()
    versions = {plan.version: plan for plan in selectors.plan_versions(client).filter(
        version__in=[v for v in (conflict.based_on_version, conflict.latest.version) if v])}
    latest = versions[conflict.latest.version]
    log_access(user=request.user, client=client, view="plan_bewerken")
    return render(request, "trajectories/plan_form.html", {
        "client": client, "forms": forms, "latest": latest,
        "conflict": {"message": _conflict_message(request.user, conflict), "latest": latest,
                     "based_on_version": conflict.based_on_version,
                     "changes": selectors.plan_changes(versions.get(conflict.based_on_version), latest)},
    }, status=409)


@require_POST
@role_required(roles.MAKES_PLANS)
def plan_agree(request, pk: int, plan_pk: int):
    client = client_or_404(request, pk)
    version = _version_or_404(client, plan_pk)
    form = AgreementForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.record_agreement(plan=version, by=request.user, agreed_on=form.cleaned_data["agreed_on"],
                                      how=form.cleaned_data["how"], note=form.cleaned_data["note"])
        except services.PlanConflict as conflict:
            # The client would agree to an outdated version: say so, and show the newest one to agree to.
            form.add_error(None, _conflict_message(request.user, conflict) + " " + _(
                "Het akkoord is niet vastgelegd: de cliënt gaat akkoord met de nieuwste versie. Bespreek die met de "
                "cliënt en leg daar het akkoord vast."))
            status = 409
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Het akkoord van de cliënt is vastgelegd."))
            return redirect("trajectories:plan", pk=client.pk)
    # After a conflict the page shows the newest version, with the user's date and manner kept in its form.
    return _overview(request, client, shown=None if status == 409 else version, agreement_form=form, status=status)


@role_required(roles.SEES_PLANS)
def plan_pdf(request, pk: int, plan_pk: int):
    client = client_or_404(request, pk)
    version = _version_or_404(client, plan_pk)
    log_access(user=request.user, client=client, view="plan_pdf")
    response = HttpResponse(render_plan(version), content_type="application/pdf")
    response["Content-Disposition"] = (f'inline; filename="plan-van-aanpak-{client.client_number}-'
                                       f'v{version.version}.pdf"')
    return response


# --- Referrals and trajectories -------------------------------------------------------------------------------------
#
# The client manager's pages hang under the client (/klanten/<pk>/trajecten/); the pages a provider shares with the
# client manager (one referral, one trajectory) live under /trajecten/ and look the record up through
# ``referrals_visible_to`` / ``trajectories_visible_to``: what is not the user's is a 404.


def _log(request, client, view: str) -> None:
    # A provider reaches only the clients referred to it: that is its own work, not a look outside it.
    provider = request.user.has_role(roles.DELIVERS_TRAJECTORIES)
    log_access(user=request.user, client=client, view=view, outside=False if provider else None)


def _client_page(request, client, *, aftercare_forms=None, status=200):
    referrals = selectors.client_referrals(client)
    aftercare = selectors.client_aftercare(client)
    can_follow = request.user.has_role(roles.FOLLOWS_AFTERCARE)
    aftercare_forms = aftercare_forms or {}
    for task in aftercare:
        task.form = aftercare_forms.get(task.pk) or (AftercareForm(prefix=f"nazorg-{task.pk}")
                                                     if can_follow and task.done_on is None else None)
    log_access(user=request.user, client=client, view="trajecten")
    return render(request, "trajectories/client_trajectories.html", {
        "client": client, "referrals": referrals, "aftercare": aftercare,
        "returns": list(ReturnToBenefit.objects.filter(client=client)),
        "can_refer": request.user.has_role(roles.REFERS_CLIENTS), "today": timezone.localdate(),
    }, status=status)


@role_required(roles.SEES_TRAJECTORIES)
def client_trajectories(request, pk: int):
    return _client_page(request, client_or_404(request, pk))


@require_http_methods(["GET", "POST"])
@role_required(roles.REFERS_CLIENTS)
def referral_new(request, pk: int):
    client = client_or_404(request, pk)
    latest = selectors.latest_plan(client)
    form = ReferralForm(request.POST or None, client=client, providers=selectors.providers_for(client),
                        goals=list(latest.goals.all()) if latest else [])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.refer(client=client, by=request.user, approach=data["local_offer"].approach,
                                      local_offer=data["local_offer"], provider=data["provider"],
                                      question=data["question"], shared_items=data["shared_items"],
                                      goal_ids=data.get("goals") or [])
        except ValidationError as exc:
            apply_service_errors(form, exc, field_map={"approach": "local_offer"})
        else:
            messages.success(request, _("%(name)s is verwezen naar %(provider)s.")
                             % {"name": client.display_name, "provider": referral.provider})
            return redirect("trajectories:client-trajectories", pk=client.pk)
    log_access(user=request.user, client=client, view="verwijzen")
    return render(request, "trajectories/referral_form.html", {"client": client, "form": form},
                  status=400 if request.method == "POST" else 200)


@role_required(roles.DELIVERS_TRAJECTORIES)
def provider_home(request):
    """The provider's landing page: new referrals awaiting a terugmelding, and its running trajectories."""
    work = selectors.provider_work(request.user)
    clients = [r.client for r in work["open_referrals"]] + [t.client for t in work["running"]]
    log_bulk_access(user=request.user, clients={c.pk: c for c in clients}.values(), view="aanmeldingen",
                    outside=False)
    return render(request, "trajectories/provider_home.html", {
        **work, "provider": services.provider_of(request.user)})


def _referral_or_404(request, pk: int):
    referral = selectors.referral_list(selectors.referrals_visible_to(request.user)).filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def _referral_page(request, referral, *, accept_form=None, decline_form=None, withdraw_form=None, status=200):
    user = request.user
    answerable = referral.status == ReferralStatus.VERWEZEN
    if answerable and user.has_role(roles.DELIVERS_TRAJECTORIES):
        accept_form = accept_form or AcceptForm(initial={
            "srg_provision": referral.approach.srg_category or "overige"})
        decline_form = decline_form or DeclineForm()
    if answerable and user.has_role(roles.REFERS_CLIENTS):
        withdraw_form = withdraw_form or WithdrawForm()
    _log(request, referral.client, "verwijzing")
    return render(request, "trajectories/referral_detail.html", {
        "referral": referral, "accept_form": accept_form, "decline_form": decline_form,
        "withdraw_form": withdraw_form, "is_provider": user.has_role(roles.DELIVERS_TRAJECTORIES),
        "trajectory": getattr(referral, "trajectory", None) if referral.status == ReferralStatus.GEACCEPTEERD
        else None,
    }, status=status)


@role_required(roles.SEES_REFERRALS)
def referral_detail(request, pk: int):
    return _referral_page(request, _referral_or_404(request, pk))


@require_POST
@role_required(roles.DELIVERS_TRAJECTORIES)
def referral_accept(request, pk: int):
    referral = _referral_or_404(request, pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            trajectory = services.accept_referral(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc, field_map={"status": None})
        else:
            messages.success(request, _("De verwijzing is geaccepteerd; het traject is aangemaakt."))
            return redirect("referrals:trajectory-detail", pk=trajectory.pk)
    return _referral_page(request, referral, accept_form=form, status=400)


@require_POST
@role_required(roles.DELIVERS_TRAJECTORIES)
def referral_decline(request, pk: int):
    referral = _referral_or_404(request, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline_referral(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc, field_map={"status": None})
        else:
            messages.success(request, _("De afwijzing is teruggemeld aan de klantmanager."))
            return redirect("referrals:provider-home")
    return _referral_page(request, referral, decline_form=form, status=400)


@require_POST
@role_required(roles.REFERS_CLIENTS)
def referral_withdraw(request, pk: int):
    referral = _referral_or_404(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_referral(referral=referral, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc, field_map={"status": None})
        else:
            messages.success(request, _("De verwijzing is ingetrokken."))
            return redirect("trajectories:client-trajectories", pk=referral.client_id)
    return _referral_page(request, referral, withdraw_form=form, status=400)


def _trajectory_or_404(request, pk: int):
    trajectory = selectors.trajectory_detail(selectors.trajectories_visible_to(request.user)).filter(pk=pk).first()
    if trajectory is None:
        raise Http404
    return trajectory


def _report_goals(trajectory, user):
    from .models import PlanGoal

    ids = services.reportable_goal_ids(trajectory, user)
    return list(PlanGoal.objects.filter(pk__in=ids).order_by("plan__version", "position")) if ids else []


def _trajectory_page(request, trajectory, *, forms=None, status=200):
    user = request.user
    forms = forms or {}
    reports = list(trajectory.reports.all())
    goal_ids = selectors.readable_goal_ids(user, trajectory)
    for report in reports:
        report.lines = selectors.readable_goal_lines(report, goal_ids)
    context = {"trajectory": trajectory, "referral": trajectory.referral,
               "is_provider": user.has_role(roles.DELIVERS_TRAJECTORIES),
               "reports": reports, "pauses": list(trajectory.pauses.all()),
               "aftercare": list(trajectory.aftercare_tasks.all())}
    if user.has_role(roles.RECORDS_TRAJECTORY_PROGRESS) and not trajectory.is_ended:
        open_pause = next((p for p in context["pauses"] if p.until is None), None)
        context.update(
            report_form=forms.get("report") or ReportForm(goals=_report_goals(trajectory, user)),
            pause_form=None if open_pause else (forms.get("pause") or PauseForm()),
            resume_form=(forms.get("resume") or ResumeForm()) if open_pause else None,
            open_pause=open_pause,
            end_form=forms.get("end") or EndForm())
    _log(request, trajectory.client, "traject")
    return render(request, "trajectories/trajectory_detail.html", context, status=status)


@role_required(roles.SEES_REFERRALS)
def trajectory_detail(request, pk: int):
    return _trajectory_page(request, _trajectory_or_404(request, pk))


def _trajectory_post(request, pk, key, form_class, call, success, **form_kwargs):
    trajectory = _trajectory_or_404(request, pk)
    if key == "report":
        form_kwargs["goals"] = _report_goals(trajectory, request.user)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            call(trajectory, form)
        except ValidationError as exc:
            if hasattr(form, "apply_errors"):
                form.apply_errors(exc)
            else:
                apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("referrals:trajectory-detail", pk=trajectory.pk)
    return _trajectory_page(request, trajectory, forms={key: form}, status=400)


@require_POST
@role_required(roles.RECORDS_TRAJECTORY_PROGRESS)
def trajectory_report(request, pk: int):
    return _trajectory_post(
        request, pk, "report", ReportForm,
        lambda t, f: services.record_report(trajectory=t, by=request.user, report=f.report_input()),
        _("De rapportage is opgeslagen."))


@require_POST
@role_required(roles.RECORDS_TRAJECTORY_PROGRESS)
def trajectory_pause(request, pk: int):
    return _trajectory_post(
        request, pk, "pause", PauseForm,
        lambda t, f: services.pause_trajectory(trajectory=t, by=request.user, **f.cleaned_data),
        _("De pauze is vastgelegd."))


@require_POST
@role_required(roles.RECORDS_TRAJECTORY_PROGRESS)
def trajectory_resume(request, pk: int):
    return _trajectory_post(
        request, pk, "resume", ResumeForm,
        lambda t, f: services.resume_trajectory(trajectory=t, by=request.user, until=f.cleaned_data["until"]),
        _("Het traject loopt weer."))


@require_POST
@role_required(roles.RECORDS_TRAJECTORY_PROGRESS)
def trajectory_end(request, pk: int):
    return _trajectory_post(
        request, pk, "end", EndForm,
        lambda t, f: services.end_trajectory(trajectory=t, by=request.user, **f.cleaned_data),
        _("Het traject is beëindigd."))


@require_POST
@role_required(roles.FOLLOWS_AFTERCARE)
def aftercare_done(request, pk: int):
    task = AftercareTask.objects.filter(pk=pk, client__in=clients_for(request.user)).first()
    if task is None:
        raise Http404
    form = AftercareForm(request.POST, prefix=f"nazorg-{task.pk}")
    if form.is_valid():
        try:
            services.complete_aftercare(task=task, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Het nazorgcontact is vastgelegd."))
            return redirect("trajectories:client-trajectories", pk=task.client_id)
    client = client_or_404(request, task.client_id)
    return _client_page(request, client, aftercare_forms={task.pk: form}, status=400)
