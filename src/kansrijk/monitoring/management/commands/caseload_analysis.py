"""``kansrijk caseload_analysis [--json] [--peildatum JJJJ-MM-DD] [--gemeente CODE]``: the caseload analysis
("Sturen op bijstand") on the command line, for the administrator.

Small cells are suppressed here as everywhere (issue 6: "cells under 10 persons are suppressed everywhere"): a
suppressed number is ``null`` in the JSON and ``<10`` in the table. The JSON has exactly the issue's keys."""

import json as jsonlib
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kansrijk.accounts.models import Municipality
from kansrijk.monitoring import selectors
from kansrijk.monitoring.analysis import SUPPRESS_BELOW
from kansrijk.monitoring.forms import check_peildatum


class Command(BaseCommand):
    help = "Analyse bijstandsbestand: per instroomjaar en groep het aantal uitkeringen, nog actief en het percentage."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Machineleesbare uitvoer.")
        parser.add_argument("--peildatum", help="Peildatum JJJJ-MM-DD (standaard vandaag).")
        parser.add_argument("--gemeente", help="CBS-code (standaard KANSRIJK_GEMEENTE).")

    def handle(self, *args, json: bool = False, peildatum: str | None = None, gemeente: str | None = None,
               **options):
        if peildatum:
            try:
                reference = date.fromisoformat(peildatum)
            except ValueError as exc:
                raise CommandError(f"Ongeldige peildatum '{peildatum}': gebruik JJJJ-MM-DD.") from exc
        else:
            reference = timezone.localdate()
        problem = check_peildatum(reference)
        if problem:
            raise CommandError(str(problem))
        code = gemeente or settings.KANSRIJK_DEFAULT_GEMEENTE
        municipality = Municipality.objects.filter(cbs_code=code).first()
        if municipality is None:
            raise CommandError(f"Gemeente {code} bestaat niet.")
        result = selectors.caseload_analysis(municipality.pk, reference)
        if json:
            self.stdout.write(jsonlib.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(f"Analyse bijstandsbestand {municipality.name} ({municipality.cbs_code}), peildatum "
                          f"{reference:%d-%m-%Y}. Aantallen onder de {SUPPRESS_BELOW} personen: <{SUPPRESS_BELOW}.")
        titles = {"totaal": "Totaal per instroomjaar", "geslacht": "Per geslacht", "leefvorm": "Per leefvorm",
                  "leeftijdsklasse": "Per leeftijdsklasse bij instroom", "oorzaak": "Per oorzaak"}
        for key, title in titles.items():
            self.stdout.write(f"\n{title}")
            header = ["instroomjaar", *(["groep"] if key != "totaal" else []), "n", "actief", "% actief"]
            rows = [[r["instroomjaar"], *([r["groep"]] if key != "totaal" else []), r["n"], r["actief"],
                     r["pct_actief"]] for r in result[key]]
            self._table(header, rows)
        self.stdout.write("\nLopend naar leeftijdsklasse en leefvorm")
        self._table(["leeftijdsklasse", "leefvorm", "n"],
                    [[r["leeftijdsklasse"], r["leefvorm"], r["n"]] for r in result["actief_leeftijd_leefvorm"]])

    def _table(self, header, rows):
        shown = [[f"<{SUPPRESS_BELOW}" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
                  for v in row] for row in rows]
        widths = [max([len(h)] + [len(r[i]) for r in shown]) for i, h in enumerate(header)]
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
        for row in shown:
            self.stdout.write("  ".join(v.rjust(w) if i != 1 or len(header) == 4 else v.ljust(w)
                                        for i, (v, w) in enumerate(zip(row, widths, strict=True))))
