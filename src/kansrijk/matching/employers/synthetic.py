"""Demo employers, vacancies, job-seeker profiles, consents, proposals and placements (issue 5). Fictitious
organisations and contacts (``.example`` addresses); clients are the synthetic caseload. Set-wise inserts, so
``load_demo`` stays fast."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kansrijk.accounts.models import Municipality, User
from kansrijk.accounts.roles import Role
from kansrijk.caseload.models import Client
from kansrijk.diagnosis.models import LadderMeasurement
from kansrijk.diagnosis.selectors import current

from ..models import (
    ConsentHow,
    Employer,
    EmployerContact,
    JobSeekerProfile,
    MatchProposal,
    Placement,
    PlacementKind,
    ProfileConsent,
    ProposalStatus,
    Vacancy,
    VacancyInstrument,
    VacancyStatus,
)

# (sector, share, name parts, vacancies: (title, occupation, hours_min, hours_max, dutch, education, physical, licence))
SECTORS = [
    ("zorg_welzijn", 0.18, ["Zorggroep", "Thuiszorg", "Woonzorgcentrum", "Kinderopvang"],
     [("Helpende zorg en welzijn", "Helpende", 16, 32, "B1", "vmbo", "middel", False),
      ("Huishoudelijke hulp thuiszorg", "Huishoudelijk medewerker", 12, 24, "A2", "", "middel", False),
      ("Medewerker maaltijdservice zorg", "Bezorger maaltijden", 12, 20, "A2", "", "licht", True)]),
    ("logistiek", 0.15, ["Transport", "Distributiecentrum", "Logistiek", "Koeriers"],
     [("Orderpicker magazijn", "Magazijnmedewerker", 24, 38, "A2", "", "zwaar", False),
      ("Chauffeur bestelbus", "Chauffeur", 32, 40, "A2", "", "middel", True),
      ("Heftruckchauffeur", "Heftruckchauffeur", 32, 40, "A2", "vmbo", "middel", False)]),
    ("techniek", 0.14, ["Installatiebedrijf", "Metaalwerk", "Bouwbedrijf", "Techniek"],
     [("Assemblagemedewerker techniek", "Productiemedewerker", 24, 40, "A2", "", "middel", False),
      ("Leerling monteur installatietechniek", "Monteur", 32, 40, "B1", "vmbo", "middel", True)]),
    ("handel", 0.13, ["Supermarkt", "Bouwmarkt", "Kringloopwinkel", "Tuincentrum"],
     [("Vakkenvuller winkel", "Vakkenvuller", 12, 24, "A2", "", "middel", False),
      ("Kassamedewerker winkel", "Verkoopmedewerker", 16, 32, "B1", "", "licht", False)]),
    ("horeca", 0.10, ["Restaurant", "Hotel", "Eetcafé", "Lunchroom"],
     [("Afwasser keuken horeca", "Keukenhulp", 12, 32, "A1", "", "middel", False),
      ("Bediening horeca", "Serveerster", 16, 32, "B1", "", "middel", False)]),
    ("schoonmaak", 0.10, ["Schoonmaakbedrijf", "Facilitaire Diensten", "Glazenwasserij"],
     [("Schoonmaakmedewerker kantoren", "Schoonmaker", 12, 25, "A1", "", "middel", False)]),
    ("groen", 0.08, ["Hoveniersbedrijf", "Kwekerij", "Groenvoorziening"],
     [("Medewerker groenonderhoud", "Hovenier", 24, 38, "A1", "", "zwaar", False)]),
    ("zakelijk", 0.07, ["Administratiekantoor", "Beveiliging", "Klantcontactcentrum"],
     [("Medewerker klantenservice", "Klantenservicemedewerker", 20, 36, "B2", "mbo", "licht", False),
      ("Beveiliger evenementen", "Beveiliger", 16, 32, "B1", "mbo", "middel", False)]),
    ("overheid", 0.05, ["Gemeentewerken", "Scholengemeenschap"],
     [("Conciërge", "Conciërge", 20, 36, "B1", "vmbo", "middel", False)]),
]
SUFFIXES = ["De Linde", "Noorderhaven", "Het Anker", "De Brug", "Zonnehoek", "Vechtdal", "De Eik", "Middenweg",
            "Kop van Overijssel", "Weerribben", "Het Veld", "De Meent", "Oosterpoort", "De Hoven", "Giethoorn-Zuid"]
FORMS = ["B.V.", "", "V.O.F.", "Stichting"]
PLACES = [("Voorbeeldstad", "8331"), ("Voorbeeldstad", "8332"), ("Voorbeeldstad", "8333"), ("Oosterveen", "8341"),
          ("Havelte-Oost", "7971"), ("Zwartewater", "8061")]
CONTACT_NAMES = ["J. de Vries", "M. Bakker", "S. Yilmaz", "A. Visser", "R. Smit", "F. El Amrani", "L. Mulder",
                 "K. de Boer", "N. Jansen", "P. Hoekstra"]
CONTACT_FUNCTIONS = ["Bedrijfsleider", "HR-adviseur", "Eigenaar", "Teamleider", "Vestigingsmanager"]
OCCUPATION_WISHES = ["Helpende zorg", "Orderpicker", "Chauffeur", "Vakkenvuller", "Schoonmaker", "Keukenhulp",
                     "Productiemedewerker", "Hovenier", "Klantenservicemedewerker", "Huishoudelijk medewerker"]
END_REASONS = ["Contract niet verlengd", "Vaste baan elders", "Proefplaatsing afgerond, in dienst genomen",
               "Gestopt op eigen verzoek", "Werk paste niet bij de belastbaarheid"]
REJECTIONS = ["Werkgever koos een andere kandidaat", "Cliënt zag af van de functie", "Reistijd bleek te lang"]
EMPLOYERS = 60
VACANCIES = 150


def write_demo_employers(municipality: Municipality, *, seed: int = 0, today: date | None = None) -> dict | None:
    """Employers with contacts and vacancies over the last year, job-seeker profiles for part of the clients at
    trede 3 or higher, consents for some, proposals and placements. None when the municipality has employers."""
    if Employer.objects.filter(municipality=municipality).exists():
        return None
    today = today or timezone.localdate()
    rng = random.Random(seed + 5)
    account_manager = User.objects.filter(role=Role.WERKGEVERSDIENSTVERLENER, municipalities=municipality).first()
    with transaction.atomic():
        employers, kinds = [], []
        names = set()
        for number in range(EMPLOYERS):
            sector = rng.choices(SECTORS, weights=[s[1] for s in SECTORS])[0]
            name = f"{rng.choice(sector[2])} {rng.choice(SUFFIXES)} {rng.choice(FORMS)}".strip()
            while name in names:
                name = f"{name} {number}"
            names.add(name)
            place, postcode = rng.choice(PLACES)
            employers.append(Employer(
                municipality=municipality, name=name, kvk_number=f"{rng.randint(10_000_000, 99_999_999)}",
                sector=sector[0], postcode=f"{postcode} {rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}",
                place=place, website=f"https://werkgever{number + 1}.example", inclusive=rng.random() < 0.3,
                account_manager=account_manager))
            kinds.append(sector)
        employers = Employer.objects.bulk_create(employers)
        EmployerContact.objects.bulk_create(
            EmployerContact(employer=e, name=rng.choice(CONTACT_NAMES), function=rng.choice(CONTACT_FUNCTIONS),
                            email=f"contact{e.pk}@werkgever.example", phone=f"0521-{rng.randint(100000, 999999)}",
                            primary=True) for e in employers)

        vacancies, offered = [], []
        for _number in range(VACANCIES):
            index = rng.randrange(len(employers))
            employer, sector = employers[index], kinds[index]
            title, occupation, low, high, dutch, education, physical, licence = rng.choice(sector[3])
            opens = today - timedelta(days=int(rng.random() ** 1.5 * 365))
            age = (today - opens).days
            status = VacancyStatus.OPEN if age < 60 else rng.choices(
                [VacancyStatus.VERVULD, VacancyStatus.INGETROKKEN, VacancyStatus.OPEN], [6, 2, 1])[0]
            instruments = rng.sample(["loonkostensubsidie", "proefplaatsing", "jobcoach", "werkplekaanpassing",
                                      "no_riskpolis"], rng.randint(0, 3))
            banenafspraak = employer.inclusive and rng.random() < 0.4
            if banenafspraak:
                instruments.append("banenafspraak")
            vacancies.append(Vacancy(
                municipality=municipality, employer=employer, title=title, occupation=occupation, sector=sector[0],
                description=f"{title} bij {employer.name}. Inwerken samen met een vaste collega.",
                hours_min=low, hours_max=high, postcode=employer.postcode[:4], place=employer.place,
                public_transport=rng.random() < 0.8, dutch_min=dutch, education_min=education,
                physical_demand=physical, driving_licence_required=licence, places=rng.choice([1, 1, 1, 2, 3]),
                banenafspraak=banenafspraak, opens_on=opens,
                closes_on=opens + timedelta(days=rng.choice([30, 60, 90])) if rng.random() < 0.5 else None,
                status=status, created_by=account_manager))
            offered.append(instruments)
        vacancies = Vacancy.objects.bulk_create(vacancies)
        VacancyInstrument.objects.bulk_create(
            VacancyInstrument(vacancy=v, instrument=i) for v, chosen in zip(vacancies, offered, strict=True)
            for i in chosen)

        trede = current(LadderMeasurement.objects.filter(client=OuterRef("pk"))).order_by("-measured_on", "-id")
        seekers = list(Client.objects.filter(municipality=municipality, active_spell_start__isnull=False,
                                             client_manager__isnull=False)
                       .annotate(trede=Subquery(trede.values("trede")[:1])).filter(trede__gte=3)
                       .order_by("pk").values_list("pk", "client_manager_id"))
        seekers = [s for s in seekers if rng.random() < 0.6]
        profiles = [JobSeekerProfile(
            client_id=client_id, desired_occupations="\n".join(rng.sample(OCCUPATION_WISHES, rng.randint(1, 2))),
            desired_sectors=rng.sample([s[0] for s in SECTORS], rng.randint(0, 2)),
            home_postcode=f"{rng.choice(PLACES)[1]} {rng.choice('KLMNPR')}{rng.choice('STVWXZ')}",
            max_travel_minutes=rng.choice([None, 20, 30, 45, 60]),
            available_from=today + timedelta(days=rng.randint(7, 60)) if rng.random() < 0.1 else None,
            summary="Betrouwbaar en leergierig; zoekt werk met vaste collega's.", updated_by_id=manager)
            for client_id, manager in seekers]
        JobSeekerProfile.objects.bulk_create(profiles, batch_size=1000)
        consented = [(client_id, manager) for client_id, manager in seekers if rng.random() < 0.45]
        consents = []
        for client_id, manager in consented:
            given = today - timedelta(days=rng.randint(1, 300))
            withdrawn = rng.random() < 0.08
            consents.append(ProfileConsent(
                client_id=client_id, client_consented_on=given, client_consent_how=rng.choice(ConsentHow.values),
                manager_consented_by_id=manager, manager_consented_at=timezone.now() - timedelta(days=(today - given)
                                                                                                  .days),
                withdrawn_at=timezone.now() - timedelta(days=rng.randint(0, 30)) if withdrawn else None,
                withdrawn_by_id=manager if withdrawn else None,
                withdrawal_note="Cliënt wil het profiel niet meer delen." if withdrawn else ""))
        ProfileConsent.objects.bulk_create(consents, batch_size=1000)
        active_consent = {c.client_id for c in consents if c.withdrawn_at is None}

        placements, proposals = [], []
        placed = set()
        filled = [v for v in vacancies if v.status == VacancyStatus.VERVULD]
        candidates = [s for s in seekers if s[0] in active_consent]
        rng.shuffle(candidates)
        for vacancy in filled:
            for _place in range(vacancy.places):
                if not candidates:
                    break
                client_id, manager = candidates.pop()
                placed.add(client_id)
                started = min(today, vacancy.opens_on + timedelta(days=rng.randint(14, 60)))
                instruments = [i for i in offered[vacancies.index(vacancy)] if i != "no_riskpolis"]
                ended = started + timedelta(days=rng.randint(60, 240)) if rng.random() < 0.3 else None
                placements.append(Placement(
                    client_id=client_id, employer=vacancy.employer, vacancy=vacancy,
                    kind=PlacementKind.PROEFPLAATSING if "proefplaatsing" in instruments else rng.choice(
                        [PlacementKind.TIJDELIJK, PlacementKind.TIJDELIJK, PlacementKind.VAST]),
                    started_on=started, ended_on=ended if ended and ended < today else None,
                    end_reason=rng.choice(END_REASONS) if ended and ended < today else "",
                    hours_per_week=rng.randint(vacancy.hours_min, vacancy.hours_max),
                    loonwaarde_pct=rng.randint(40, 90) if "loonkostensubsidie" in instruments else None,
                    instruments=instruments, created_by_id=manager))
                proposals.append(_proposal(vacancy, client_id, manager, ProposalStatus.AANGENOMEN, rng, today))
        # Placements without a vacancy: work found through the employer network, not advertised.
        for client_id, manager in [s for s in seekers if s[0] in active_consent and s[0] not in placed][:120]:
            employer = rng.choice(employers)
            started = today - timedelta(days=rng.randint(10, 330))
            placements.append(Placement(
                client_id=client_id, employer=employer, kind=rng.choice(PlacementKind.values), started_on=started,
                hours_per_week=rng.randint(12, 32), instruments=["jobcoach"] if rng.random() < 0.4 else [],
                created_by_id=manager))
            placed.add(client_id)
        Placement.objects.bulk_create(placements, batch_size=1000)
        open_now = [v for v in vacancies if v.status == VacancyStatus.OPEN]
        pending = [s for s in seekers if s[0] not in placed]
        for vacancy in open_now:
            for client_id, manager in rng.sample(pending, min(len(pending), rng.randint(0, 3))):
                status = rng.choice([ProposalStatus.VOORGESTELD, ProposalStatus.AFGEWEZEN]
                                    + ([ProposalStatus.VOORGEDRAGEN, ProposalStatus.GESPREK]
                                       if client_id in active_consent else []))
                proposals.append(_proposal(vacancy, client_id, manager, status, rng, today))
        unique = {(p.vacancy_id, p.client_id): p for p in proposals}
        MatchProposal.objects.bulk_create(unique.values(), batch_size=1000)
    return {"employers": len(employers), "vacancies": len(vacancies), "profiles": len(profiles),
            "consents": len(consents), "placements": len(placements), "proposals": len(unique)}


def _proposal(vacancy, client_id, manager, status, rng, today) -> MatchProposal:
    at = timezone.now() - timedelta(days=max(0, (today - vacancy.opens_on).days - rng.randint(0, 10)))
    reason = rng.choice(REJECTIONS) if status == ProposalStatus.AFGEWEZEN else ""
    steps = {ProposalStatus.VOORGESTELD: [ProposalStatus.VOORGESTELD],
             ProposalStatus.VOORGEDRAGEN: [ProposalStatus.VOORGESTELD, ProposalStatus.VOORGEDRAGEN],
             ProposalStatus.GESPREK: [ProposalStatus.VOORGESTELD, ProposalStatus.VOORGEDRAGEN,
                                      ProposalStatus.GESPREK],
             ProposalStatus.AANGENOMEN: [ProposalStatus.VOORGESTELD, ProposalStatus.VOORGEDRAGEN,
                                         ProposalStatus.AANGENOMEN],
             ProposalStatus.AFGEWEZEN: [ProposalStatus.VOORGESTELD, ProposalStatus.AFGEWEZEN]}[status]
    history = [{"status": s, "by": "demo", "by_id": manager, "at": at.isoformat(), "reason": reason if s == status
                else ""} for s in steps]
    return MatchProposal(vacancy=vacancy, client_id=client_id, status=status, reason=reason, history=history,
                         explanation={"vacancy": vacancy.pk, "note": "demo"}, created_by_id=manager, created_at=at,
                         updated_by_id=manager, updated_at=at)
