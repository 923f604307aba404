"""Recommending approaches for one client (BRIEF §3.4 *matching*): pure logic, no database.

``recommend(facts, candidates)`` splits the candidates into "mogelijk" (every hard criterion met, or unknown) and
"nu niet" (at least one hard criterion not met; no score), and gives each possible one a score with its reasons.
Every reason, unmet criterion and open question is a plain Dutch sentence a client manager can repeat to the client.

What the rules may read is fixed by ``ClientFacts``: it has no field for health, addiction, migration background or
origin, none for the ZRM's health and substance-use domains, and none for the client's sex. Nothing outside these
facts can change a ranking (BRIEF §7: no proxies for origin, a human decides). Language counts only where an
approach states an entry level of its own, and as a need for language support; it never lowers a score.

Hard criteria (an unknown client fact never excludes; it becomes a question to ask):
legal regime, trede range, hours a week, age range, the approach's own language level and driving licence,
and the local offer (offered, places free).

Soft fit (points, each with its sentence): the approach type for the trede (life-first 1–2, human-capital-first 2–4,
work-first 4–5), the target group "ouderen"/"jongeren" for the client's age, working elements whose ``need`` matches
the client's situation, words of the client's wishes and work experience found in the approach's texts, and the
effect level as a small bonus, and — once the municipality has ended trajectories of the approach for at least ten
clients on the same part of the ladder — what those similar clients achieved (``Outcome``; a bonus when it is better
than the municipality's usual result, never a penalty). Order: score descending, then name.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache

from django.utils.translation import gettext_noop

from kansrijk.catalogue.search import words

from .sentences import _, kept_translations

# --- Client facts ---------------------------------------------------------------------------------------------------

LANGUAGE_ORDER = ("A0", "A1", "A2", "B1", "B2", "C1", "C2")
LOW_EDUCATION = frozenset({"geen", "basis", "vmbo", "buitenland"})
# Translated where they are used (``_``); ``gettext_noop`` only marks them for makemessages.
ZRM_LABELS = {
    "financien": gettext_noop("financiën"),
    "werk_opleiding": gettext_noop("werk en opleiding"),
    "tijdsbesteding": gettext_noop("tijdsbesteding"),
    "dagbesteding": gettext_noop("dagbesteding"),
    "huisvesting": gettext_noop("huisvesting"),
    "huiselijke_relaties": gettext_noop("huiselijke relaties"),
    "basale_adl": gettext_noop("basale dagelijkse levensverrichtingen"),
    "instrumentele_adl": gettext_noop("dagelijkse zaken regelen"),
    "adl": gettext_noop("dagelijkse levensverrichtingen"),
    "sociaal_netwerk": gettext_noop("sociaal netwerk"),
    "maatschappelijke_participatie": gettext_noop("maatschappelijke participatie"),
    "justitie": gettext_noop("justitie"),
}
REGIME_LABELS = {
    "participatiewet": gettext_noop("de Participatiewet"), "ioaw": gettext_noop("de IOAW"),
    "ioaz": gettext_noop("de IOAZ"), "ww": gettext_noop("de WW"), "wajong": gettext_noop("de Wajong"),
    "wia": gettext_noop("de WIA"), "anw": gettext_noop("de Anw"),
    "nug": gettext_noop("geen uitkering (niet-uitkeringsgerechtigd)"),
}


@dataclass(frozen=True)
class ClientFacts:
    """What the recommendation may know about a client. Every field may be unknown (None or empty). Deliberately
    without health, addiction, origin, the special ZRM domains and sex."""

    age: int | None = None
    trede: int | None = None
    hours_per_week: int | None = None
    regime: str = ""
    dutch: tuple[tuple[str, str], ...] = ()  # (skill, level) for speaking, listening, reading, writing, when known
    education: str = ""
    driving_licence: bool | None = None
    work_experience: str = ""
    wishes: str = ""
    motivation_willing: str = ""
    motivation_able: str = ""
    motivation_ready: str = ""
    years_on_benefit: float | None = None
    low_zrm_domains: tuple[str, ...] = ()  # non-special domains scored 1 or 2, sorted
    debts: str = ""
    work_exemption_until: date | None = None
    job_search_exemption_until: date | None = None
    today: date | None = None

    @property
    def lowest_dutch(self) -> str | None:
        levels = [level for _skill, level in self.dutch if level in LANGUAGE_ORDER]
        return min(levels, key=LANGUAGE_ORDER.index) if levels else None

    def exempt_from_work(self) -> bool:
        return bool(self.work_exemption_until and self.today and self.work_exemption_until >= self.today)


# --- Candidates -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    """A working element as the rules see it."""

    label: str
    category: str = ""
    target_group: str = ""
    need: str = ""


@dataclass(slots=True)
class Candidate:
    """An approach as offered locally, as the rules see it. ``offered`` is false when the municipality does not
    offer it (now); ``capacity`` None means not limited or not known. ``text_words`` are the stemmed words of the
    approach's texts (``Approach.search_document``); computed from name and description when not given."""

    approach_id: int
    slug: str
    name: str
    description: str = ""
    approach_types: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    regimes: tuple[str, ...] = ()
    trede_min: int | None = None
    trede_max: int | None = None
    min_hours_per_week: float | None = None
    age_min: int | None = None
    age_max: int | None = None
    language_level: str = ""
    entry_criteria: str = ""
    effect_level: int | None = None
    elements: tuple[Element, ...] = ()
    element_ids: tuple[int, ...] = ()  # the working elements' keys, for the selectors' kept candidates
    offered: bool = True
    capacity: int | None = None
    text_words: frozenset[str] = frozenset()

    def __post_init__(self):
        if not self.text_words:
            self.text_words = frozenset(words(f"{self.name} {self.description}"))


