"""Synthetic diagnosis and contact histories for the demo municipality (``kansrijk load_demo``), and its demo
configuration: Heemskerk's sub-steps, two contact rhythms and Steenwijkerland's six client groups.

One module for both apps' demo data (ladder, ZRM, intakes and distance judgements are diagnosis records; contacts and
client groups are in-view records): they are drawn together, because a client's contacts, measurements and group
belong to one story.

Deterministic: everything is drawn from one ``random.Random(seed)`` over the clients in id order, relative to
``today``; the same caseload, seed and date give the same records. Written in bulk (``bulk_create`` with a batch
size), not record by record through the services: the demo's starting state is not something a professional did,
and the services' per-record checks would make it slow. Nobody in it is a real person.

Calibration — loose, for a demo that looks like a real caseload (BRIEF §1, §3; assumptions marked):

* **About a third never diagnosed** (no trede, no ZRM): municipalities "do not know their caseload" (seed 000 §2.5);
  Den Haag and Zaanstad started by talking to every long-term client because many had never been assessed.
  Assumption: 33%, a little more among clients who have left benefit.
* **Most long-term clients on trede 1–3**: the research describes long-term recipients as mostly far from work
  (BRIEF §1). Assumption, weights for 1–6: long-term 22/33/25/12/7/1%, under two years 8/20/27/22/18/5%.
* **Re-measured**: 45% of the diagnosed have two or three ladder measurements six to twelve months apart, usually a
  step lower before (progress shows only by repetition, BRIEF §3.6). The latest is 5–1000 days old, most often about
  two months (so a good share is older than twelve months: *diagnose verouderd*).
* **ZRM for about half of all clients** (three quarters of the diagnosed); the 2017 version, the older 11-domain
  version for a part of the measurements older than two years. Levels cluster around the client's trede.
* **Sub-steps**: Voorbeeldstad has adopted Heemskerk's 1 "Rust" and 2.1–2.6, so trede 1 and 2 are recorded as those;
  a quarter of trede-2 measurements record two sub-steps at once (the highest counts).
* **Question flow**: half of the ladder measurements were made with the questions; 5% of those deviate from the
  proposal, with a reason. 1% of the measurements were corrected later (a second record naming the first).
* **Intakes** for 40% of the diagnosed; 12% of them with an exemption from the work obligations, some of which
  expire within a month or have expired. Health notes (special categories) on 30% of the intakes.
* **Contacts**: of long-term clients (2+ years) 40% had no contact in the last year and 15% never had one recorded
  (assumption, in line with "gemeenten kennen hun bestand niet"); shorter spells are seen more often and more
  recently. One to eight contacts over the last three years. Channels: in person 35%, phone 30%, message 20%, home
  visit 8%, video 7%; confidentiality: work and income 70%, social 25%, confidential 5% (assumptions). A third of the
  last contacts agreed a follow-up.
* **Client groups**: 70% of the diagnosed are placed in one of Steenwijkerland's six groups, led by their trede.
* Clients without a client manager (new from the import) have no history yet.
* **A review campaign** (*doorlichting*) of the team lead's team, started six weeks ago: long-term clients without
  contact in the last year. 65% of the invitations are sent; 70% of those were reached (a contact since), mostly face
  to face, and 60% of the reached were diagnosed again (assumptions; Den Haag reviewed 18,000 clients this way).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kansrijk.accounts.models import Municipality
from kansrijk.caseload.models import Client
from kansrijk.diagnosis.instruments import ZRM_DOMAINS, propose_trede
from kansrijk.diagnosis.models import (
    DistanceJudgement,
    Intake,
    IntakeSpecialCategories,
    LadderMeasurement,
    LadderStep,
    ZrmMeasurement,
    ZrmScore,
)
from kansrijk.diagnosis.services import adopt_example_substeps, steps_for

from .models import Campaign, ClientSegment, Contact, ContactRhythmRule, Segment, Segmentation
from .selectors import CampaignCriteria

BATCH = 1000

RHYTHM_RULES = [
    # (name, interval in days, conditions)
    ("Langdurig: minstens eens per jaar", 365, {"min_benefit_years": 2}),
    ("Trede 1–2: elk kwartaal", 91, {"trede_min": 1, "trede_max": 2}),
]
SEGMENTATION = "Klantgroepen (Steenwijkerland-model)"
SEGMENTS = [
    ("Direct werk", "Kan direct aan het werk; bemiddeling naar een vacature."),
    ("Werken en ervaren", "Doet werkervaring op, bijvoorbeeld met een proefplaatsing of werkervaringsplaats."),
    ("Leren en ontwikkelen", "Werkt aan vaardigheden, taal of een opleiding."),
    ("Zorg", "Eerst stabiliseren: gezondheid, schulden, wonen; zorg en welzijn voorop."),
    ("Werkvoorzienend", "Werkt met blijvende ondersteuning, zoals beschut werk of loonkostensubsidie."),
    ("Geplaatst", "Aan het werk, met nazorg."),
]
# The client groups a trede most often leads to (first choice 70%).
SEGMENT_BY_TREDE = {1: ("Zorg", "Leren en ontwikkelen"), 2: ("Zorg", "Leren en ontwikkelen"),
                    3: ("Leren en ontwikkelen", "Werken en ervaren"), 4: ("Werken en ervaren", "Werkvoorzienend"),
                    5: ("Direct werk", "Geplaatst"), 6: ("Geplaatst", "Direct werk")}

TREDE_WEIGHTS_LONG = [0.22, 0.33, 0.25, 0.12, 0.07, 0.01]
TREDE_WEIGHTS_SHORT = [0.08, 0.20, 0.27, 0.22, 0.18, 0.05]
CHANNELS = [("persoonlijk", 0.35), ("telefoon", 0.30), ("bericht", 0.20), ("huisbezoek", 0.08), ("video", 0.07)]
CONFIDENTIALITY = [("werk_inkomen", 0.70), ("sociaal", 0.25), ("vertrouwelijk", 0.05)]
SUMMARIES = {
    "persoonlijk": ["Gesprek op kantoor over werkwensen en de stand van zaken.",
                    "Voortgangsgesprek: afspraken uit het plan doorgenomen.",
                    "Kennismakingsgesprek over alle leefgebieden."],
    "telefoon": ["Telefonisch contact over de afspraak van volgende week.",
                 "Gebeld over de sollicitatie; cliënt heeft gereageerd op een vacature.",
                 "Telefonisch nagevraagd hoe het gaat na de ziekmelding."],
    "bericht": ["Uitnodiging voor een gesprek gestuurd.", "Bericht met informatie over de taalcursus.",
                "Herinnering gestuurd voor het aanleveren van de gegevens."],
    "huisbezoek": ["Huisbezoek: woonsituatie en schulden besproken.",
                   "Huisbezoek samen met het wijkteam; zorgen over de kinderopvang."],
    "video": ["Beeldbellen over de voortgang van het traject.", "Online gesprek over vrijwilligerswerk."],
}
WITH_WHOM = ["cliënt", "cliënt", "cliënt", "cliënt en partner", "cliënt en wijkteam", "cliënt en tolk"]
FOLLOW_UPS = ["Terugbellen over de uitkomst.", "Vervolggesprek over het plan van aanpak.",
              "Samen naar de werkgever.", "Nagaan of de schuldhulpverlening loopt."]
HEALTH_NOTES = ["Rugklachten; niet langer dan twee uur achter elkaar staan.", "Psychische klachten, in behandeling.",
                "Vermoeidheidsklachten; belastbaarheid bouwt langzaam op.", ""]
WISHES = ["Werken in de zorg", "Iets met techniek", "Chauffeur", "Werken in een winkel", "Eerst de taal leren",
          "Schoonmaakwerk in de buurt", "Horeca"]
TALENTS = ["Handig", "Goed met mensen", "Nauwkeurig", "Doorzetter", "Creatief", "Sociaal"]
OVERRIDE_REASONS = ["De vrijwilligersplek is net gestart; nog geen vaste week.",
                    "Volgt een cursus, maar niet wekelijks; de cliënt hoort een trede lager."]


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def configure_demo(municipality: Municipality) -> Segmentation:
    """Heemskerk's example sub-steps, the demo's contact rhythms and Steenwijkerland's six client groups. Idempotent."""
    adopt_example_substeps(municipality=municipality)
    for name, interval, conditions in RHYTHM_RULES:
        ContactRhythmRule.objects.get_or_create(municipality=municipality, name=name,
                                                defaults={"interval_days": interval, **conditions})
    segmentation, _ = Segmentation.objects.get_or_create(
        municipality=municipality, name=SEGMENTATION,
        defaults={"description": "De zes klantgroepen van Steenwijkerland, als voorbeeld van een eigen indeling."})
    for position, (name, description) in enumerate(SEGMENTS, start=1):
        Segment.objects.get_or_create(segmentation=segmentation, name=name,
                                      defaults={"description": description, "position": position})
    return segmentation


