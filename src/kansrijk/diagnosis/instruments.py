"""The instruments' fixed content: the VNG Participatieladder, Heemskerk's example sub-steps, the ZRM versions with
their domains and levels, and the ladder question flow. Names and levels only — not GGD's licensed criteria texts."""

from django.utils.translation import gettext_lazy as _

# The six VNG steps with their operational criteria (BRIEF §4, NVvA Leidraad Arbeidsparticipatie).
VNG_STEPS = [
    ("1", 1, "Geïsoleerd", "Onder trede 2: vereenzaamd en/of alleen contacten via internet."),
    ("2", 2, "Sociale contacten buitenshuis", "Minstens wekelijks sociale contacten buitenshuis, geen georganiseerde activiteiten."),
    ("3", 3, "Deelname aan georganiseerde activiteiten",
     "Minstens wekelijks scholing of verenigingsactiviteit, zonder verantwoordelijkheid voor anderen."),
    ("4", 4, "Onbetaald werk",
     "Vrijwilligerswerk, stage of werk met behoud van uitkering: verantwoordelijkheid voor anderen, minstens wekelijks."),
    ("5", 5, "Betaald werk met ondersteuning",
     "Betaald werk met aanvullende uitkering, re-integratie-instrument of begeleiding; of werk met inburgering."),
    ("6", 6, "Betaald werk", "Betaald werk zonder aanvullende uitkering of instrumenten; ook zzp'er of ondernemer."),
]

# Heemskerk's local sub-steps (seed 001 §2.2, L996–1025), shipped as an example set an administrator can adopt.
HEEMSKERK_SUBSTEPS = [
    ("1", 1, 10, "Rust (altijd tijdelijk)", "Verschillende problematiek (psychisch en lichamelijk); de cliënt 'doet' niets."),
    ("2.1", 2, 21, "Sociale activering, zonder directe groei naar werk", "De cliënt wordt geholpen bij zijn problematiek."),
    ("2.2", 2, 22, "Oplossingsgericht", "De cliënt volgt een sociaal activeringstraject."),
    ("2.3", 2, 23, "Tegenprestatie", "Nog niet toe aan vrijwilligerswerk, voert af en toe een tegenprestatie uit."),
    ("2.4", 2, 24, "Vrijwilligerswerk (op dit moment) maximaal haalbaar",
     "Doet vrijwilligerswerk, nog niet beschikbaar voor 'gewoon' werk."),
    ("2.5", 2, 25, "Voortraject re-integratie", "Wordt voorbereid op parttime werk."),
    ("2.6", 2, 26, "Parttime werk (op dit moment) maximaal haalbaar",
     "Werkt parttime, wordt gemotiveerd de belastbaarheid te vergroten."),
]
EXAMPLE_SETS = {"heemskerk": HEEMSKERK_SUBSTEPS}

ZRM_LEVELS = {
    1: _("Acute problematiek"),
    2: _("Niet zelfredzaam"),
    3: _("Beperkt zelfredzaam"),
    4: _("Voldoende zelfredzaam"),
    5: _("Volledig zelfredzaam"),
}

# Domain keys are stable; labels are the formal names (anchors §5.2).
ZRM_DOMAINS = {
    "2017": [
        ("financien", _("Financiën")),
        ("werk_opleiding", _("Werk & opleiding")),
        ("tijdsbesteding", _("Tijdsbesteding")),
        ("huisvesting", _("Huisvesting")),
        ("huiselijke_relaties", _("Huiselijke relaties")),
        ("geestelijke_gezondheid", _("Geestelijke gezondheid")),
        ("lichamelijke_gezondheid", _("Lichamelijke gezondheid")),
        ("middelengebruik", _("Middelengebruik")),
        ("basale_adl", _("Basale ADL")),
        ("instrumentele_adl", _("Instrumentele ADL")),
        ("sociaal_netwerk", _("Sociaal netwerk")),
        ("maatschappelijke_participatie", _("Maatschappelijke participatie")),
        ("justitie", _("Justitie")),
    ],
    "2013": [
        ("financien", _("Financiën")),
        ("dagbesteding", _("Dagbesteding")),
        ("huisvesting", _("Huisvesting")),
        ("huiselijke_relaties", _("Huiselijke relaties")),
        ("geestelijke_gezondheid", _("Geestelijke gezondheid")),
        ("lichamelijke_gezondheid", _("Lichamelijke gezondheid")),
        ("verslaving", _("Verslaving")),
        ("adl", _("ADL-vaardigheden")),
        ("sociaal_netwerk", _("Sociaal netwerk")),
        ("maatschappelijke_participatie", _("Maatschappelijke participatie")),
        ("justitie", _("Justitie")),
    ],
}
# Domains about health and substance use: special categories (AVG art. 9). Shown only to roles that see health or
# addiction, and never read by the distance indicator.
ZRM_SPECIAL_DOMAINS = {"geestelijke_gezondheid", "lichamelijke_gezondheid", "middelengebruik", "verslaving"}

# The guided question flow (BRIEF §4 operational criteria), asked from the top of the ladder down; the first "ja"
# proposes the step.
LADDER_QUESTIONS = [
    ("betaald_werk", 5, _("Heeft de cliënt betaald werk (in loondienst, als zzp'er of ondernemer)?")),
    ("zonder_ondersteuning", 6, _("Is dat werk zonder aanvullende uitkering, instrument of begeleiding?")),
    ("onbetaald_werk", 4, _("Doet de cliënt minstens wekelijks onbetaald werk met verantwoordelijkheid voor anderen "
                            "(vrijwilligerswerk, stage, werk met behoud van uitkering)?")),
    ("georganiseerd", 3, _("Neemt de cliënt minstens wekelijks deel aan georganiseerde activiteiten (scholing, "
                           "cursus, vereniging)?")),
    ("sociale_contacten", 2, _("Heeft de cliënt minstens wekelijks sociale contacten buitenshuis?")),
]


def propose_trede(answers: dict) -> tuple[int, str]:
    """The step the answers point to, with the reason in words. Unanswered questions count as "nee"."""
    if answers.get("betaald_werk"):
        if answers.get("zonder_ondersteuning"):
            return 6, str(_("betaald werk zonder ondersteuning"))
        return 5, str(_("betaald werk met ondersteuning of aanvulling"))
    if answers.get("onbetaald_werk"):
        return 4, str(_("minstens wekelijks onbetaald werk met verantwoordelijkheid"))
    if answers.get("georganiseerd"):
        return 3, str(_("minstens wekelijks georganiseerde activiteiten"))
    if answers.get("sociale_contacten"):
        return 2, str(_("minstens wekelijks sociale contacten buitenshuis"))
    return 1, str(_("geen wekelijkse sociale contacten buitenshuis"))