@dataclass(frozen=True)
class Outcome:
    """Local results of one approach for clients like this one: ended trajectories of clients who were on the same
    part of the Participatieladder when they started (``band``, e.g. "trede 3"). ``baseline`` is the share that found
    work over all approaches for that band, so the rules can say whether this approach did better than usual.
    Built by ``trajectories.selectors.local_outcomes``; counted by trede only, never by sex, age, origin or health."""

    band: str  # empty: too few similar clients, so these are the results over all clients
    ended: int
    work: int
    dropout: int
    baseline: float

    @property
    def work_rate(self) -> float:
        return self.work / self.ended if self.ended else 0.0


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    points: int = 0


@dataclass
class Recommendation:
    candidate: Candidate
    score: int = 0
    reasons: list[Reason] = field(default_factory=list)
    unmet: list[Reason] = field(default_factory=list)
    to_ask: list[Reason] = field(default_factory=list)
    rank: int | None = None

    @property
    def possible(self) -> bool:
        return not self.unmet

    @property
    def status(self) -> str:
        return "mogelijk" if self.possible else "nu_niet"

    def explanation(self) -> dict:
        """The snapshot kept with a decision: what was shown, in words."""
        return {
            "approach": self.candidate.slug, "name": self.candidate.name, "status": self.status, "rank": self.rank,
            "score": self.score, "effect_level": self.candidate.effect_level,
            "reasons": [asdict(r) for r in self.reasons], "unmet": [asdict(r) for r in self.unmet],
            "to_ask": [asdict(r) for r in self.to_ask],
        }


# --- Hard criteria --------------------------------------------------------------------------------------------------