def _answers_for(trede: int) -> dict:
    """Question-flow answers that lead to ``trede``."""
    return {"betaald_werk": trede >= 5, "zonder_ondersteuning": trede == 6, "onbetaald_werk": trede >= 4,
            "georganiseerd": trede >= 3, "sociale_contacten": trede >= 2}


def has_histories(municipality: Municipality) -> bool:
    clients = Client.objects.filter(municipality=municipality)
    return (LadderMeasurement.objects.filter(client__in=clients).exists()
            or Contact.objects.filter(client__in=clients).exists())


def write_histories(municipality: Municipality, *, seed: int = 0, today: date | None = None) -> dict[str, int] | None:
    """Measurement and contact histories for the municipality's assigned clients. Does nothing (returns None) when
    the municipality has histories already."""
    if has_histories(municipality):
        return None
    today = today or timezone.localdate()
    rng = random.Random(seed)
    segmentation = configure_demo(municipality)
    segments = {segment.name: segment for segment in segmentation.segments.all()}
    steps = steps_for(municipality.pk)
    by_trede: dict[int, list[LadderStep]] = {}
    for step in steps:
        by_trede.setdefault(step.trede, []).append(step)
    two_years_ago = _years_before(today, 2)
    earliest_history = today - timedelta(days=3 * 365)

    ladder: list[tuple[LadderMeasurement, list[LadderStep]]] = []
    zrm: list[tuple[ZrmMeasurement, int]] = []
    intakes: list[tuple[Intake, str]] = []
    contacts: list[Contact] = []
    placements: list[ClientSegment] = []
    judgements: list[DistanceJudgement] = []

    def clamp(day: date, start: date | None) -> date:
        """A date in the client's history: not before the running spell (nor three years back), not in the future."""
        floor = max(start or earliest_history, earliest_history)
        if day < floor:
            day = floor + timedelta(days=rng.randint(0, max(0, (today - floor).days)))
        return min(day, today)

    clients = Client.objects.filter(municipality=municipality, client_manager__isnull=False).order_by("pk")
    for client_id, manager_id, start in clients.values_list("pk", "client_manager_id", "active_spell_start"):
        long_term = start is not None and start <= two_years_ago
        diagnosed = rng.random() < (0.67 if start is not None else 0.55)
        trede = None
        latest = None
        if diagnosed:
            latest = clamp(today - timedelta(days=int(rng.triangular(5, 1000, 60))), start)
            trede = rng.choices(range(1, 7), TREDE_WEIGHTS_LONG if long_term else TREDE_WEIGHTS_SHORT)[0]
            with_ladder = rng.random() < 0.9
            if with_ladder:
                count = _pick(rng, [(1, 0.55), (2, 0.30), (3, 0.15)])
                day, level = latest, trede
                for _ in range(count):
                    ladder.append(_ladder(rng, client_id, manager_id, day, level, by_trede))
                    day = clamp(day - timedelta(days=rng.randint(180, 365)), start)
                    level = max(1, level - (1 if rng.random() < 0.6 else 0))
                    if day >= ladder[-1][0].measured_on:
                        break
            if rng.random() < 0.75 or not with_ladder:
                version = "2013" if latest < two_years_ago and rng.random() < 0.5 else "2017"
                zrm.append((ZrmMeasurement(client_id=client_id, measured_on=latest, measured_by_id=manager_id,
                                           version=version), trede))
            if rng.random() < 0.40:
                intakes.append(_intake(rng, client_id, manager_id, latest, trede, today))
            if rng.random() < 0.70:
                first, second = SEGMENT_BY_TREDE[trede]
                placements.append(ClientSegment(client_id=client_id, segmentation=segmentation,
                                                segment=segments[first if rng.random() < 0.7 else second],
                                                placed_by_id=manager_id, placed_on=latest))
            if rng.random() < 0.03:
                distance = ["zeer_groot", "zeer_groot", "groot", "middel", "klein", "klein"][trede - 1]
                judgements.append(DistanceJudgement(
                    client_id=client_id, distance=distance, judged_by_id=manager_id, judged_on=latest,
                    reason="Mijn inschatting na het gesprek: de trede alleen geeft geen volledig beeld."))
        contacts.extend(_contacts(rng, client_id, manager_id, start, long_term, today, clamp))

    with transaction.atomic():
        _write_ladder(rng, ladder)
        _write_zrm(rng, zrm)
        _write_intakes(intakes)
        Contact.objects.bulk_create(contacts, batch_size=BATCH)
        ClientSegment.objects.bulk_create(placements, batch_size=BATCH)
        DistanceJudgement.objects.bulk_create(judgements, batch_size=BATCH)
    return {"ladder": len(ladder), "zrm": len(zrm), "intakes": len(intakes), "contacts": len(contacts),
            "segments": len(placements)}


