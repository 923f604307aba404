"""The catalogue's classifications, as the research uses them (seed 000 §2.2, seed 001 §2).

Kept free of models so that the content validator runs without a database.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    AANPAK = "aanpak", _("Aanpak")
    TRAJECT = "traject", _("Traject")
    INSTRUMENT = "instrument", _("Instrument")
    INITIATIEF = "initiatief", _("Initiatief")


class Goal(models.TextChoices):
    WERK = "werk", _("Werk")
    ACTIVERING = "activering", _("Activering")
    BEIDE = "beide", _("Werk en activering")
    ANDERS = "anders", _("Anders")


class ApproachType(models.TextChoices):
    WORK_FIRST = "work_first", _("Work-first")
    HUMAN_CAPITAL_FIRST = "human_capital_first", _("Human-capital-first")
    LIFE_FIRST = "life_first", _("Life-first")


class TargetGroup(models.TextChoices):
    ALGEMEEN = "algemeen", _("Algemeen")
    OUDEREN = "ouderen", _("Ouderen")
    VROUWEN = "vrouwen", _("Vrouwen")
    NIET_WESTERS = "niet_westerse_migratieachtergrond", _("Niet-westerse migratieachtergrond")
    STATUSHOUDERS = "statushouders", _("Statushouders")
    JONGEREN = "jongeren", _("Jongeren")
    ANDERS = "anders", _("Anders")


class Phase(models.TextChoices):
    LEREN_KENNEN = "leren_kennen", _("Leren kennen")
    HULP_EN_ACTIVERING = "hulp_en_activering", _("Hulp en activering")
    ARBEIDSTOELEIDING = "arbeidstoeleiding", _("Arbeidstoeleiding")
    BAANCREATIE = "baancreatie", _("Baancreatie")
    NAZORG = "nazorg", _("Nazorg")


class Regime(models.TextChoices):
    PARTICIPATIEWET = "participatiewet", _("Participatiewet")
    IOAW = "ioaw", _("IOAW")
    IOAZ = "ioaz", _("IOAZ")
    WW = "ww", _("WW")
    WAJONG = "wajong", _("Wajong")
    WIA = "wia", _("WIA")
    ANW = "anw", _("Anw")
    NUG = "nug", _("Niet-uitkeringsgerechtigd")


class Status(models.TextChoices):
    PILOT = "pilot", _("Pilot")
    PROEFTUIN = "proeftuin", _("Proeftuin")
    STAAND_BELEID = "staand_beleid", _("Staand aanbod")
    IN_ONTWIKKELING = "in_ontwikkeling", _("In ontwikkeling")
    BEEINDIGD = "beeindigd", _("Beëindigd")


class EffectLevel(models.IntegerChoices):
    GOED_BESCHREVEN = 1, _("1 — goed beschreven")
    GOED_ONDERBOUWD = 2, _("2 — goed onderbouwd")
    EERSTE_AANWIJZINGEN = 3, _("3 — effectief volgens eerste aanwijzingen")
    BEWEZEN_EFFECTIEF = 4, _("4 — bewezen effectief")


class SrgCategory(models.TextChoices):
    """Provision categories of CBS's Statistiek Re-integratie door Gemeenten (seed 000, footnote 2)."""

    TIJDELIJKE_LKS = "tijdelijke_loonkostensubsidie", _("Tijdelijke loonkostensubsidie")
    WIW_ID_BAAN = "wiw_id_baan", _("WIW/ID-baan")
    PARTICIPATIEPLAATS = "participatieplaats", _("Participatieplaats")
    LOONKOSTENSUBSIDIE = "loonkostensubsidie", _("Loonkostensubsidie (Participatiewet)")
    FORFAITAIRE_LKS = "forfaitaire_loonkostensubsidie", _("Forfaitaire loonkostensubsidie")
    BESCHUT_WERK = "beschut_werk", _("Beschut werk")
    JOBCOACH = "jobcoach", _("Begeleiding op de werkplek / jobcoach")
    VERVOERSVOORZIENING = "vervoersvoorziening", _("Vervoersvoorziening (woon-werk)")
    ANDERE_ARBEIDSBEPERKTEN = "andere_voorziening_arbeidsbeperkten", _("Andere voorziening voor arbeidsbeperkten")


