"""An evaluation's stored aggregates as tables, a chart and Dutch sentences, for the page, the exports, the API and
the command alike. The caveats are stored as codes with their numbers and put in words here, in the reader's
language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kansrijk.monitoring.presentation import Table

SUPPRESSED = "<10"

CAVEATS = {
    "observationeel": lambda c: _(
        "Dit is geen experiment: de deelnemers zijn niet door loting gekozen. De vergelijkingsgroep lijkt op de "
        "deelnemers in wat in het dossier staat, maar is niet gelijk."),
    "onbekende_verschillen": lambda c: _(
        "Verschillen die niet in het dossier staan, zoals motivatie, gezondheid of steun uit de omgeving, kunnen het "
        "verschil (deels) verklaren. Gezondheid, verslaving en herkomst zijn bewust niet gebruikt."),
    "selectie_klantmanager": lambda c: _(
        "Klantmanagers kozen wie zij verwezen. Kozen zij mensen met meer kans op succes, dan lijkt de aanpak beter "
        "dan hij is."),
    "kleine_aantallen": lambda c: _(
        "Met %(n)s paren is de onzekerheid groot: het betrouwbaarheidsinterval is breed.") % {"n": c["n"]},
    "niet_gematcht": lambda c: _(
        "%(pct)s%% van de deelnemers vond geen vergelijkbare niet-deelnemer; het effect geldt voor de deelnemers "
        "die wel een vergelijkingspersoon hebben.") % {"pct": _number(c["pct"])},
    "balans": lambda c: _(
        "Na het matchen verschillen de groepen nog op minstens één kenmerk (grootste gestandaardiseerd verschil "
        "%(smd)s, boven 0,1). Lees het effect met extra voorzichtigheid.") % {"smd": _number(c["smd"])},
    "meetdekking": lambda c: _(
        "Slechts %(pct)s%% van de gematchte personen heeft een tredemeting bij de start én 9 tot 15 maanden later: "
        "de uitkomst op de participatieladder zegt iets over wie gemeten is, niet over iedereen.")
        % {"pct": _number(c["pct"])},
    "onderdrukt": lambda c: _(
        "Een uitkomst met minder dan 10 personen in een cel is niet getoond."),
    "instroom_in_periode": lambda c: _(
        "Iedereen wordt gemeten vanaf de start van de pilot; wie later in de instroomperiode begon, had minder tijd "
        "in de aanpak."),
    "team_nu": lambda c: _(
        "Het team is het huidige team van de cliënt; eerdere teamwisselingen zijn niet bekend."),
}


def _number(value) -> str:
    return f"{value}".replace(".", ",")


def caveat_texts(results: dict) -> list[str]:
    return [CAVEATS[c["code"]](c) for c in results.get("kanttekeningen", []) if c["code"] in CAVEATS]


OUTCOME_LABELS = {
    "uitstroom": lambda: _("Uitkering beëindigd binnen 12 maanden"),
    "uitstroom_werk": lambda: _("Uitstroom naar werk binnen 12 maanden"),
    "trede": lambda: _("Verandering op de participatieladder (treden)"),
}


def effect_ladder_text(results: dict) -> str:
    ladder = results.get("effectladder") or {}
    if ladder.get("niveau") == 3:
        outcomes = ", ".join(OUTCOME_LABELS[key]().lower() for key in ladder.get("uitkomsten", []))
        return _("Het 95%%-betrouwbaarheidsinterval ligt boven nul voor: %(outcomes)s. Een vergelijking met een "
                 "gematchte controlegroep kan dienen als onderbouwing voor niveau 3 van de effectladder, "
                 "'effectief volgens eerste aanwijzingen'. Niveau 4, 'bewezen effectief', vraagt herhaald en bij "
                 "voorkeur gerandomiseerd onderzoek.") % {"outcomes": outcomes}
    return _("Geen van de uitkomsten laat een verschil zien waarvan het 95%-betrouwbaarheidsinterval boven nul ligt. "
             "Deze evaluatie onderbouwt daarom geen hoger niveau op de effectladder; ze sluit een effect ook niet "
             "uit.")


def effect_sentence(key: str, effect: dict) -> str:
    """The effect in one sentence a client manager can repeat."""
    if effect["verschil"] is None:
        return _("%(outcome)s: niet getoond, minder dan 10 personen in een groep of cel.") % {
            "outcome": OUTCOME_LABELS[key]()}
    if key == "trede":
        return _("%(outcome)s: deelnemers gemiddeld %(a)s, vergelijkingsgroep %(b)s; verschil %(d)s trede "
                 "(95%%-betrouwbaarheidsinterval %(low)s tot %(high)s).") % {
            "outcome": OUTCOME_LABELS[key](), "a": _number(effect["gem_deelnemers"]),
            "b": _number(effect["gem_vergelijking"]), "d": _number(effect["verschil"]),
            "low": _number(effect["ci_laag"]), "high": _number(effect["ci_hoog"])}
    return _("%(outcome)s: %(a)s%% van de deelnemers tegen %(b)s%% van de vergelijkingsgroep; verschil %(d)s "
             "procentpunt (95%%-betrouwbaarheidsinterval %(low)s tot %(high)s).") % {
        "outcome": OUTCOME_LABELS[key](), "a": _number(effect["pct_deelnemers"]),
        "b": _number(effect["pct_vergelijking"]), "d": _number(effect["verschil"]),
        "low": _number(effect["ci_laag"]), "high": _number(effect["ci_hoog"])}


def group_table(results: dict) -> Table:
    groups = results["groepen"]
    rows = [
        {"groep": _("Deelnemers volgens de regel (traject van de aanpak in de periode)"),
         "n": groups["deelnemers_regel"]},
        {"groep": _("Deelnemers met een lopende uitkering bij de start"), "n": groups["deelnemers"]},
        {"groep": _("Mogelijke vergelijkingspersonen (lopende uitkering, nooit in de aanpak)"),
         "n": groups["kandidaten"]},
        {"groep": _("Gematchte paren (deelnemer en vergelijkingspersoon)"), "n": groups["paren"]},
        {"groep": _("Deelnemers zonder vergelijkingspersoon binnen de kaliper"), "n": groups["niet_gematcht"]},
    ]
    return Table("groepen", _("Groepen"), _("Hoeveel personen in elke groep (aantallen onder 10: <10)."),
                 [("groep", _("Groep")), ("n", _("Aantal"))], rows)


def effect_table(results: dict) -> Table:
    rows = []
    for key in ("uitstroom", "uitstroom_werk", "trede"):
        effect = results["effecten"][key]
        if key == "trede":
            a, b = effect["gem_deelnemers"], effect["gem_vergelijking"]
        else:
            a, b = effect["pct_deelnemers"], effect["pct_vergelijking"]
        rows.append({"uitkomst": OUTCOME_LABELS[key](), "n_deelnemers": effect["n_deelnemers"],
                     "n_vergelijking": effect["n_vergelijking"], "deelnemers": a, "vergelijking": b,
                     "verschil": effect["verschil"], "ci_laag": effect["ci_laag"], "ci_hoog": effect["ci_hoog"]})
    chart_rows = rows[:2]
    return Table(
        "effecten", _("Effecten met 95%-betrouwbaarheidsinterval"),
        _("Uitstroom in procenten en de verandering in treden (gemiddelde), deelnemers tegen de gematchte "
          "vergelijkingsgroep; het verschil is deelnemers min vergelijkingsgroep (procentpunten, of treden)."),
        [("uitkomst", _("Uitkomst")), ("n_deelnemers", _("n deelnemers")), ("n_vergelijking", _("n vergelijking")),
         ("deelnemers", _("Deelnemers")), ("vergelijking", _("Vergelijkingsgroep")), ("verschil", _("Verschil")),
         ("ci_laag", _("95%-BI laag")), ("ci_hoog", _("95%-BI hoog"))],
        rows,
        {"type": "bar", "labels": [r["uitkomst"] for r in chart_rows], "y_label": _("% van de groep"),
         "datasets": [{"label": _("Deelnemers"), "data": [r["deelnemers"] for r in chart_rows]},
                      {"label": _("Vergelijkingsgroep"), "data": [r["vergelijking"] for r in chart_rows]}]})


def balance_table(results: dict) -> Table:
    rows = []
    for row in results["balans"]:
        label = row["kenmerk"] + (f": {row['categorie']}" if row["categorie"] else "")
        unit = "%" if row["soort"] == "pct" else ""
        rows.append({"kenmerk": label + (f" ({unit})" if unit else ""), "deelnemers": row["deelnemers"],
                     "vergelijking_voor": row["vergelijking_voor"], "smd_voor": row["smd_voor"],
                     "deelnemers_na": row["deelnemers_na"], "vergelijking_na": row["vergelijking_na"],
                     "smd_na": row["smd_na"]})
    return Table(
        "balans", _("Balans van de kenmerken voor en na het matchen"),
        _("Per kenmerk het percentage (of gemiddelde) bij de deelnemers en de vergelijkingsgroep, en het "
          "gestandaardiseerde verschil (SMD); onder 0,1 geldt als goed vergelijkbaar."),
        [("kenmerk", _("Kenmerk")), ("deelnemers", _("Alle deelnemers")),
         ("vergelijking_voor", _("Alle mogelijke vergelijkingspersonen")), ("smd_voor", _("SMD voor")),
         ("deelnemers_na", _("Gematchte deelnemers")), ("vergelijking_na", _("Vergelijkingsgroep")),
         ("smd_na", _("SMD na"))],
        rows)


def tables(results: dict) -> list[Table]:
    return [group_table(results), effect_table(results), balance_table(results)]


def cells(table: Table) -> list[list]:
    return [[SUPPRESSED if row.get(key) is None else row.get(key) for key, _label in table.columns]
            for row in table.rows]


def as_api(results: dict) -> dict:
    """The stored results with the caveats and the effect-ladder suggestion in words."""
    out = dict(results)
    out["kanttekeningen"] = [dict(c, tekst=text) for c, text in
                             zip(results.get("kanttekeningen", []), caveat_texts(results), strict=False)]
    out["effectladder"] = dict(results.get("effectladder") or {}, tekst=effect_ladder_text(results))
    return out