def write_demo_campaign(municipality: Municipality, lead, *, seed: int = 0,
                        today: date | None = None) -> Campaign | None:
    """A review campaign of the team lead's first team, started six weeks ago, with invitations sent and clients
    reached, seen and diagnosed since, so the dashboard has something to show. None when no client qualifies."""
    from . import services

    today = today or timezone.localdate()
    rng = random.Random(seed + 1)
    team = lead.teams.filter(municipality=municipality).order_by("name").first()
    criteria = CampaignCriteria(municipality_id=municipality.pk, min_benefit_years=2, no_contact_months=12,
                                team_id=team.pk if team else None)
    try:
        campaign = services.create_campaign(by=lead, name="Doorlichting langdurig zonder contact", criteria=criteria)
    except ValidationError:
        return None
    started = today - timedelta(days=42)
    Campaign.objects.filter(pk=campaign.pk).update(started_on=started)
    by_trede: dict[int, list[LadderStep]] = {}
    for step in steps_for(municipality.pk):
        by_trede.setdefault(step.trede, []).append(step)
    invited: dict[date, list[int]] = {}
    contacts: list[Contact] = []
    ladder: list[tuple[LadderMeasurement, list[LadderStep]]] = []
    for client_id, manager_id in campaign.invitations.order_by("client_id").values_list("client_id",
                                                                                          "client_manager_id"):
        if rng.random() >= 0.65:
            continue
        sent = started + timedelta(days=rng.randint(0, 14))
        invited.setdefault(sent, []).append(client_id)
        if rng.random() >= 0.70:
            continue
        day = min(today, sent + timedelta(days=rng.randint(3, 25)))
        channel = _pick(rng, [("persoonlijk", 0.55), ("huisbezoek", 0.2), ("telefoon", 0.2), ("video", 0.05)])
        contacts.append(Contact(client_id=client_id, contacted_on=day, channel=channel, with_whom="cliënt",
                                author_id=manager_id, confidentiality="werk_inkomen",
                                summary="Gesprek in het kader van de doorlichting: alle leefgebieden doorgenomen."))
        if rng.random() < 0.60:
            trede = rng.choices(range(1, 7), TREDE_WEIGHTS_LONG)[0]
            ladder.append(_ladder(rng, client_id, manager_id, day, trede, by_trede))
    with transaction.atomic():
        for day, client_ids in invited.items():
            campaign.invitations.filter(client_id__in=client_ids).update(invited_on=day)
        Contact.objects.bulk_create(contacts, batch_size=BATCH)
        _write_ladder(rng, ladder)
    return campaign