LEVEL_RE = re.compile(r"\b([ABC][012])\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _required_language(text: str) -> str | None:
    """The lowest CEFR level an approach's free-text language criterion names ("B1", "A2 of hoger"), if any."""
    levels = [match.upper() for match in LEVEL_RE.findall(text or "")]
    levels = [level for level in levels if level in LANGUAGE_ORDER]
    return min(levels, key=LANGUAGE_ORDER.index) if levels else None


def _hard_criteria(facts: ClientFacts, c: Candidate, rec: Recommendation) -> None:
    unmet, ask = rec.unmet, rec.to_ask
    if not c.offered:
        unmet.append(Reason("aanbod", _("De gemeente biedt deze aanpak nu niet aan.")))
    elif c.capacity == 0:
        unmet.append(Reason("capaciteit", _("Er zijn nu geen plaatsen vrij (capaciteit 0).")))

    if c.regimes:
        def allowed():
            return " of ".join(_(REGIME_LABELS.get(r, r)) for r in c.regimes)
        if not facts.regime:
            ask.append(Reason("regeling", _("Onbekend onder welke regeling de cliënt valt: vraag na. Deze aanpak is "
                                            "voor cliënten onder %(allowed)s.") % {"allowed": allowed()}))
        elif facts.regime not in c.regimes:
            unmet.append(Reason("regeling", _("Deze aanpak is voor cliënten onder %(allowed)s; de cliënt valt onder "
                                              "%(regime)s.") % {"allowed": allowed(),
                                                                "regime": _(REGIME_LABELS.get(facts.regime,
                                                                                              facts.regime))}))

    if c.trede_min is not None or c.trede_max is not None:
        low, high = c.trede_min or 1, c.trede_max or 6
        if facts.trede is None:
            span = _("trede %(low)s tot en met %(high)s") % {"low": low, "high": high}
            ask.append(Reason("trede", _("De trede op de Participatieladder is onbekend: vraag na of meet de trede. "
                                         "Deze aanpak is voor %(span)s.") % {"span": span}))
        elif not low <= facts.trede <= high:
            span = _("trede %(low)s tot en met %(high)s") % {"low": low, "high": high}
            unmet.append(Reason("trede", _("Deze aanpak is voor %(span)s; de cliënt staat nu op trede %(trede)s.")
                                % {"span": span, "trede": facts.trede}))

    if c.min_hours_per_week is not None and c.min_hours_per_week > 0:
        hours = _number(c.min_hours_per_week)
        if facts.hours_per_week is None:
            ask.append(Reason("uren", _("Onbekend hoeveel uur per week de cliënt kan werken of meedoen: vraag na. "
                                        "Deze aanpak vraagt minstens %(hours)s uur per week.") % {"hours": hours}))
        elif facts.hours_per_week < c.min_hours_per_week:
            unmet.append(Reason("uren", _("Deze aanpak vraagt minstens %(hours)s uur per week; de cliënt kan nu "
                                          "%(client)s uur per week.") % {"hours": hours,
                                                                         "client": facts.hours_per_week}))

    if (c.age_min is not None or c.age_max is not None) and (
            facts.age is None or (c.age_min is not None and facts.age < c.age_min)
            or (c.age_max is not None and facts.age > c.age_max)):
        if c.age_min is not None and c.age_max is not None:
            span = _("%(low)s tot en met %(high)s jaar") % {"low": c.age_min, "high": c.age_max}
        elif c.age_min is not None:
            span = _("%(low)s jaar en ouder") % {"low": c.age_min}
        else:
            span = _("tot en met %(high)s jaar") % {"high": c.age_max}
        if facts.age is None:
            ask.append(Reason("leeftijd", _("De leeftijd van de cliënt is onbekend: vraag na. Deze aanpak is voor "
                                            "mensen van %(span)s.") % {"span": span}))
        elif (c.age_min is not None and facts.age < c.age_min) or (c.age_max is not None and facts.age > c.age_max):
            unmet.append(Reason("leeftijd", _("Deze aanpak is voor mensen van %(span)s; de cliënt is %(age)s.")
                                % {"span": span, "age": facts.age}))

    required = _required_language(c.language_level)
    if required:
        lowest = facts.lowest_dutch
        if lowest is None:
            ask.append(Reason("taal", _("Het taalniveau Nederlands van de cliënt is onbekend: vraag na. Deze aanpak "
                                        "vraagt %(level)s.") % {"level": required}))
        elif LANGUAGE_ORDER.index(lowest) < LANGUAGE_ORDER.index(required):
            unmet.append(Reason("taal", _("Deze aanpak vraagt taalniveau %(level)s Nederlands; de cliënt heeft nu "
                                          "%(client)s. Met taalondersteuning kan dat later wel.")
                                % {"level": required, "client": lowest}))

    if "rijbewijs" in (c.entry_criteria or "").lower():
        if facts.driving_licence is None:
            ask.append(Reason("rijbewijs", _("Onbekend of de cliënt een rijbewijs heeft: vraag na. Deze aanpak "
                                             "vraagt een rijbewijs.")))
        elif facts.driving_licence is False:
            unmet.append(Reason("rijbewijs", _("Deze aanpak vraagt een rijbewijs; de cliënt heeft er geen.")))


def _number(value) -> str:
    value = float(value)
    return str(int(value)) if value == int(value) else str(value).replace(".", ",")


# --- Soft fit -------------------------------------------------------------------------------------------------------

# Which approach type fits which trede (Fenger; seed 000 §2.2).
TYPE_FIT = {"life_first": range(1, 3), "human_capital_first": range(2, 5), "work_first": range(4, 6)}
TYPE_WORDS = {
    "life_first": "life-first (eerst het leven op orde)",
    "human_capital_first": "human-capital-first (eerst vaardigheden, opleiding en gezondheid versterken)",
    "work_first": "work-first (snel aan het werk)",
}
OLDER_AGE = 50
YOUNG_AGE = 27
POINTS_TYPE = 3
POINTS_TARGET_GROUP = 2
POINTS_ELEMENT = 2
MAX_ELEMENTS = 3
POINTS_WISH = 3
POINTS_EXPERIENCE = 1
EFFECT_BONUS = {3: 1, 4: 2}
# Local results are shown from ten ended trajectories of similar clients on, like every figure about persons
# (monitoring's small-cell rule); better than the usual result by ten points or more weighs 2, at least as good 1.
OUTCOME_MIN_ENDED = 10
POINTS_OUTCOME = {"beter": 2, "gelijk": 1}
EFFECT_WORDS = {1: gettext_noop("goed beschreven"), 2: gettext_noop("goed onderbouwd"),
                3: gettext_noop("effectief volgens eerste aanwijzingen"), 4: gettext_noop("bewezen effectief")}
# Stems too general to say anything about fit ("ik wil graag werken").
WISH_STOPWORDS = frozenset(words("graag wil willen werk werken baan iets doen gaan kan kunnen ik mijn mij zou "
                                 "weer echt heel liefst misschien ergens mensen nieuwe nieuw"))


@dataclass(frozen=True)
class Situation:
    """A situation of the client, in words, and the need phrases of working elements that answer it."""

    code: str
    text: str
    needs: tuple[str, ...]


def situations(facts: ClientFacts) -> list[Situation]:
    """The client's situations the working elements' ``need`` phrases can answer. Never health or origin."""
    found = []
    low = set(facts.low_zrm_domains)
    if "financien" in low or facts.debts in ("regeling", "zonder_regeling"):
        found.append(Situation("schulden", _("de cliënt heeft geldzorgen of schulden"),
                               ("schuld", "financ", "geldzorg", "inkomen")))
    if low & {"tijdsbesteding", "dagbesteding", "maatschappelijke_participatie"}:
        found.append(Situation("dagbesteding", _("de cliënt heeft weinig dagbesteding of meedoen in de buurt"),
                               ("dagbesteding", "sociale contacten", "veilige omgeving", "beschermde omgeving",
                                "participatie")))
    if "sociaal_netwerk" in low:
        found.append(Situation("netwerk", _("de cliënt heeft een klein sociaal netwerk"),
                               ("netwerk", "sociale contacten")))
    if low & {"basale_adl", "instrumentele_adl", "adl", "huisvesting", "huiselijke_relaties", "justitie"}:
        names = ", ".join(_(ZRM_LABELS.get(d, d)) for d in sorted(low & {"basale_adl", "instrumentele_adl", "adl",
                                                                     "huisvesting", "huiselijke_relaties",
                                                                     "justitie"}))
        found.append(Situation("basis", _("de cliënt heeft eerst hulp nodig bij %(domains)s") % {"domains": names},
                               ("veilige omgeving", "beschermde omgeving", "frequent contact", "sturende",
                                "doelen formuleren")))
    if len(low) >= 3:
        found.append(Situation("meerdere", _("de cliënt heeft op meerdere leefgebieden tegelijk problemen"),
                               ("meerdere leefgebieden", "complexe situatie")))
    if "werk_opleiding" in low or facts.education in LOW_EDUCATION:
        found.append(Situation("vaardigheden", _("de cliënt heeft (nog) geen startkwalificatie of werkervaring om op "
                                                 "te bouwen"),
                               ("werknemersvaardigheden", "scholing", "training")))
    lowest = facts.lowest_dutch
    if lowest is not None and LANGUAGE_ORDER.index(lowest) <= LANGUAGE_ORDER.index("A2"):
        found.append(Situation("taal", _("de cliënt spreekt, leest of schrijft nog weinig Nederlands (%(level)s)")
                               % {"level": lowest}, ("taal",)))
    if facts.wishes.strip():
        found.append(Situation("wens", _("de cliënt heeft een eigen wens om bij aan te sluiten"),
                               ("eigen wens", "wensen en interesses")))
    if facts.motivation_willing == "ja" and facts.motivation_able == "ja":
        found.append(Situation("wil-werken", _("de cliënt wil en kan werken"), ("wil en kan werken",)))
    if "nee" in (facts.motivation_willing, facts.motivation_ready) or facts.motivation_willing == "deels":
        found.append(Situation("twijfel", _("de cliënt twijfelt nog of is er nog niet aan toe"),
                               ("twijfelt", "nog niet aan toe")))
    if facts.hours_per_week is not None and facts.hours_per_week < 12:
        found.append(Situation("belastbaarheid", _("de cliënt kan nu minder dan 12 uur per week"),
                               ("niet belastbaar", "tempo")))
    if facts.trede == 1:
        found.append(Situation("afstand", _("de cliënt staat ver van werk (trede 1)"),
                               ("heel grote afstand", "veilige omgeving")))
    if facts.years_on_benefit is not None and facts.years_on_benefit >= 2:
        found.append(Situation("langdurig", _("de cliënt is al %(years)s jaar in de bijstand")
                               % {"years": int(facts.years_on_benefit)},
                               ("persoonlijke aandacht", "frequent contact", "projectmoeheid")))
    return found


def _soft_fit(facts: ClientFacts, c: Candidate, situations_: list[Situation], wish_words: dict[str, str],
              experience_words: dict[str, str], rec: Recommendation, need_match: dict) -> None:
    reasons = rec.reasons
    if facts.trede is not None:
        fitting = [t for t in c.approach_types if facts.trede in TYPE_FIT.get(t, ())]
        if fitting:
            reasons.append(Reason("type", _("De cliënt staat op trede %(trede)s; een %(type)s-aanpak past bij die "
                                            "trede.") % {"trede": facts.trede, "type": _(TYPE_WORDS[fitting[0]])},
                                  POINTS_TYPE))
    elif c.approach_types:
        rec.to_ask.append(Reason("type", _("De trede is onbekend, dus of het type aanpak past is nog niet te zeggen: "
                                           "meet de trede.")))

    if facts.age is not None:
        if facts.age >= OLDER_AGE and ("ouderen" in c.target_groups
                                       or any(e.target_group == "ouderen" for e in c.elements)):
            older = [e.label for e in c.elements if e.target_group == "ouderen"]
            text = (_("De cliënt is %(age)s; deze aanpak werkt voor ouderen (50+), onder meer met: %(elements)s.")
                    % {"age": facts.age, "elements": "; ".join(older)} if older else
                    _("De cliënt is %(age)s; deze aanpak is bedoeld voor ouderen (50+).") % {"age": facts.age})
            reasons.append(Reason("ouderen", text, POINTS_TARGET_GROUP))
        if facts.age < YOUNG_AGE and "jongeren" in c.target_groups:
            reasons.append(Reason("jongeren", _("De cliënt is %(age)s; deze aanpak is bedoeld voor jongeren.")
                                  % {"age": facts.age}, POINTS_TARGET_GROUP))

    matched = 0
    for element in c.elements:
        need = element.need.lower()
        if not need or matched >= MAX_ELEMENTS:
            continue
        if need in need_match:
            situation = need_match[need]
        else:
            situation = need_match[need] = next(
                (s for s in situations_ if any(phrase in need for phrase in s.needs)), None)
        if situation is not None:
            matched += 1
            reasons.append(Reason(f"element:{situation.code}",
                                  _("Werkzaam element ‘%(label)s’ past bij de situatie: %(situation)s.")
                                  % {"label": element.label, "situation": situation.text}, POINTS_ELEMENT))

    hits = [original for stem, original in wish_words.items() if stem in c.text_words]
    if hits:
        reasons.append(Reason("wens", _("Sluit aan bij de wens van de cliënt: de aanpak gaat ook over "
                                        "%(words)s.") % {"words": ", ".join(f"‘{w}’" for w in hits)}, POINTS_WISH))
    hits = [original for stem, original in experience_words.items()
            if stem in c.text_words and stem not in wish_words]
    if hits:
        reasons.append(Reason("werkervaring", _("Sluit aan bij de werkervaring van de cliënt (%(words)s).")
                              % {"words": ", ".join(f"‘{w}’" for w in hits)}, POINTS_EXPERIENCE))

    if c.effect_level:
        bonus = EFFECT_BONUS.get(c.effect_level, 0)
        reasons.append(Reason("effect", _("Bewijs: niveau %(level)s op de effectladder (%(words)s).")
                              % {"level": c.effect_level, "words": _(EFFECT_WORDS.get(c.effect_level, ""))}, bonus))

    if c.approach_types and "work_first" in c.approach_types and facts.exempt_from_work():
        reasons.append(Reason("ontheffing", _("De cliënt heeft ontheffing van de arbeidsverplichtingen tot "
                                              "%(date)s; meedoen is vrijwillig.")
                              % {"date": facts.work_exemption_until.strftime("%d-%m-%Y")}))


@lru_cache(maxsize=4096)
def _keywords(text: str) -> dict[str, str]:
    """Stem → the client's own word, for the meaningful words of a free text (first occurrence kept). Kept per text:
    a candidate selection ranks thousands of clients, many with the same wish, and stemming is slow. Callers only
    read the result."""
    folded = re.findall(r"[^\W\d_]+", text or "")
    found: dict[str, str] = {}
    for original in folded:
        if len(original) < 4:
            continue
        stems = words(original)
        if stems and stems[0] not in WISH_STOPWORDS and len(stems[0]) >= 3:
            found.setdefault(stems[0], original.lower())
    return found


def _local_outcome(outcome: Outcome | None, rec: Recommendation) -> None:
    if outcome is None or outcome.ended < OUTCOME_MIN_ENDED:
        return
    rate = outcome.work_rate
    if rate >= outcome.baseline + 0.10:
        points = POINTS_OUTCOME["beter"]
        verdict = _("Dat is beter dan gemiddeld bij alle aanpakken (%(baseline)s%%)")
    elif rate >= outcome.baseline:
        points = POINTS_OUTCOME["gelijk"]
        verdict = _("Dat is ongeveer gemiddeld bij alle aanpakken (%(baseline)s%%)")
    else:
        points = 0
        verdict = _("Dat is minder dan gemiddeld bij alle aanpakken (%(baseline)s%%)")
    values = {"work": outcome.work, "ended": outcome.ended, "band": outcome.band, "pct": round(rate * 100),
              "dropout": outcome.dropout, "baseline": round(outcome.baseline * 100)}
    if outcome.band:
        said = _("In deze gemeente vonden %(work)s van de %(ended)s vergelijkbare cliënten (%(band)s) na deze aanpak "
                 "werk (%(pct)s%%); %(dropout)s stopten voortijdig.")
    else:
        said = _("Voor vergelijkbare cliënten zijn er nog te weinig uitkomsten; van alle %(ended)s cliënten in deze "
                 "gemeente die deze aanpak afrondden, vonden er %(work)s werk (%(pct)s%%) en stopten er %(dropout)s "
                 "voortijdig.")
    rec.reasons.append(Reason("uitkomsten", said % values + " " + verdict % values + ".", points))


def recommend(facts: ClientFacts, candidates, outcomes: dict[int, Outcome] | None = None) -> list[Recommendation]:
    """Every candidate with its hard criteria and soft fit. Possible ones first, ranked (score descending, then
    name; ``rank`` 1, 2, …), then the ones that are not possible now, in the same order without a rank.
    ``outcomes`` holds the local results per approach id for clients on the client's part of the ladder."""
    with kept_translations():
        found = situations(facts)
        wish_words = _keywords(facts.wishes)
        experience_words = _keywords(facts.work_experience)
        need_match: dict[str, Situation | None] = {}
        results = []
        for candidate in candidates:
            rec = Recommendation(candidate)
            _hard_criteria(facts, candidate, rec)
            if not rec.unmet:  # "nu niet" shows what is not met; its fit is not weighed
                _soft_fit(facts, candidate, found, wish_words, experience_words, rec, need_match)
                if outcomes:
                    _local_outcome(outcomes.get(candidate.approach_id), rec)
            rec.score = sum(reason.points for reason in rec.reasons)
            results.append(rec)
    results.sort(key=lambda r: (not r.possible, -r.score, r.candidate.name.lower(), r.candidate.slug))
    rank = 0
    for rec in results:
        if rec.possible:
            rank += 1
            rec.rank = rank
    return results
