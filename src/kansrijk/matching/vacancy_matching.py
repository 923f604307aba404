"""Matching clients and vacancies, both ways (BRIEF §3.4; issue 5): pure logic, no database.

``match(seeker, vacancy)`` weighs one client against one vacancy and returns a ``VacancyMatch``: the hard factors
that are not met (``unmet``: "nu niet"), the questions to ask because a fact is unknown (``to_ask``), and the soft
factors that fit (``reasons``, with points). ``rank_vacancies`` and ``rank_candidates`` apply it in both directions.
Every factor is a Dutch sentence the client manager or the employer team can repeat.

What the rules may read is fixed by ``SeekerFacts``: the latest trede, the intake's ordinary fields (hours, Dutch,
education, driving licence, transport, wishes, work experience, work exemption) and the job-seeker profile. It has
no field for health, addiction, origin or sex, nor for age (Steenwijkerland excludes age from profiles, seed 002).
So a vacancy's physical demand is never weighed against health data: it becomes a question to discuss with the
client. The doelgroepregister (banenafspraak) is not knowable without health data either and is never inferred.

Hard factors (an unknown fact never excludes; it becomes a question): trede (paid work suits trede 4 and up; trede 3
only with a proefplaatsing or jobcoach), hours a week, driving licence, Dutch level, education, availability before
the vacancy closes. Soft factors: the client's desired occupations and wishes, desired sectors, work experience,
travel (a postcode approximation, see ``travel_estimate``) and the instruments that help at the client's trede.
Order: possible first by score (descending), then the ones that are not possible now.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils.translation import gettext_noop

from kansrijk.catalogue.search import words

from .recommendations import LANGUAGE_ORDER, WISH_STOPWORDS, Reason
from .sentences import _, kept_translations

# Education levels in order; "buitenland" (not valued) is not on the ladder and becomes a question.
EDUCATION_ORDER = ("geen", "basis", "vmbo", "mbo", "havo_vwo", "hbo", "wo")
EDUCATION_WORDS = {
    "geen": gettext_noop("geen afgeronde opleiding"), "basis": gettext_noop("basisonderwijs"),
    "vmbo": gettext_noop("vmbo / mbo 1"), "mbo": gettext_noop("mbo 2–4"), "havo_vwo": gettext_noop("havo / vwo"),
    "hbo": gettext_noop("hbo"), "wo": gettext_noop("wo"),
}
PHYSICAL_WORDS = {"licht": gettext_noop("licht"), "middel": gettext_noop("middelzwaar"),
                  "zwaar": gettext_noop("zwaar")}
INSTRUMENT_WORDS = {"loonkostensubsidie": gettext_noop("loonkostensubsidie"),
                    "proefplaatsing": gettext_noop("een proefplaatsing"), "jobcoach": gettext_noop("een jobcoach")}
# The instruments that lower the step into paid work for clients below trede 5 (a suggestion, not a condition).
SUPPORTING_INSTRUMENTS = ("proefplaatsing", "jobcoach", "loonkostensubsidie")
ENTRY_INSTRUMENTS = frozenset({"proefplaatsing", "jobcoach"})

POINTS_OCCUPATION = 4
POINTS_SECTOR = 3
POINTS_EXPERIENCE = 2
POINTS_TRAVEL_NEAR = 3
POINTS_TRAVEL_REGION = 1
POINTS_TREDE = 2
POINTS_TREDE_SUPPORTED = 1
POINTS_INSTRUMENT = 1
MAX_INSTRUMENT_POINTS = 2

# Travel estimate (minutes, one way) from postcodes: the first two digits of a Dutch postcode mark a region of
# roughly 20–40 km across; within one four-digit area is a neighbourhood. A rough, documented approximation, shown as
# such, and never a reason to exclude: it only adds points or raises a question.
MINUTES_SAME_AREA = 10
MINUTES_SAME_REGION = 30
MINUTES_OTHER_REGION = 60
POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})")


@dataclass(frozen=True)
class SeekerFacts:
    """What matching may know about a client as a job seeker. Every field may be unknown (None or empty).
    Deliberately without health, addiction, origin, sex and age."""

    client_id: int = 0
    trede: int | None = None
    hours_per_week: int | None = None
    dutch: tuple[str, ...] = ()  # the known CEFR levels of speaking, listening, reading, writing
    education: str = ""
    driving_licence: bool | None = None
    transport: str = ""  # auto, fiets, ov, geen
    wishes: str = ""
    work_experience: str = ""
    desired_occupations: str = ""
    desired_sectors: tuple[str, ...] = ()
    home_postcode: str = ""
    place: str = ""
    max_travel_minutes: int | None = None
    available_from: date | None = None
    work_exemption_until: date | None = None
    today: date | None = None

    @property
    def lowest_dutch(self) -> str | None:
        levels = [level for level in self.dutch if level in LANGUAGE_ORDER]
        return min(levels, key=LANGUAGE_ORDER.index) if levels else None


@dataclass(frozen=True)
class VacancyFacts:
    """A vacancy as the rules see it."""

    vacancy_id: int
    title: str
    occupation: str = ""
    description: str = ""
    sector: str = ""
    hours_min: int | None = None
    hours_max: int | None = None
    postcode: str = ""
    place: str = ""
    public_transport: bool | None = None
    education_min: str = ""
    dutch_min: str = ""
    physical_demand: str = ""
    driving_licence_required: bool = False
    instruments: tuple[str, ...] = ()
    banenafspraak: bool = False
    closes_on: date | None = None
    opens_on: date | None = None


# A factor is a reason as the recommendation has it: a code, a sentence and its points.
Factor = Reason


@dataclass
class VacancyMatch:
    seeker: SeekerFacts
    vacancy: VacancyFacts
    score: int = 0
    reasons: list[Factor] = field(default_factory=list)
    unmet: list[Factor] = field(default_factory=list)
    to_ask: list[Factor] = field(default_factory=list)
    rank: int | None = None

    @property
    def possible(self) -> bool:
        return not self.unmet

    @property
    def status(self) -> str:
        return "mogelijk" if self.possible else "nu_niet"

    def snapshot(self) -> dict:
        """The factors as shown, kept with a proposal so it can be read back as it was made."""
        return {"vacancy": self.vacancy.vacancy_id, "status": self.status, "score": self.score, "rank": self.rank,
                "reasons": [asdict(f) for f in self.reasons], "unmet": [asdict(f) for f in self.unmet],
                "to_ask": [asdict(f) for f in self.to_ask]}


# --- Words ----------------------------------------------------------------------------------------------------------


def keywords(text: str) -> dict[str, str]:
    """Stem → the original word, for the meaningful words of a free text (first occurrence kept)."""
    found: dict[str, str] = {}
    for original in re.findall(r"[^\W\d_]+", text or ""):
        if len(original) < 4:
            continue
        stems = words(original)
        if stems and stems[0] not in WISH_STOPWORDS and len(stems[0]) >= 3:
            found.setdefault(stems[0], original.lower())
    return found


def _vacancy_words(v: VacancyFacts) -> frozenset[str]:
    return frozenset(words(f"{v.title} {v.occupation} {v.description}"))


def _quoted(hits: list[str]) -> str:
    return ", ".join(f"‘{w}’" for w in hits)


# --- Travel ---------------------------------------------------------------------------------------------------------


def travel_estimate(home_postcode: str, home_place: str, work_postcode: str, work_place: str) -> int | None:
    """Rough one-way travel minutes: same four-digit postcode or same place 10, same two-digit region 30, else 60.
    None when neither postcodes nor places can be compared."""
    home, work = POSTCODE_RE.match(home_postcode or ""), POSTCODE_RE.match(work_postcode or "")
    if home and work:
        if home.group(1) == work.group(1):
            return MINUTES_SAME_AREA
        if home.group(1)[:2] == work.group(1)[:2]:
            return MINUTES_SAME_REGION
    if home_place and work_place and home_place.strip().lower() == work_place.strip().lower():
        return MINUTES_SAME_AREA
    if home and work:
        return MINUTES_OTHER_REGION
    return None


# --- The rules ------------------------------------------------------------------------------------------------------


def _hard(s: SeekerFacts, v: VacancyFacts, m: VacancyMatch) -> None:
    unmet, ask = m.unmet, m.to_ask
    if s.trede is None:
        ask.append(Factor("trede", _("De trede op de Participatieladder is onbekend: meet de trede. Betaald werk past "
                                     "vanaf trede 4, of trede 3 met een proefplaatsing of jobcoach.")))
    elif s.trede <= 2:
        unmet.append(Factor("trede", _("De cliënt staat op trede %(trede)s; betaald werk is nu een te grote stap. "
                                       "Werk eerst aan meedoen (trede 3).") % {"trede": s.trede}))
    elif s.trede == 3 and not ENTRY_INSTRUMENTS & set(v.instruments):
        unmet.append(Factor("trede", _("De cliënt staat op trede 3; deze vacature biedt geen proefplaatsing of "
                                       "jobcoach om de stap naar betaald werk te maken.")))

    if v.hours_min:
        if s.hours_per_week is None:
            ask.append(Factor("uren", _("Onbekend hoeveel uur per week de cliënt kan werken: vraag na. De vacature "
                                        "vraagt minstens %(hours)s uur per week.") % {"hours": v.hours_min}))
        elif s.hours_per_week < v.hours_min:
            unmet.append(Factor("uren", _("De vacature vraagt minstens %(hours)s uur per week; de cliënt kan nu "
                                          "%(client)s uur per week.") % {"hours": v.hours_min,
                                                                         "client": s.hours_per_week}))

    if v.driving_licence_required:
        if s.driving_licence is None:
            ask.append(Factor("rijbewijs", _("Onbekend of de cliënt een rijbewijs heeft: vraag na. De vacature vraagt "
                                             "een rijbewijs.")))
        elif s.driving_licence is False:
            unmet.append(Factor("rijbewijs", _("De vacature vraagt een rijbewijs; de cliënt heeft er geen.")))

    if v.dutch_min in LANGUAGE_ORDER:
        lowest = s.lowest_dutch
        if lowest is None:
            ask.append(Factor("taal", _("Het taalniveau Nederlands van de cliënt is onbekend: vraag na. De vacature "
                                        "vraagt %(level)s.") % {"level": v.dutch_min}))
        elif LANGUAGE_ORDER.index(lowest) < LANGUAGE_ORDER.index(v.dutch_min):
            unmet.append(Factor("taal", _("De vacature vraagt taalniveau %(level)s Nederlands; de cliënt heeft nu "
                                          "%(client)s. Met taalondersteuning kan dat later wel.")
                                % {"level": v.dutch_min, "client": lowest}))

    if v.education_min in EDUCATION_ORDER and v.education_min not in ("geen",):
        required = _(EDUCATION_WORDS[v.education_min])
        if not s.education:
            ask.append(Factor("opleiding", _("De opleiding van de cliënt is onbekend: vraag na. De vacature vraagt "
                                             "minstens %(level)s.") % {"level": required}))
        elif s.education not in EDUCATION_ORDER:
            ask.append(Factor("opleiding", _("De cliënt heeft een opleiding in het buitenland die niet is "
                                             "gewaardeerd; de vacature vraagt minstens %(level)s. Vraag een "
                                             "diplomawaardering aan of bespreek het met de werkgever.")
                              % {"level": required}))
        elif EDUCATION_ORDER.index(s.education) < EDUCATION_ORDER.index(v.education_min):
            unmet.append(Factor("opleiding", _("De vacature vraagt minstens %(level)s; de cliënt heeft %(client)s.")
                                % {"level": required, "client": _(EDUCATION_WORDS[s.education])}))

    if s.available_from and s.today and s.available_from > s.today:
        when = s.available_from.strftime("%d-%m-%Y")
        if v.closes_on and s.available_from > v.closes_on:
            unmet.append(Factor("beschikbaar", _("De cliënt is pas beschikbaar vanaf %(date)s; de vacature sluit op "
                                                 "%(closes)s.") % {"date": when,
                                                                   "closes": v.closes_on.strftime("%d-%m-%Y")}))
        else:
            ask.append(Factor("beschikbaar", _("De cliënt is beschikbaar vanaf %(date)s: bespreek de startdatum met "
                                               "de werkgever.") % {"date": when}))

    if v.physical_demand in ("middel", "zwaar"):
        # Never weighed against health data: the client and the client manager discuss it.
        ask.append(Factor("fysiek", _("Het werk is fysiek %(level)s: bespreek met de cliënt of dat past.")
                          % {"level": _(PHYSICAL_WORDS[v.physical_demand])}))
    if v.banenafspraak:
        ask.append(Factor("banenafspraak", _("Deze plaats is voor de banenafspraak: alleen voor wie in het "
                                             "doelgroepregister staat. Kansrijk weet dat niet; vraag het na bij de "
                                             "cliënt of UWV.")))
    if s.work_exemption_until and s.today and s.work_exemption_until >= s.today:
        ask.append(Factor("ontheffing", _("De cliënt heeft ontheffing van de arbeidsverplichtingen tot %(date)s; "
                                          "solliciteren is vrijwillig.")
                          % {"date": s.work_exemption_until.strftime("%d-%m-%Y")}))


def _soft(s: SeekerFacts, v: VacancyFacts, m: VacancyMatch, wish_words: dict[str, str],
          experience_words: dict[str, str], vacancy_words: frozenset[str]) -> None:
    reasons = m.reasons
    hits = [original for stem, original in wish_words.items() if stem in vacancy_words]
    if hits:
        reasons.append(Factor("wens", _("Sluit aan bij wat de cliënt wil doen: %(words)s.") % {"words": _quoted(hits)},
                              POINTS_OCCUPATION))
    if v.sector and v.sector in s.desired_sectors:
        reasons.append(Factor("sector", _("De cliënt wil graag werken in deze sector."), POINTS_SECTOR))
    hits = [original for stem, original in experience_words.items()
            if stem in vacancy_words and stem not in wish_words]
    if hits:
        reasons.append(Factor("werkervaring", _("Sluit aan bij de werkervaring van de cliënt: %(words)s.")
                              % {"words": _quoted(hits)}, POINTS_EXPERIENCE))

    minutes = travel_estimate(s.home_postcode, s.place, v.postcode, v.place)
    if minutes is None:
        m.to_ask.append(Factor("reizen", _("De reistijd is niet te schatten (postcode van de cliënt of de werkplek "
                                           "onbekend): vraag na.")))
    else:
        if minutes <= MINUTES_SAME_AREA:
            reasons.append(Factor("reizen", _("De werkplek is dichtbij (zelfde postcodegebied of plaats, ongeveer "
                                              "%(minutes)s minuten).") % {"minutes": minutes}, POINTS_TRAVEL_NEAR))
        elif minutes <= MINUTES_SAME_REGION:
            reasons.append(Factor("reizen", _("De werkplek is in de regio (ongeveer %(minutes)s minuten reizen, "
                                              "geschat op de postcode).") % {"minutes": minutes},
                                  POINTS_TRAVEL_REGION))
        if s.max_travel_minutes is not None and minutes > s.max_travel_minutes:
            m.to_ask.append(Factor("reistijd", _("De reistijd is geschat op ongeveer %(minutes)s minuten; de cliënt "
                                                 "wil hoogstens %(max)s minuten reizen. Bespreek het.")
                                   % {"minutes": minutes, "max": s.max_travel_minutes}))
    if s.transport == "geen" and (minutes is None or minutes > MINUTES_SAME_AREA):
        m.to_ask.append(Factor("vervoer", _("De cliënt heeft geen eigen vervoer en geen ov: bespreek hoe de cliënt "
                                            "de werkplek bereikt.")))
    elif s.transport == "ov" and v.public_transport is False:
        m.to_ask.append(Factor("vervoer", _("De cliënt reist met het openbaar vervoer; de werkplek is daarmee slecht "
                                            "bereikbaar. Bespreek het.")))

    if s.trede is not None:
        if s.trede >= 4:
            reasons.append(Factor("trede", _("De cliënt staat op trede %(trede)s; betaald werk is de volgende stap.")
                                  % {"trede": s.trede}, POINTS_TREDE))
        elif s.trede == 3:
            offered = [i for i in ("proefplaatsing", "jobcoach") if i in v.instruments]
            reasons.append(Factor("trede", _("De cliënt staat op trede 3; met %(instrument)s kan de stap naar betaald "
                                             "werk.") % {"instrument": _(INSTRUMENT_WORDS[offered[0]])},
                                  POINTS_TREDE_SUPPORTED))
        if s.trede <= 4:
            offered = [i for i in SUPPORTING_INSTRUMENTS if i in v.instruments]
            if offered:
                reasons.append(Factor("instrumenten", _("De werkgever biedt %(instruments)s; dat helpt bij de start.")
                                      % {"instruments": ", ".join(_(INSTRUMENT_WORDS[i]) for i in offered)},
                                      min(len(offered) * POINTS_INSTRUMENT, MAX_INSTRUMENT_POINTS)))


@dataclass
class _Prepared:
    """A seeker's words, computed once when one seeker meets many vacancies or the other way round."""

    seeker: SeekerFacts
    wish_words: dict[str, str]
    experience_words: dict[str, str]