def _ladder(rng, client_id, manager_id, day, trede, by_trede) -> tuple[LadderMeasurement, list[LadderStep]]:
    options = by_trede[trede]
    chosen = [rng.choice(options)]
    local = [step for step in options if step.is_substep]
    if len(local) > 1 and rng.random() < 0.25:
        chosen = rng.sample(local, 2)
    highest = max(chosen, key=lambda step: (step.trede, step.position, step.code))
    measurement = LadderMeasurement(client_id=client_id, measured_on=day, measured_by_id=manager_id, trede=trede,
                                    step=highest)
    if rng.random() < 0.5:
        answers = _answers_for(trede)
        if rng.random() < 0.05 and trede < 6:
            answers = _answers_for(trede + 1)
            measurement.override_reason = rng.choice(OVERRIDE_REASONS)
        measurement.answers = answers
        measurement.proposed_trede = propose_trede(answers)[0]
    return measurement, [step for step in chosen if step.is_substep]


def _write_ladder(rng, ladder) -> None:
    created = LadderMeasurement.objects.bulk_create([m for m, _ in ladder], batch_size=BATCH)
    through = LadderMeasurement.substeps.through
    links = [through(laddermeasurement_id=m.pk, ladderstep_id=step.pk)
             for m, (_, substeps) in zip(created, ladder, strict=True) for step in substeps]
    # A few measurements were corrected: a second record on the same day names the one it corrects.
    corrections = [LadderMeasurement(client_id=m.client_id, measured_on=m.measured_on, measured_by_id=m.measured_by_id,
                                     trede=m.trede, step_id=m.step_id, corrects_id=m.pk,
                                     note="Correctie: de eerdere registratie had een verkeerde datum of substap.")
                   for m in created if rng.random() < 0.01]
    for correction, (_original, substeps) in zip(
            LadderMeasurement.objects.bulk_create(corrections, batch_size=BATCH),
            [pair for pair in ladder if pair[0].pk in {c.corrects_id for c in corrections}], strict=True):
        links.extend(through(laddermeasurement_id=correction.pk, ladderstep_id=step.pk) for step in substeps)
    through.objects.bulk_create(links, batch_size=BATCH)


