"""Writing employers, contacts, vacancies, job-seeker profiles, consent, proposals and placements (issue 5).

Every service checks role and scope itself, validates with Dutch messages (``ValidationError`` with a dict keyed by
field) and writes in one transaction, so nothing is half-written. Views and the API only parse input and call these.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.accounts.models import User
from kansrijk.caseload.models import Client
from kansrijk.caseload.selectors import client_detail

from ..models import (
    ConsentHow,
    Employer,
    EmployerContact,
    Instrument,
    JobSeekerProfile,
    MatchProposal,
    Placement,
    PlacementKind,
    ProfileConsent,
    ProposalStatus,
    Sector,
    Vacancy,
    VacancyInstrument,
    VacancyStatus,
)
from . import selectors

EMPLOYER_FIELDS = ("name", "kvk_number", "sector", "postcode", "place", "address", "website", "inclusive", "note",
                   "active", "account_manager")
CONTACT_FIELDS = ("name", "function", "email", "phone", "primary")
VACANCY_FIELDS = ("employer", "title", "description", "occupation", "occupation_code", "sector", "hours_min",
                  "hours_max", "postcode", "place", "public_transport", "travel_note", "education_min", "dutch_min",
                  "physical_demand", "driving_licence_required", "requirements_note", "places", "banenafspraak",
                  "opens_on", "closes_on")
PROFILE_FIELDS = ("desired_occupations", "desired_sectors", "home_postcode", "max_travel_minutes", "available_from",
                  "summary")
# The steps a proposal may take from each status; a closed proposal (hired, turned down) takes none.
NEXT_STATUS = {
    ProposalStatus.VOORGESTELD: {ProposalStatus.VOORGEDRAGEN, ProposalStatus.AFGEWEZEN},
    ProposalStatus.VOORGEDRAGEN: {ProposalStatus.GESPREK, ProposalStatus.AANGENOMEN, ProposalStatus.AFGEWEZEN},
    ProposalStatus.GESPREK: {ProposalStatus.AANGENOMEN, ProposalStatus.AFGEWEZEN},
}
# Putting a client forward to an employer shares who they are: from this status on, consent is required.
SHARED_STATUSES = frozenset({ProposalStatus.VOORGEDRAGEN, ProposalStatus.GESPREK, ProposalStatus.AANGENOMEN})
POSTCODE_LENGTHS = (4, 6)


def _require(user: User, allowed: frozenset) -> None:
    if not user.has_role(allowed):
        raise PermissionDenied


def _municipality_of(user: User, municipality) -> None:
    if municipality is None or municipality.pk not in selectors.municipality_ids(user):
        raise PermissionDenied


def _postcode(value: str) -> str:
    """A Dutch postcode as ``1234 AB`` (or the four digits only), or ValueError."""
    compact = (value or "").replace(" ", "").upper()
    if not compact:
        return ""
    if len(compact) not in POSTCODE_LENGTHS or not compact[:4].isdigit() or compact[0] == "0" or (
            len(compact) == 6 and not compact[4:].isalpha()):
        raise ValueError
    return compact if len(compact) == 4 else f"{compact[:4]} {compact[4:]}"


def _clean_postcode(data: dict, key: str, errors: dict) -> None:
    try:
        data[key] = _postcode(data.get(key, ""))
    except ValueError:
        errors[key] = "Vul een Nederlandse postcode in, bijvoorbeeld 8331 AB (of alleen de vier cijfers)."


# --- Employers ------------------------------------------------------------------------------------------------------


def save_employer(*, by: User, data: dict, employer: Employer | None = None, municipality=None) -> Employer:
    """Create (``employer`` None, in ``municipality`` or the user's only one) or update an employer. Only
    ``roles.MANAGES_EMPLOYERS`` in the employer's municipality."""
    _require(by, roles.MANAGES_EMPLOYERS)
    if employer is None:
        if municipality is None:
            owned = list(by.municipalities.all()[:2])
            municipality = owned[0] if len(owned) == 1 else None
            if municipality is None:
                raise ValidationError({"municipality": "Kies de gemeente van de werkgever."})
        _municipality_of(by, municipality)
        employer = Employer(municipality=municipality)
    else:
        _municipality_of(by, employer.municipality)
    data = {k: v for k, v in data.items() if k in EMPLOYER_FIELDS}
    errors = {}
    if not (data.get("name") or "").strip():
        errors["name"] = "Vul de naam van de werkgever in."
    kvk = (data.get("kvk_number") or "").strip()
    if kvk and (len(kvk) != 8 or not kvk.isdigit()):
        errors["kvk_number"] = "Een KvK-nummer bestaat uit acht cijfers."
    if data.get("sector") and data["sector"] not in Sector.values:
        errors["sector"] = "Kies een sector uit de lijst."
    _clean_postcode(data, "postcode", errors)
    manager = data.get("account_manager")
    if manager is not None and (not manager.has_role(roles.MANAGES_EMPLOYERS)
                                or not manager.municipalities.filter(pk=employer.municipality_id).exists()):
        errors["account_manager"] = "De accountmanager moet een werkgeversdienstverlener van deze gemeente zijn."
    if errors:
        raise ValidationError(errors)
    for key, value in data.items():
        setattr(employer, key, value.strip() if isinstance(value, str) else value)
    employer.full_clean()
    with transaction.atomic():
        employer.save()
    return employer


def save_contact(*, by: User, employer: Employer, data: dict, contact: EmployerContact | None = None
                 ) -> EmployerContact:
    """Add or change a contact person of ``employer``; one primary contact at most (a new primary takes over)."""
    _require(by, roles.MANAGES_EMPLOYERS)
    _municipality_of(by, employer.municipality)
    if contact is not None and contact.employer_id != employer.pk:
        raise PermissionDenied
    data = {k: v for k, v in data.items() if k in CONTACT_FIELDS}
    errors = {}
    if not (data.get("name") or "").strip():
        errors["name"] = "Vul de naam van de contactpersoon in."
    if not (data.get("email") or "").strip() and not (data.get("phone") or "").strip():
        errors["email"] = "Vul een e-mailadres of een telefoonnummer in."
    if errors:
        raise ValidationError(errors)
    contact = contact or EmployerContact(employer=employer)
    for key, value in data.items():
        setattr(contact, key, value.strip() if isinstance(value, str) else value)
    contact.full_clean()
    with transaction.atomic():
        if contact.primary:
            employer.contacts.exclude(pk=contact.pk).update(primary=False)
        contact.save()
    return contact


def delete_contact(*, by: User, contact: EmployerContact) -> None:
    """Remove a contact person (a business contact who left is no longer kept: data minimisation)."""
    _require(by, roles.MANAGES_EMPLOYERS)
    _municipality_of(by, contact.employer.municipality)
    contact.delete()


# --- Vacancies ------------------------------------------------------------------------------------------------------


def validate_vacancy(data: dict, instruments: list[str]) -> dict:
    """Dutch messages per field for what a vacancy may not say. Returns the errors (empty when valid)."""
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = "Vul de functie in."
    low, high = data.get("hours_min"), data.get("hours_max")
    if low is not None and high is not None and low > high:
        errors["hours_max"] = "Het maximum aantal uren moet minstens zo groot zijn als het minimum."
    for key in ("hours_min", "hours_max"):
        if data.get(key) is not None and not 0 < data[key] <= 60:
            errors[key] = "Vul een aantal uren per week tussen 1 en 60 in."
    opens, closes = data.get("opens_on"), data.get("closes_on")
    if opens and closes and closes < opens:
        errors["closes_on"] = "De sluitingsdatum kan niet voor de openingsdatum liggen."
    if data.get("places") is not None and data["places"] < 1:
        errors["places"] = "Een vacature heeft minstens één plaats."
    unknown = [i for i in instruments if i not in Instrument.values]
    if unknown:
        errors["instruments"] = "Onbekend instrument: " + ", ".join(unknown) + "."
    if data.get("banenafspraak") and Instrument.BANENAFSPRAAK not in instruments:
        instruments.append(Instrument.BANENAFSPRAAK)
    return errors


def save_vacancy(*, by: User, data: dict, instruments: list[str], vacancy: Vacancy | None = None) -> Vacancy:
    """Create or update a vacancy with the instruments the employer offers. The employer must be one of the user's
    municipalities; the vacancy belongs to the employer's municipality."""
    _require(by, roles.MANAGES_EMPLOYERS)
    data = {k: v for k, v in data.items() if k in VACANCY_FIELDS}
    instruments = list(dict.fromkeys(instruments))
    employer = data.get("employer") or (vacancy.employer if vacancy else None)
    if employer is None:
        raise ValidationError({"employer": "Kies de werkgever."})
    _municipality_of(by, employer.municipality)
    if vacancy is not None:
        _municipality_of(by, vacancy.municipality)
        if employer.municipality_id != vacancy.municipality_id:
            raise ValidationError({"employer": "Kies een werkgever uit dezelfde gemeente."})
    errors = validate_vacancy(data, instruments)
    _clean_postcode(data, "postcode", errors)
    if errors:
        raise ValidationError(errors)
    if vacancy is None:
        vacancy = Vacancy(municipality=employer.municipality, created_by=by)
        data.setdefault("opens_on", timezone.localdate())
        data.setdefault("place", employer.place)
    for key, value in data.items():
        if key == "opens_on" and value is None:
            continue
        setattr(vacancy, key, value.strip() if isinstance(value, str) else value)
    vacancy.full_clean(validate_constraints=False)
    with transaction.atomic():
        vacancy.save()
        vacancy.instruments.exclude(instrument__in=instruments).delete()
        have = set(vacancy.instruments.values_list("instrument", flat=True))
        VacancyInstrument.objects.bulk_create(
            [VacancyInstrument(vacancy=vacancy, instrument=i) for i in instruments if i not in have])
    return vacancy


def set_vacancy_status(*, by: User, vacancy: Vacancy, status: str) -> Vacancy:
    """Fill (``vervuld``), withdraw (``ingetrokken``) or reopen (``open``) a vacancy."""
    _require(by, roles.MANAGES_EMPLOYERS)
    _municipality_of(by, vacancy.municipality)
    if status not in VacancyStatus.values:
        raise ValidationError({"status": "Kies open, vervuld of ingetrokken."})
    if status == vacancy.status:
        raise ValidationError({"status": "De vacature heeft deze status al."})
    vacancy.status = status
    with transaction.atomic():
        vacancy.save(update_fields=["status", "updated_at"])
    return vacancy


# --- The client's side: profile, consent ----------------------------------------------------------------------------


def _client_in_scope(by: User, client: Client) -> None:
    if client_detail(user=by, pk=client.pk) is None:
        raise PermissionDenied


def save_profile(*, by: User, client: Client, data: dict) -> JobSeekerProfile:
    """Create or update the client's job-seeker profile (``roles.MAKES_JOB_PROFILES``, client in scope)."""
    _require(by, roles.MAKES_JOB_PROFILES)
    _client_in_scope(by, client)
    data = {k: v for k, v in data.items() if k in PROFILE_FIELDS}
    errors = {}
    _clean_postcode(data, "home_postcode", errors)
    sectors = list(dict.fromkeys(data.get("desired_sectors") or []))
    if any(s not in Sector.values for s in sectors):
        errors["desired_sectors"] = "Kies sectoren uit de lijst."
    minutes = data.get("max_travel_minutes")
    if minutes is not None and not 0 < minutes <= 240:
        errors["max_travel_minutes"] = "Vul een reistijd tussen 1 en 240 minuten in."
    if len(data.get("summary") or "") > 2000:
        errors["summary"] = "De profieltekst mag hoogstens 2000 tekens hebben."
    if errors:
        raise ValidationError(errors)
    data["desired_sectors"] = sectors
    with transaction.atomic():
        profile, _created = JobSeekerProfile.objects.select_for_update().get_or_create(client=client)
        for key, value in data.items():
            setattr(profile, key, value.strip() if isinstance(value, str) else value)
        profile.updated_by = by
        profile.save()
    return profile


def record_consent(*, by: User, client: Client, consented_on: date, how: str) -> ProfileConsent:
    """Record the client's consent (date, how) and the client manager's own approval in one action: from now on the
    employer team may see who the client is. Refused while a consent is in force, or for a future date."""
    _require(by, roles.RECORDS_CONSENT)
    _client_in_scope(by, client)
    errors = {}
    if how not in ConsentHow.values:
        errors["client_consent_how"] = "Kies hoe de cliënt toestemming gaf."
    if consented_on is None:
        errors["client_consented_on"] = "Vul de datum in waarop de cliënt toestemming gaf."
    elif consented_on > timezone.localdate():
        errors["client_consented_on"] = "De datum van de toestemming kan niet in de toekomst liggen."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Client.objects.select_for_update().filter(pk=client.pk).first()
        if ProfileConsent.objects.filter(client=client, withdrawn_at__isnull=True).exists():
            raise ValidationError({"client_consented_on": "Er is al toestemming; trek die eerst in."})
        return ProfileConsent.objects.create(client=client, client_consented_on=consented_on,
                                             client_consent_how=how, manager_consented_by=by)


def withdraw_consent(*, by: User, client: Client, note: str = "") -> ProfileConsent:
    """Withdraw the consent in force, on the client's request or the client manager's own judgement (``note``
    says which). Kept in the history; proposals already put forward stay as they were."""
    _require(by, roles.RECORDS_CONSENT)
    _client_in_scope(by, client)
    with transaction.atomic():
        consent = ProfileConsent.objects.select_for_update().filter(client=client, withdrawn_at__isnull=True).first()
        if consent is None:
            raise ValidationError({"withdrawal_note": "Er is geen toestemming om in te trekken."})
        consent.withdrawn_at, consent.withdrawn_by = timezone.now(), by
        consent.withdrawal_note = (note or "").strip()[:300]
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    return consent


# --- Proposals ------------------------------------------------------------------------------------------------------


def _may_follow(by: User, client: Client, vacancy: Vacancy) -> bool:
    """Whether ``by`` may propose ``client`` for ``vacancy``: the employer team for consented clients of the
    vacancy's municipality, the client manager for clients in scope."""
    if client.municipality_id != vacancy.municipality_id:
        return False
    if by.has_role(roles.MANAGES_EMPLOYERS):
        return vacancy.municipality_id in selectors.municipality_ids(by)
    return client_detail(user=by, pk=client.pk) is not None


def propose(*, by: User, vacancy: Vacancy, client: Client, status: str = ProposalStatus.VOORGESTELD,
            reason: str = "") -> MatchProposal:
    """Propose ``client`` for ``vacancy`` with the factors as shown now. ``voorgesteld`` is an internal suggestion
    (the employer team may suggest an anonymous candidate to the client manager); ``voorgedragen`` shares who the
    client is with the employer and needs the consent of client and client manager (refused otherwise)."""
    _require(by, roles.PROPOSES_CANDIDATES)
    if not _may_follow(by, client, vacancy):
        raise PermissionDenied
    if vacancy.status != VacancyStatus.OPEN:
        raise ValidationError({"vacancy": "De vacature is niet meer open."})
    if status not in (ProposalStatus.VOORGESTELD, ProposalStatus.VOORGEDRAGEN):
        raise ValidationError({"status": "Een nieuw voorstel is ‘voorgesteld’ of ‘voorgedragen’."})
    if status in SHARED_STATUSES and selectors.active_consent(client) is None:
        raise ValidationError({"status": "Voordragen aan de werkgever kan pas als de cliënt en de klantmanager "
                                         "allebei toestemming hebben gegeven om het profiel te delen."})
    shown = selectors.vacancy_matching_snapshot(client, vacancy)
    now = timezone.now()
    already = ValidationError({"client": "Deze kandidaat is al voorgesteld voor deze vacature."})
    if MatchProposal.objects.filter(client=client, vacancy=vacancy).exists():
        raise already
    try:
        with transaction.atomic():
            return MatchProposal.objects.create(
                vacancy=vacancy, client=client, status=status, reason=(reason or "").strip(), explanation=shown,
                history=[_step(status, by, now, reason)], created_by=by, created_at=now, updated_by=by,
                updated_at=now)
    except IntegrityError:  # proposed at the same moment by someone else: the unique constraint decided
        raise already from None


def _step(status: str, by: User, at, reason: str) -> dict:
    return {"status": status, "by": str(by), "by_id": by.pk, "at": at.isoformat(), "reason": (reason or "").strip()}


def advance_proposal(*, by: User, proposal: MatchProposal, status: str, reason: str = "") -> MatchProposal:
    """Move a proposal on (see ``NEXT_STATUS``). Turning down needs a reason; putting forward, an interview and
    hiring need active consent. Each step is added to the history with who and when."""
    _require(by, roles.PROPOSES_CANDIDATES)
    client, vacancy = proposal.client, proposal.vacancy
    if not _may_follow(by, client, vacancy):
        raise PermissionDenied
    with transaction.atomic():
        # The status as it is now, not as the page showed it: two people may move the same proposal.
        locked = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
        proposal.status, proposal.history, proposal.reason = locked.status, locked.history, locked.reason
        allowed = NEXT_STATUS.get(proposal.status, set())
        errors = {}
        if status not in allowed:
            errors["status"] = (f"Van ‘{proposal.get_status_display()}’ kan het voorstel niet naar ‘{status}’."
                                if allowed else "Dit voorstel is afgerond.")
        elif status == ProposalStatus.AFGEWEZEN and not (reason or "").strip():
            errors["reason"] = "Geef de reden van de afwijzing."
        elif status in SHARED_STATUSES and selectors.active_consent(client) is None:
            errors["status"] = ("Voordragen aan de werkgever kan pas als de cliënt en de klantmanager allebei "
                                "toestemming hebben gegeven om het profiel te delen.")
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        proposal.status, proposal.updated_by, proposal.updated_at = status, by, now
        if reason:
            proposal.reason = reason.strip()
        proposal.history = [*proposal.history, _step(status, by, now, reason)]
        proposal.save(update_fields=["status", "updated_by", "updated_at", "reason", "history"])
    return proposal


# --- Placements -----------------------------------------------------------------------------------------------------


def record_placement(*, by: User, client: Client, employer: Employer, kind: str, started_on: date,
                     vacancy: Vacancy | None = None, ended_on: date | None = None, hours_per_week: int | None = None,
                     instruments: list[str] | None = None, loonwaarde_pct: int | None = None) -> Placement:
    """Record that ``client`` was placed with ``employer``. The loonwaarde is required with loonkostensubsidie; a
    placement on a vacancy marks it filled when all its places are taken."""
    _require(by, roles.PLACES_CLIENTS)
    _client_in_scope(by, client)
    instruments = list(dict.fromkeys(instruments or []))
    errors = {}
    if employer.municipality_id != client.municipality_id:
        errors["employer"] = "Kies een werkgever uit de gemeente van de cliënt."
    if vacancy is not None and vacancy.employer_id != employer.pk:
        errors["vacancy"] = "Deze vacature hoort niet bij deze werkgever."
    if kind not in PlacementKind.values:
        errors["kind"] = "Kies de soort plaatsing."
    if started_on is None:
        errors["started_on"] = "Vul de begindatum in."
    elif ended_on is not None and ended_on < started_on:
        errors["ended_on"] = "De einddatum kan niet voor de begindatum liggen."
    if hours_per_week is not None and not 0 < hours_per_week <= 60:
        errors["hours_per_week"] = "Vul een aantal uren per week tussen 1 en 60 in."
    if any(i not in Instrument.values for i in instruments):
        errors["instruments"] = "Kies instrumenten uit de lijst."
    if Instrument.LOONKOSTENSUBSIDIE in instruments and loonwaarde_pct is None:
        errors["loonwaarde_pct"] = "Vul de vastgestelde loonwaarde in: die is verplicht bij loonkostensubsidie."
    elif loonwaarde_pct is not None and not 0 < loonwaarde_pct <= 100:
        errors["loonwaarde_pct"] = "De loonwaarde is een percentage van 1 tot en met 100."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        placement = Placement.objects.create(
            client=client, employer=employer, vacancy=vacancy, kind=kind, started_on=started_on, ended_on=ended_on,
            hours_per_week=hours_per_week, instruments=instruments, loonwaarde_pct=loonwaarde_pct, created_by=by)
        if vacancy is not None and vacancy.status == VacancyStatus.OPEN:
            taken = vacancy.placements.filter(ended_on__isnull=True).count()
            if taken >= vacancy.places:
                vacancy.status = VacancyStatus.VERVULD
                vacancy.save(update_fields=["status", "updated_at"])
    return placement


def end_placement(*, by: User, placement: Placement, ended_on: date, reason: str) -> Placement:
    """End a running placement with a date and a reason."""
    _require(by, roles.PLACES_CLIENTS)
    _client_in_scope(by, placement.client)
    errors = {}
    if placement.ended_on is not None:
        errors["ended_on"] = "Deze plaatsing is al beëindigd."
    elif ended_on is None:
        errors["ended_on"] = "Vul de einddatum in."
    elif ended_on < placement.started_on:
        errors["ended_on"] = "De einddatum kan niet voor de begindatum liggen."
    if not (reason or "").strip():
        errors["end_reason"] = "Geef de reden van het einde."
    if errors:
        raise ValidationError(errors)
    placement.ended_on, placement.end_reason = ended_on, reason.strip()[:200]
    with transaction.atomic():
        placement.save(update_fields=["ended_on", "end_reason"])
    return placement