def prepare(seeker: SeekerFacts) -> _Prepared:
    return _Prepared(seeker, keywords(f"{seeker.desired_occupations}\n{seeker.wishes}"),
                     keywords(seeker.work_experience))


def _excluded(s: SeekerFacts, v: VacancyFacts) -> bool:
    """Whether a hard factor is not met, without writing the sentences: ``_hard`` says the same, at a fraction of the
    cost, for lists that leave such pairs out anyway."""
    if s.trede is not None and (s.trede <= 2 or (s.trede == 3 and not ENTRY_INSTRUMENTS & set(v.instruments))):
        return True
    if v.hours_min and s.hours_per_week is not None and s.hours_per_week < v.hours_min:
        return True
    if v.driving_licence_required and s.driving_licence is False:
        return True
    lowest = s.lowest_dutch
    if v.dutch_min in LANGUAGE_ORDER and lowest is not None and (
            LANGUAGE_ORDER.index(lowest) < LANGUAGE_ORDER.index(v.dutch_min)):
        return True
    if v.education_min in EDUCATION_ORDER and v.education_min != "geen" and s.education in EDUCATION_ORDER and (
            EDUCATION_ORDER.index(s.education) < EDUCATION_ORDER.index(v.education_min)):
        return True
    return bool(s.available_from and s.today and s.available_from > s.today and v.closes_on
                and s.available_from > v.closes_on)