def _write_zrm(rng, zrm) -> None:
    created = ZrmMeasurement.objects.bulk_create([m for m, _ in zrm], batch_size=BATCH)
    scores = []
    for measurement, (_, trede) in zip(created, zrm, strict=True):
        base = {1: 2, 2: 2, 3: 3, 4: 3, 5: 4, 6: 4}[trede]
        for domain, _label in ZRM_DOMAINS[measurement.version]:
            level = min(5, max(1, base + rng.choice((-1, 0, 0, 1))))
            scores.append(ZrmScore(measurement=measurement, domain=domain, level=level))
    ZrmScore.objects.bulk_create(scores, batch_size=BATCH)


def _intake(rng, client_id, manager_id, day, trede, today) -> tuple[Intake, str]:
    exemption = None
    if rng.random() < 0.12:
        # Some run for months yet, some expire within a month, some have expired: the worklist shows the latter two.
        exemption = today + timedelta(days=rng.choice((rng.randint(40, 300), rng.randint(0, 30), -rng.randint(1, 60))))
        exemption = max(exemption, day + timedelta(days=1))
    levels = ["A1", "A2", "B1", "B2", "C2"]
    dutch = rng.choice(levels)
    intake = Intake(
        client_id=client_id, measured_on=day, measured_by_id=manager_id,
        housing=_pick(rng, [("stabiel", 0.8), ("onzeker", 0.15), ("geen", 0.05)]),
        debts=_pick(rng, [("geen", 0.45), ("regeling", 0.25), ("zonder_regeling", 0.2), ("onbekend", 0.1)]),
        dutch_speaking=dutch, dutch_listening=dutch, dutch_reading=rng.choice(levels), dutch_writing=rng.choice(levels),
        education=_pick(rng, [("geen", 0.2), ("basis", 0.15), ("vmbo", 0.25), ("mbo", 0.2), ("havo_vwo", 0.05),
                              ("hbo", 0.05), ("buitenland", 0.1)]),
        wishes=rng.choice(WISHES), talents=", ".join(rng.sample(TALENTS, 2)),
        motivation_willing=_pick(rng, [("ja", 0.6), ("deels", 0.3), ("nee", 0.1)]),
        motivation_able=_pick(rng, [("ja", 0.4), ("deels", 0.4), ("nee", 0.2)] if trede > 2
                              else [("ja", 0.1), ("deels", 0.4), ("nee", 0.5)]),
        motivation_ready=_pick(rng, [("ja", 0.4), ("deels", 0.4), ("nee", 0.2)]),
        client_role=_pick(rng, [("regievoerder", 0.3), ("coproducent", 0.5), ("toetser", 0.2)]),
        hours_per_week=rng.choice([0, 8, 12, 16, 20, 24, 32, 36]) if trede > 1 else rng.choice([0, 4, 8]),
        transport=_pick(rng, [("fiets", 0.45), ("ov", 0.3), ("auto", 0.15), ("geen", 0.1)]),
        driving_licence=rng.random() < 0.35,
        work_exemption_until=exemption,
        exemption_reason="Tijdelijke ontheffing vanwege de zorg voor een familielid." if exemption else "",
        regime=_pick(rng, [("participatiewet", 0.92), ("ioaw", 0.06), ("ioaz", 0.02)]),
    )
    return intake, rng.choice(HEALTH_NOTES) if rng.random() < 0.3 else ""