class WorkingElementCategory(models.TextChoices):
    ALGEMEEN = "algemeen", _("Algemeen")
    WORK_FIRST = "work_first", _("Work-first")
    HUMAN_CAPITAL_FIRST = "human_capital_first", _("Human-capital-first")
    LIFE_FIRST = "life_first", _("Life-first")
    DOELGROEP = "doelgroep", _("Doelgroep")


class Score(models.IntegerChoices):
    """The assessment framework's five-point scale from ++ to -- (seed 000 L195)."""

    PLUS_PLUS = 2, "++"
    PLUS = 1, "+"
    NEUTRAL = 0, "±"
    MIN = -1, "-"
    MIN_MIN = -2, "--"


class Dimension(models.TextChoices):
    """The six dimensions of seed 000's assessment framework (annex, L2055–2118)."""

    ONDERBOUWING = "onderbouwing", _("Onderbouwing")
    OMGEVINGSFACTOREN = "omgevingsfactoren", _("Omgevingsfactoren")
    EFFECTIVITEIT = "effectiviteit", _("Getoetste effectiviteit")
    KOSTEN_BATEN = "kosten_baten", _("Kosten-batenverhouding")
    UITVOERBAARHEID = "uitvoerbaarheid", _("Praktische uitvoerbaarheid")
    VERNIEUWING = "vernieuwing", _("Mate van vernieuwing")


DIMENSION_HELP = {
    Dimension.ONDERBOUWING: _(
        "Probleemanalyse en interventielogica; mate waarin werkzame elementen uit de literatuur "
        "terugkomen; hoe de aanpak gedragsverandering bewerkstelligt; of de aanpak gekozen wordt op "
        "basis van kenmerken van de cliënt."
    ),
    Dimension.OMGEVINGSFACTOREN: _(
        "Beleid (doelgroepenbeleid, klant in beeld, aansluiting op de regionale arbeidsmarkt), "
        "werkproces (kwaliteit klantmanagers, selectie, lerende organisatie) en uitstroommogelijkheden."
    ),
    Dimension.EFFECTIVITEIT: _(
        "Mate waarin effectiviteit is getoetst volgens de effectladder, met aandacht voor de kwaliteit "
        "van de meting en herhaalde metingen."
    ),
    Dimension.KOSTEN_BATEN: _("De kosten-batenverhouding van de aanpak."),
    Dimension.UITVOERBAARHEID: _("Het oordeel van betrokkenen over de praktische uitvoerbaarheid."),
    Dimension.VERNIEUWING: _("De mate van vernieuwing in de aanpak."),
}


class Checklist(models.TextChoices):
    """Pre-screening checklist of seed 000, phase A (L166–190)."""

    DOELGROEP_LANGDURIG = "doelgroep_langdurig", _("Doelgroep langer dan 2 jaar in de bijstand?")
    DOELGROEP_SPECIFIEK = "doelgroep_specifiek", _("Doelgroep vrouwen, 49+ of migratieachtergrond?")
    RECENT = "recent", _("Aanpak korter dan 5 jaar geleden gestart?")
    ENTHOUSIASME = "enthousiasme", _("Enthousiasme (van wie, waarom); oordeel van cliënten of cliëntenraad; wat is vernieuwend?")
    BEKEND = "bekend", _("Al breed bekend?")
    WERKWIJZE_BESCHREVEN = "werkwijze_beschreven", _("Werkwijze beschreven?")
    MECHANISME = "mechanisme", _(
        "Mechanisme beschreven of theoretisch onderbouwd? Aandacht voor laag zelfbeeld, "
        "multiproblematiek, taal, begeleiding?"
    )
    RESULTATEN = "resultaten", _("Output of outcome bekend; effectiviteit aannemelijk?")
    SUCCESFACTOREN = "succesfactoren", _("Succesfactoren en valkuilen beschreven?")
    KOSTEN_BATEN = "kosten_baten", _("Inzicht in kosten en baten?")
    UITVOERBAARHEID = "uitvoerbaarheid", _("Praktische uitvoerbaarheid?")
    OVERDRAAGBAARHEID = "overdraagbaarheid", _("Overdraagbaarheid?")
    UITVOERING = "uitvoering", _("Intern of extern uitgevoerd?")


LADDER_STEPS = ("1", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3", "4", "5", "6")

LANGUAGE_LEVELS = ("A0", "A1", "A2", "B1", "B2", "C1", "C2")