def _match(p: _Prepared, vacancy: VacancyFacts, vacancy_words: frozenset[str]) -> VacancyMatch:
    m = VacancyMatch(p.seeker, vacancy)
    _hard(p.seeker, vacancy, m)
    if not m.unmet:  # "nu niet" shows what is not met; its fit is not weighed
        _soft(p.seeker, vacancy, m, p.wish_words, p.experience_words, vacancy_words)
    m.score = sum(f.points for f in m.reasons)
    return m


def match(seeker: SeekerFacts, vacancy: VacancyFacts) -> VacancyMatch:
    """One client against one vacancy, with every factor."""
    with kept_translations():
        return _match(prepare(seeker), vacancy, _vacancy_words(vacancy))


def _ranked(matches: list[VacancyMatch], key) -> list[VacancyMatch]:
    matches.sort(key=lambda m: (not m.possible, -m.score, key(m)))
    rank = 0
    for m in matches:
        if m.possible:
            rank += 1
            m.rank = rank
    return matches


def rank_vacancies(seeker: SeekerFacts, vacancies) -> list[VacancyMatch]:
    """Direction 1: the vacancies for one client, possible ones first by score, then by title."""
    p = prepare(seeker)
    with kept_translations():
        matches = [_match(p, v, _vacancy_words(v)) for v in vacancies]
    return _ranked(matches, lambda m: (m.vacancy.title.lower(), m.vacancy.vacancy_id))


def rank_candidates(vacancy: VacancyFacts, seekers, *, limit: int | None = None,
                    possible_only: bool = True) -> list[VacancyMatch]:
    """Direction 2: the clients for one vacancy, by score; ties by client id so the order is stable. With
    ``possible_only`` the ones that are not possible now are left out; ``limit`` caps the list."""
    vacancy_words = _vacancy_words(vacancy)
    prepared = [s if isinstance(s, _Prepared) else prepare(s) for s in seekers]
    if possible_only:
        prepared = [p for p in prepared if not _excluded(p.seeker, vacancy)]
    with kept_translations():
        matches = [_match(p, vacancy, vacancy_words) for p in prepared]
    if possible_only:
        matches = [m for m in matches if m.possible]
    ranked = _ranked(matches, lambda m: m.seeker.client_id)
    return ranked[:limit] if limit is not None else ranked
