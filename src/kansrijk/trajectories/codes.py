"""The code lists of referrals and trajectories, in one place: outcome statistics and the "results for similar
clients" of the recommendations read these codes, so they are not to be renamed lightly.

Sources: the provision categories of CBS's Statistiek Re-integratie door Gemeenten (SRG) as listed in seed 000
(footnote 2, shipped as ``catalogue.vocabulary.SrgCategory``), completed with the SRG "type voorziening" codes
CBS's FAQ names (anchors.md §5.4: 23 proefplaatsing, 29 overige werkplekken, 31 werkplekaanpassing, 59 overige
faciliterende voorziening); the referral chain of seed 000 L113–115 (aanmelding, intake, terugmelding with the reason
and advice, uitval, uitkomst, nazorg); the closing of a trajectory in seed 004 §3.4 (goal reached or benefit stops)
and the end reasons named in BRIEF §3.6 (work full/part-time, education, moved, other benefit)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kansrijk.catalogue.vocabulary import SrgCategory


class SrgProvision(models.TextChoices):
    """The SRG provision a trajectory is registered as: the seed-000 categories plus the FAQ's other codes."""

    TIJDELIJKE_LKS = SrgCategory.TIJDELIJKE_LKS.value, SrgCategory.TIJDELIJKE_LKS.label
    WIW_ID_BAAN = SrgCategory.WIW_ID_BAAN.value, SrgCategory.WIW_ID_BAAN.label
    PARTICIPATIEPLAATS = SrgCategory.PARTICIPATIEPLAATS.value, SrgCategory.PARTICIPATIEPLAATS.label
    LOONKOSTENSUBSIDIE = SrgCategory.LOONKOSTENSUBSIDIE.value, SrgCategory.LOONKOSTENSUBSIDIE.label
    FORFAITAIRE_LKS = SrgCategory.FORFAITAIRE_LKS.value, SrgCategory.FORFAITAIRE_LKS.label
    BESCHUT_WERK = SrgCategory.BESCHUT_WERK.value, SrgCategory.BESCHUT_WERK.label
    JOBCOACH = SrgCategory.JOBCOACH.value, SrgCategory.JOBCOACH.label
    VERVOERSVOORZIENING = SrgCategory.VERVOERSVOORZIENING.value, SrgCategory.VERVOERSVOORZIENING.label
    ANDERE_ARBEIDSBEPERKTEN = (SrgCategory.ANDERE_ARBEIDSBEPERKTEN.value,
                               SrgCategory.ANDERE_ARBEIDSBEPERKTEN.label)
    PROEFPLAATSING = "proefplaatsing", _("Proefplaatsing (t.b.v. loonwaardebepaling)")
    WERKPLEKAANPASSING = "werkplekaanpassing", _("Werkplekaanpassing")
    OVERIGE_WERKPLEK = "overige_werkplek", _("Overige werkplek (o.a. werkervaringsplaats)")
    OVERIGE = "overige", _("Overige voorziening (scholing, sociale activering, coaching)")


class ReferralStatus(models.TextChoices):
    VERWEZEN = "verwezen", _("Verwezen, wacht op terugmelding")
    GEACCEPTEERD = "geaccepteerd", _("Geaccepteerd")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")


class DeclineReason(models.TextChoices):
    """Why a provider does not take a client on (the terugmelding of seed 000 L113, L325)."""

    VOLDOET_NIET = "voldoet_niet", _("Voldoet niet aan de toelatingscriteria")
    GEEN_PLAATS = "geen_plaats", _("Geen plaats (capaciteit vol)")
    NIET_VERSCHENEN = "niet_verschenen", _("Niet verschenen op de intake")
    NIET_BEREIKBAAR = "niet_bereikbaar", _("Cliënt niet bereikbaar")
    CLIENT_WIL_NIET = "client_wil_niet", _("Cliënt wil niet deelnemen")
    ANDERE_AANPAK = "andere_aanpak", _("Een andere aanpak past beter")
    OVERIG = "overig", _("Andere reden")


class TrajectoryStatus(models.TextChoices):
    AANGEMELD = "aangemeld", _("Aangemeld (nog niet gestart)")
    LOPEND = "lopend", _("Lopend")
    GEPAUZEERD = "gepauzeerd", _("Gepauzeerd")
    BEEINDIGD = "beeindigd", _("Beëindigd")


class EndReason(models.TextChoices):
    DOEL_BEREIKT = "doel_bereikt", _("Doel bereikt")
    WERK_GEVONDEN = "werk_gevonden", _("Werk gevonden")
    OPLEIDING = "opleiding", _("Gestart met een opleiding")
    UITVAL = "uitval", _("Uitval (voortijdig gestopt)")
    VERHUISD = "verhuisd", _("Verhuisd")
    MEDISCH = "medisch", _("Medische reden")
    ANDERE_VOORZIENING = "andere_voorziening", _("Over naar een andere voorziening")
    UITKERING_BEEINDIGD = "uitkering_beeindigd", _("Uitkering beëindigd (andere reden)")
    TERMIJN_VERSTREKEN = "termijn_verstreken", _("Afgesproken duur verstreken")
    OVERIG = "overig", _("Andere reden")