def _write_intakes(intakes) -> None:
    created = Intake.objects.bulk_create([intake for intake, _ in intakes], batch_size=BATCH)
    IntakeSpecialCategories.objects.bulk_create(
        [IntakeSpecialCategories(intake=intake, physical_health=note)
         for intake, (_, note) in zip(created, intakes, strict=True) if note], batch_size=BATCH)


def _contacts(rng, client_id, manager_id, start, long_term, today, clamp) -> list[Contact]:
    if rng.random() < (0.15 if long_term else 0.05):
        return []  # never contacted
    # Of the long-term clients about 40% had no contact in the last year: "never" plus these (30 of the 85 points
    # left; a little less in the end, as a contact cannot predate the spell).
    stale = long_term and rng.random() < 0.30 / 0.85
    newest = today - timedelta(days=rng.randint(366, 900) if stale else int(rng.triangular(0, 365, 20)))
    if start is not None and newest < start:
        return []
    days = [newest]
    for _ in range(rng.randint(0, 7)):
        days.append(clamp(days[-1] - timedelta(days=rng.randint(20, 200)), start))
    contacts = []
    for index, day in enumerate(sorted(set(days), reverse=True)):
        channel = _pick(rng, CHANNELS)
        contact = Contact(client_id=client_id, contacted_on=day, channel=channel, with_whom=rng.choice(WITH_WHOM),
                          author_id=manager_id, summary=rng.choice(SUMMARIES[channel]),
                          confidentiality=_pick(rng, CONFIDENTIALITY))
        if index == 0 and rng.random() < 0.33:
            contact.follow_up = rng.choice(FOLLOW_UPS)
            contact.follow_up_on = day + timedelta(days=rng.randint(14, 60))
        contacts.append(contact)
    return contacts