class DropoutReason(models.TextChoices):
    """Only with end reason ``uitval``; coarse on purpose (no health details: that is ``medisch`` at most)."""

    NIET_VERSCHENEN = "niet_verschenen", _("Herhaaldelijk niet verschenen")
    MOTIVATIE = "motivatie", _("Motivatie")
    PERSOONLIJKE_OMSTANDIGHEDEN = "omstandigheden", _("Persoonlijke omstandigheden")
    PAST_NIET = "past_niet", _("Aanbod paste niet")
    MAATREGEL = "maatregel", _("Beëindigd na een maatregel")
    OVERIG = "overig", _("Andere reden")


class Result(models.TextChoices):
    WERK_REGULIER = "werk_regulier", _("Uitstroom naar regulier werk")
    WERK_LKS = "werk_lks", _("Uitstroom naar werk met loonkostensubsidie")
    WERK_BESCHUT = "werk_beschut", _("Uitstroom naar beschut werk")
    WERK_ZELFSTANDIG = "werk_zelfstandig", _("Uitstroom naar werk als zelfstandige")
    OPLEIDING = "opleiding", _("Uitstroom naar opleiding")
    DEELTIJDWERK = "deeltijdwerk", _("Deeltijdwerk naast de uitkering")
    LADDER_OMHOOG = "ladder_omhoog", _("Stijging op de participatieladder")
    GEEN_RESULTAAT = "geen_resultaat", _("Geen resultaat")
    ONBEKEND = "onbekend", _("Onbekend")


# Results that mean the client left the benefit: these start aftercare (nazorg, seed 000 L149; seed 004 §3.4).
OUTFLOW_RESULTS = frozenset({Result.WERK_REGULIER, Result.WERK_LKS, Result.WERK_BESCHUT, Result.WERK_ZELFSTANDIG,
                             Result.OPLEIDING})
WORK_RESULTS = frozenset({Result.WERK_REGULIER, Result.WERK_LKS, Result.WERK_BESCHUT, Result.WERK_ZELFSTANDIG})


class ReportKind(models.TextChoices):
    INTAKE = "intake", _("Intake")
    START = "start", _("Start")
    AANWEZIGHEID = "aanwezigheid", _("Aanwezigheid")
    VOORTGANG = "voortgang", _("Voortgang")
    EIND = "eind", _("Eindrapportage")


# Kinds a report form offers; the end report is written by ending the trajectory.
FORM_REPORT_KINDS = [(k, label) for k, label in ReportKind.choices if k != ReportKind.EIND]


class GoalProgress(models.TextChoices):
    NIET_GESTART = "niet_gestart", _("Nog niet aan gewerkt")
    OP_KOERS = "op_koers", _("Op koers")
    ACHTER = "achter", _("Loopt achter")
    BEREIKT = "bereikt", _("Bereikt")
    NIET_HAALBAAR = "niet_haalbaar", _("Niet haalbaar, bijstellen")


class PauseReason(models.TextChoices):
    ZIEKENHUIS = "ziekenhuis", _("Ziekenhuisopname")
    ZIEKTE = "ziekte", _("Ziekte")
    ZORG = "zorg", _("Zorg voor een naaste")
    VAKANTIE = "vakantie", _("Vakantie of verlof")
    DETENTIE = "detentie", _("Detentie")
    OVERIG = "overig", _("Andere reden")


class AftercareOutcome(models.TextChoices):
    CONTACT = "contact", _("Contact gehad, het gaat goed")
    CONTACT_ZORG = "contact_zorg", _("Contact gehad, er is zorg of hulp nodig")
    NIET_BEREIKT = "niet_bereikt", _("Niet bereikt")


class SharedItem(models.TextChoices):
    """What a client manager may share with a provider, one tick each (data minimisation, AVG art. 5). The special
    categories (health, addiction, origin) are deliberately not in this list: no role rule lets them go to a
    provider. The referral's question is always shared; it is what the provider is asked to do."""

    NAAM = "naam", _("Naam en cliëntnummer")
    GEBOORTEJAAR = "geboortejaar", _("Geboortejaar")
    TREDE = "trede", _("Trede op de participatieladder")
    BELASTBAARHEID = "belastbaarheid", _("Belastbaarheid (uren per week)")
    TAAL = "taal", _("Taalniveau Nederlands (voor taalondersteuning)")
    PRAKTISCH = "praktisch", _("Praktische zaken (kinderopvang, vervoer, rijbewijs)")
    OPLEIDING_WERK = "opleiding_werk", _("Opleiding en werkervaring")
    DOELEN = "doelen", _("Gekozen doelen uit het plan van aanpak")


# Ticked by default: without a name the provider cannot invite the client. Everything else is a choice.
DEFAULT_SHARED = [SharedItem.NAAM]
